package dev.threatip.intel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which categories a feed's listings put an address in, how much a listing counts, and whether
 * the feed is a threat feed, an allowlist or known infrastructure: the documented, overridable
 * table that maps real feeds (blocklist.de {@code ssh} → brute force, Tor exits → network proxy,
 * googlebot ranges → allow, ...) onto DESIGN.md's categories. The table is data: the built-in one
 * is {@code feed-catalog.yaml} beside this class (see the package README, "Feed catalog");
 * operators load their own with {@link #load} and put it first with {@link #withOverrides}.
 *
 * <p>{@link #classify} looks at the feed's name, then its header's category text, then its
 * format, then falls back; see the YAML's opening comment for the exact order. Instances are
 * immutable and thread-safe.
 */
public final class FeedCatalog {
    private static final Set<String> TOP_KEYS = Set.of("rules", "header_categories", "formats", "fallback", "families");
    private static final Set<String> RULE_KEYS = Set.of("match", "categories", "reliability", "role", "min_refresh", "why");
    private static final Set<String> PROFILE_KEYS = Set.of("categories", "reliability", "role", "min_refresh", "why");
    private static final Set<String> FAMILY_KEYS = Set.of("match", "family");

    private record Rule(Pattern match, FeedProfile profile) {
    }

    /** Feeds whose names match belong to one family: derived lists that are not independent sources. */
    private record Family(Pattern match, String name) {
    }

    private final List<Rule> rules;
    private final List<Rule> headerRules;
    private final Map<FeedFormat, FeedProfile> formats;
    private final FeedProfile fallback; // null in a catalog that leaves it to the built-in one
    private final List<Family> families;

    private FeedCatalog(List<Rule> rules, List<Rule> headerRules, Map<FeedFormat, FeedProfile> formats,
                        FeedProfile fallback, List<Family> families) {
        this.families = List.copyOf(families);
        this.rules = List.copyOf(rules);
        this.headerRules = List.copyOf(headerRules);
        this.formats = formats.isEmpty() ? Map.of() : new EnumMap<>(formats);
        this.fallback = fallback;
    }

    private static final class Defaults {
        static final FeedCatalog INSTANCE = loadDefaults();

        private static FeedCatalog loadDefaults() {
            String name = "feed-catalog.yaml";
            try (InputStream in = FeedCatalog.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("built-in " + name + " missing from the class path");
                }
                FeedCatalog c = load(in, "built-in " + name);
                if (c.fallback == null) {
                    throw new InvalidCatalogException("built-in " + name, "fallback", "required in the built-in catalog");
                }
                return c;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The built-in catalog. */
    public static FeedCatalog defaults() {
        return Defaults.INSTANCE;
    }

    /**
     * Reads a catalog. Every section is optional; a catalog without {@code fallback} uses the
     * built-in one's.
     *
     * @param yaml       the catalog text
     * @param sourceName how to name it in errors (its path)
     * @throws InvalidCatalogException naming the source, the field ({@code rules[2].role}) and
     *                                 the problem, for bad YAML, unknown keys and bad values
     */
    public static FeedCatalog load(InputStream yaml, String sourceName) throws IOException {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidCatalogException(sourceName, "", "not valid YAML at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new FeedCatalog(List.of(), List.of(), Map.of(), null, List.of());
        }
        if (!root.isObject()) {
            throw new InvalidCatalogException(sourceName, "", "must be a mapping with keys " + sorted(TOP_KEYS));
        }
        checkKeys(sourceName, "", root, TOP_KEYS);
        List<Rule> rules = readRules(sourceName, "rules", root.get("rules"));
        List<Rule> headerRules = readRules(sourceName, "header_categories", root.get("header_categories"));
        Map<FeedFormat, FeedProfile> formats = new EnumMap<>(FeedFormat.class);
        JsonNode f = root.get("formats");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw new InvalidCatalogException(sourceName, "formats", "must be a mapping from format name to profile");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "formats." + e.getKey();
                FeedFormat format;
                try {
                    format = FeedFormat.fromWire(e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw new InvalidCatalogException(sourceName, path, ex.getMessage());
                }
                checkKeys(sourceName, path, e.getValue(), PROFILE_KEYS);
                formats.put(format, readProfile(sourceName, path, e.getValue()));
            }
        }
        JsonNode fb = root.get("fallback");
        FeedProfile fallback = null;
        if (fb != null && !fb.isNull()) {
            checkKeys(sourceName, "fallback", fb, PROFILE_KEYS);
            fallback = readProfile(sourceName, "fallback", fb);
        }
        return new FeedCatalog(rules, headerRules, formats, fallback, readFamilies(sourceName, root.get("families")));
    }

    private static List<Family> readFamilies(String source, JsonNode node) {
        List<Family> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidCatalogException(source, "families", "must be a list of {match, family}");
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "families[" + i + "]";
            checkKeys(source, path, node.get(i), FAMILY_KEYS);
            String regex = text(source, path + ".match", node.get(i).get("match"));
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidCatalogException(source, path + ".match", "not a valid regex: " + e.getDescription());
            }
            out.add(new Family(pattern, text(source, path + ".family", node.get(i).get("family"))));
        }
        return out;
    }

    /**
     * This catalog with {@code first}'s rules ahead of its own: an operator's catalog overrides
     * the built-in one rule by rule, format by format, and in its fallback when it sets one.
     */
    public FeedCatalog withOverrides(FeedCatalog first) {
        List<Rule> r = new ArrayList<>(first.rules);
        r.addAll(rules);
        List<Rule> h = new ArrayList<>(first.headerRules);
        h.addAll(headerRules);
        Map<FeedFormat, FeedProfile> f = new EnumMap<>(FeedFormat.class);
        f.putAll(formats);
        f.putAll(first.formats);
        List<Family> fam = new ArrayList<>(first.families);
        fam.addAll(families);
        return new FeedCatalog(r, h, f, first.fallback != null ? first.fallback : fallback, fam);
    }

    /**
     * Classifies a feed: the first name rule whose regex is found in the lower-case feed name
     * (then in the header's title), else the first header-category rule found in the header's
     * category text, else the format's profile, else the fallback. For a
     * {@link FeedFormat#WARNINGLIST} only allow and downgrade rules are considered, because a
     * list of known-good space is never evidence of malice.
     *
     * @param header what the feed says about itself; {@link FeedHeader#EMPTY} when nothing
     */
    public FeedProfile classify(String feedName, FeedFormat format, FeedHeader header) {
        boolean knownGoodOnly = format == FeedFormat.WARNINGLIST;
        FeedProfile p = first(rules, feedName, knownGoodOnly);
        if (p == null && header != null) {
            p = first(rules, header.title(), knownGoodOnly);
            if (p == null) {
                p = first(headerRules, header.category(), knownGoodOnly);
            }
        }
        if (p == null) {
            p = formats.get(format);
        }
        if (p == null) {
            p = fallback != null ? fallback : defaults().fallback;
        }
        String lower = feedName.strip().toLowerCase(Locale.ROOT);
        for (Family f : families) {
            if (f.match.matcher(lower).find()) {
                return new FeedProfile(p.categories(), p.reliability(), p.role(), p.minRefresh(), p.rationale(), f.name);
            }
        }
        return p;
    }

    private static FeedProfile first(List<Rule> rules, String text, boolean knownGoodOnly) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String lower = text.strip().toLowerCase(Locale.ROOT);
        for (Rule r : rules) {
            if (knownGoodOnly && r.profile.role() == FeedRole.THREAT) {
                continue;
            }
            if (r.match.matcher(lower).find()) {
                return r.profile;
            }
        }
        return null;
    }

    private static List<Rule> readRules(String source, String section, JsonNode node) {
        List<Rule> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidCatalogException(source, section, "must be a list of rules");
        }
        for (int i = 0; i < node.size(); i++) {
            String path = section + "[" + i + "]";
            JsonNode r = node.get(i);
            checkKeys(source, path, r, RULE_KEYS);
            String regex = text(source, path + ".match", r.get("match"));
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new InvalidCatalogException(source, path + ".match", "not a valid regex '" + regex + "': "
                        + e.getDescription());
            }
            out.add(new Rule(pattern, readProfile(source, path, r)));
        }
        return out;
    }

    private static FeedProfile readProfile(String source, String path, JsonNode p) {
        JsonNode cats = required(source, path + ".categories", p.get("categories"));
        if (!cats.isArray()) {
            throw new InvalidCatalogException(source, path + ".categories", "must be a list such as [brute_force]");
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        for (int i = 0; i < cats.size(); i++) {
            String c = text(source, path + ".categories[" + i + "]", cats.get(i));
            try {
                categories.add(Category.fromWire(c));
            } catch (IllegalArgumentException e) {
                throw new InvalidCatalogException(source, path + ".categories[" + i + "]", e.getMessage());
            }
        }
        JsonNode rel = required(source, path + ".reliability", p.get("reliability"));
        if (!rel.isNumber() || !(rel.asDouble() >= 0.0 && rel.asDouble() <= 1.0)) {
            throw new InvalidCatalogException(source, path + ".reliability", "'" + rel.asText()
                    + "' is not a number in range 0.0-1.0");
        }
        String roleText = text(source, path + ".role", p.get("role"));
        FeedRole role;
        try {
            role = FeedRole.fromWire(roleText);
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogException(source, path + ".role", e.getMessage());
        }
        String refresh = text(source, path + ".min_refresh", p.get("min_refresh"));
        Duration minRefresh;
        try {
            minRefresh = DurationText.parse(refresh);
        } catch (IllegalArgumentException e) {
            throw new InvalidCatalogException(source, path + ".min_refresh", e.getMessage());
        }
        String why = text(source, path + ".why", p.get("why"));
        return new FeedProfile(categories, rel.asDouble(), role, minRefresh, why, null);
    }

    private static JsonNode required(String source, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidCatalogException(source, path, "required");
        }
        return node;
    }

    private static String text(String source, String path, JsonNode node) {
        required(source, path, node);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new InvalidCatalogException(source, path, "must be a non-empty string");
        }
        return node.asText();
    }

    private static void checkKeys(String source, String path, JsonNode node, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw new InvalidCatalogException(source, path, "must be a mapping with keys " + sorted(allowed));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new InvalidCatalogException(source, path.isEmpty() ? key : path + "." + key,
                        "unknown key; known: " + sorted(allowed));
            }
        }
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}
