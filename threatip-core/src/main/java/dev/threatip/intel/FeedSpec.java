package dev.threatip.intel;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One feed as the operator names it (DESIGN.md §4 "Feed SPEC"):
 * {@code PATH_OR_URL[,name=N][,format=F][,category=C][,confidence=L][,ttl=DURATION][,refresh=DURATION][,option=V]...}.
 * A null or empty field means "infer it" (from the feed's name, header or content).
 *
 * @param location   a file, a directory, or an {@code http(s)} URL
 * @param name       the feed's name, or null to infer it with {@link #inferName}
 * @param format     the feed format, or null to infer it
 * @param categories the categories of every entry; empty to infer them
 * @param confidence the confidence of every entry, or null to infer it
 * @param ttl        how long an entry stays valid after the feed last listed it, or null for the default
 * @param minRefresh the minimum interval between two downloads of the feed, or null for the default
 * @param options    format options such as {@code ip-column=ip}; keys match {@code [a-z][a-z0-9-]*}
 */
public record FeedSpec(String location, String name, FeedFormat format, Set<Category> categories,
                       Confidence confidence, Duration ttl, Duration minRefresh, Map<String, String> options) {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern URL = Pattern.compile("(?i)https?://.*");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    /** Extensions that say how a feed is stored, not what it is called; stripped repeatedly. */
    private static final List<String> EXTENSIONS = List.of(".gz", ".txt", ".ipset", ".netset", ".lst",
            ".list", ".json", ".csv", ".tsv", ".ipv4", ".ipv6");

    public FeedSpec {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("feed spec needs a location (a path or an http(s) URL)");
        }
        name = name == null || name.isEmpty() ? null : name;
        categories = categories == null || categories.isEmpty()
                ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
        for (String key : options.keySet()) {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("feed option key '" + key + "' must match [a-z][a-z0-9-]*");
            }
        }
    }

    /** A spec of just a location, everything else inferred. */
    public static FeedSpec of(String location) {
        return new FeedSpec(location, null, null, Set.of(), null, null, null, Map.of());
    }

    /**
     * Parses a feed spec. When the location itself holds commas (a URL query), quote it:
     * {@code "https://host/list?a=1,2",name=x}; the location then runs to the next {@code "}.
     *
     * @throws IllegalArgumentException naming the spec, the key and what is wrong
     */
    public static FeedSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("feed spec is empty; expected PATH_OR_URL[,key=value]...");
        }
        String location;
        String rest;
        if (spec.startsWith("\"")) {
            int close = spec.indexOf('"', 1);
            if (close < 0) {
                throw error(spec, "quoted location has no closing '\"'");
            }
            location = spec.substring(1, close);
            rest = spec.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(",")) {
                throw error(spec, "expected ',' after the quoted location");
            }
        } else {
            int comma = spec.indexOf(',');
            location = (comma < 0 ? spec : spec.substring(0, comma)).strip();
            rest = comma < 0 ? "" : spec.substring(comma);
        }
        if (location.isEmpty()) {
            throw error(spec, "no location");
        }

        String name = null;
        FeedFormat format = null;
        Set<Category> categories = EnumSet.noneOf(Category.class);
        Confidence confidence = null;
        Duration ttl = null;
        Duration refresh = null;
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String field : rest.isEmpty() ? new String[0] : rest.substring(1).split(",", -1)) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw error(spec, "field '" + field.strip() + "' is not key=value");
            }
            String key = field.substring(0, eq).strip();
            String value = field.substring(eq + 1).strip();
            if (!KEY.matcher(key).matches()) {
                throw error(spec, "key '" + key + "' must match [a-z][a-z0-9-]*");
            }
            if (value.isEmpty()) {
                throw error(spec, "key '" + key + "' has no value");
            }
            // category is the one key that may repeat; any other repeat is a typo worth stopping for
            if (!key.equals("category") && seen.contains(key)) {
                throw error(spec, "key '" + key + "' given twice");
            }
            seen.add(key);
            try {
                switch (key) {
                    case "name" -> name = value;
                    case "format" -> format = FeedFormat.fromWire(value);
                    case "category" -> {
                        for (String c : value.split("\\+", -1)) {
                            categories.add(Category.fromWire(c.strip()));
                        }
                    }
                    case "confidence" -> confidence = Confidence.fromWire(value);
                    case "ttl" -> ttl = DurationText.parse(value);
                    case "refresh" -> refresh = DurationText.parse(value);
                    default -> options.put(key, value);
                }
            } catch (IllegalArgumentException e) {
                throw error(spec, key + ": " + e.getMessage());
            }
        }
        return new FeedSpec(location, name, format, categories, confidence, ttl, refresh, options);
    }

    /** The name from the spec, or the one {@link #inferName} gives the location. */
    public String effectiveName() {
        return name != null ? name : inferName(location);
    }

    /** True when the location is an {@code http://} or {@code https://} URL. */
    public boolean isUrl() {
        return URL.matcher(location).matches();
    }

    /**
     * A feed name from a path or URL: the file name without storage extensions
     * ({@code blocklist_de_ssh.ipset} → {@code blocklist_de_ssh},
     * {@code abuseipdb-s100-1d_compressed.ipv4.gz} → {@code abuseipdb-s100-1d_compressed}). A purely
     * numeric name says nothing alone, so the parent and grandparent directories are prefixed
     * ({@code ipsum/levels/3.txt} → {@code ipsum_levels_3}); a MISP {@code manifest.json} is named
     * by its directory. For a URL the last path segment is used the same way, or the host when
     * the path is empty. The result is lower case and restricted to {@code [a-z0-9_.-]}.
     */
    public static String inferName(String location) {
        List<String> segments = new ArrayList<>();
        if (URL.matcher(location).matches()) {
            URI uri;
            try {
                uri = new URI(location);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("feed URL '" + location + "' is not a valid URI: "
                        + e.getReason(), e);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            addSegments(segments, path);
            if (segments.isEmpty()) {
                return sanitize(uri.getHost() == null ? "feed" : uri.getHost());
            }
        } else {
            addSegments(segments, location.replace('\\', '/'));
        }
        if (segments.isEmpty()) {
            return "feed";
        }
        int last = segments.size() - 1;
        String stem = stripExtensions(segments.get(last));
        if (stem.equalsIgnoreCase("manifest") && last > 0) {
            return sanitize(segments.get(last - 1));
        }
        if (DIGITS.matcher(stem).matches()) {
            StringBuilder b = new StringBuilder();
            for (int i = Math.max(0, last - 2); i < last; i++) {
                b.append(segments.get(i)).append('_');
            }
            stem = b.append(stem).toString();
        }
        return sanitize(stem);
    }

    private static void addSegments(List<String> out, String path) {
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
    }

    private static String stripExtensions(String fileName) {
        String stem = fileName;
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String ext : EXTENSIONS) {
                if (stem.length() > ext.length() && stem.toLowerCase(Locale.ROOT).endsWith(ext)) {
                    stem = stem.substring(0, stem.length() - ext.length());
                    stripped = true;
                }
            }
        }
        return stem;
    }

    private static String sanitize(String raw) {
        String s = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
        return s.isEmpty() ? "feed" : s;
    }

    private static IllegalArgumentException error(String spec, String why) {
        return new IllegalArgumentException("feed spec '" + spec + "': " + why);
    }
}
