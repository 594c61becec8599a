package dev.threatip.detect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.DurationText;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads rule files and compiles them once into a {@link RuleSet} (the CrowdSec
 * {@code leakybucket/compile.go} step): every key is checked, every list and range reference
 * resolved, every literal folded into its field's automaton and every regex compiled, so nothing
 * is parsed per event. Files are layered: later files add rules, replace rules, lists and range
 * sets by name, and extend the known-good set; {@code enabled: false} drops a rule. Every error
 * is an {@link InvalidRuleException} naming file, rule, field, line and column.
 */
final class RuleLoader {
    static final int DEFAULT_MAX_KEYS = 1_000_000;
    static final int DEFAULT_DISTINCT_CAP = 64;
    static final int MAX_DISTINCT_CAP = 65_536;
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofDays(7);

    private static final Set<String> TOP_KEYS = Set.of("rules", "lists", "ranges", "allow", "settings");
    private static final Set<String> RULE_KEYS = Set.of("id", "category", "description", "filter", "group_by",
            "window", "count", "thresholds", "tags", "enabled", "distinct_cap", "flag_participants", "profile");
    private static final Set<String> SETTING_KEYS = Set.of("max_keys_per_rule", "distinct_cap");
    private static final Set<String> ALLOW_KEYS = Set.of("ranges", "cidrs");
    private static final List<String> TEXT_OPS = List.of("contains_any", "not_contains_any", "equals_any",
            "not_equals_any", "starts_with_any", "not_starts_with_any", "ends_with_any", "not_ends_with_any",
            "glob_any", "not_glob_any", "regex", "not_regex", "empty");
    private static final List<String> NUMBER_OPS = List.of("in", "not_in", "gte", "gt", "lte", "lt");
    private static final List<String> ADDRESS_OPS = List.of("in_ranges", "not_in_ranges", "cidr_any", "not_cidr_any");
    private static final Map<String, Integer> SIGNALS = RequestNormalizer.SIGNALS;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern STATUS_CLASS = Pattern.compile("([1-5])xx");
    private static final Pattern NUMBER_RANGE = Pattern.compile("(\\d{1,18})-(\\d{1,18})");

    /** Reads a file a rule file names ({@code {file: bad-bots.txt}}), relative to that rule file. */
    interface FileResolver {
        String read(String relative) throws IOException;
    }

    /** One rule file: its name for errors, its text, and how to read the files it references. */
    record Source(String name, String text, FileResolver files) {
    }

    private record RuleDoc(String id, JsonNode node, YamlTree tree, String file, boolean enabled) {
    }

    private record Named<T>(T value, String file) {
    }

    private final Map<String, RuleDoc> rules = new LinkedHashMap<>();
    private final Map<String, Named<List<String>>> lists = new LinkedHashMap<>();
    private final Map<String, Named<List<Cidr>>> ranges = new LinkedHashMap<>();
    private final Map<String, String> allowRanges = new LinkedHashMap<>(); // range-set name -> file naming it
    private final List<Cidr> allowCidrs = new ArrayList<>();
    private int maxKeys = DEFAULT_MAX_KEYS;
    private int distinctCap = DEFAULT_DISTINCT_CAP;

    // compile-time registries
    private final Map<String, Integer> targetPatterns = new LinkedHashMap<>();
    private final Map<Field, Map<String, Integer>> rawPatterns = new EnumMap<>(Field.class);
    private final List<Pattern> regexes = new ArrayList<>();
    private boolean usesTarget;

    /** The context of an error: file, tree for locations, rule id. */
    private record Ctx(String file, YamlTree tree, String rule) {
        InvalidRuleException fail(JsonNode container, Object key, String field, String why) {
            int[] at = key == null ? tree.at(container)
                    : key instanceof Integer i ? tree.at(container, i) : tree.at(container, (String) key);
            return new InvalidRuleException(file, rule, field, why, at[0], at[1]);
        }
    }

    /** Adds one file's rules, lists, ranges, allowlist and settings over what came before. */
    void add(Source source) {
        YamlTree tree = YamlTree.parse(source.name(), source.text());
        JsonNode root = tree.root();
        Ctx ctx = new Ctx(source.name(), tree, null);
        if (!root.isObject()) {
            throw ctx.fail(root, null, "", "a rule file is a mapping with keys " + String.join(", ", TOP_KEYS));
        }
        checkKeys(ctx, root, "", TOP_KEYS);
        JsonNode settings = root.get("settings");
        if (settings != null) {
            requireObject(ctx, root, "settings", settings);
            checkKeys(ctx, settings, "settings", SETTING_KEYS);
            if (settings.has("max_keys_per_rule")) {
                maxKeys = (int) intIn(ctx, settings, "max_keys_per_rule", "settings.max_keys_per_rule", 1, 100_000_000);
            }
            if (settings.has("distinct_cap")) {
                distinctCap = (int) intIn(ctx, settings, "distinct_cap", "settings.distinct_cap", 1, MAX_DISTINCT_CAP);
            }
        }
        JsonNode ls = root.get("lists");
        if (ls != null) {
            requireObject(ctx, root, "lists", ls);
            for (Iterator<String> it = ls.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                lists.put(name, new Named<>(readList(ctx, source, ls, name), source.name()));
            }
        }
        JsonNode rs = root.get("ranges");
        if (rs != null) {
            requireObject(ctx, root, "ranges", rs);
            for (Iterator<String> it = rs.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                List<String> texts = readList(ctx, source, rs, name);
                List<Cidr> cidrs = new ArrayList<>();
                for (String t : texts) {
                    cidrs.add(cidr(ctx, rs, name, "ranges." + name, t));
                }
                ranges.put(name, new Named<>(cidrs, source.name()));
            }
        }
        JsonNode allow = root.get("allow");
        if (allow != null) {
            requireObject(ctx, root, "allow", allow);
            checkKeys(ctx, allow, "allow", ALLOW_KEYS);
            if (allow.has("ranges")) {
                for (String name : strings(ctx, allow, "ranges", "allow.ranges")) {
                    allowRanges.put(name, source.name());
                }
            }
            if (allow.has("cidrs")) {
                for (String t : strings(ctx, allow, "cidrs", "allow.cidrs")) {
                    allowCidrs.add(cidr(ctx, allow, "cidrs", "allow.cidrs", t));
                }
            }
        }
        JsonNode rl = root.get("rules");
        if (rl != null) {
            if (!rl.isArray()) {
                throw ctx.fail(root, "rules", "rules", "must be a list of rules");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < rl.size(); i++) {
                JsonNode r = rl.get(i);
                if (!r.isObject()) {
                    throw ctx.fail(rl, i, "rules[" + i + "]", "a rule is a mapping with keys " + String.join(", ", RULE_KEYS));
                }
                JsonNode idNode = r.get("id");
                if (idNode == null || !idNode.isTextual() || !ID.matcher(idNode.asText()).matches()) {
                    throw ctx.fail(r, idNode == null ? null : "id", "rules[" + i + "].id",
                            "every rule needs an id of lower-case letters, digits, '.', '_' or '-' (got "
                                    + (idNode == null ? "none" : "'" + idNode.asText() + "'") + ")");
                }
                String id = idNode.asText();
                Ctx rc = new Ctx(source.name(), tree, id);
                if (!seen.add(id)) {
                    throw rc.fail(r, "id", "id", "duplicate rule id '" + id + "' in one file");
                }
                checkKeys(rc, r, "", RULE_KEYS);
                boolean enabled = !r.has("enabled") || bool(rc, r, "enabled", "enabled");
                rules.put(id, new RuleDoc(id, r, tree, source.name(), enabled));
            }
        }
    }

    /** Compiles the enabled rules; {@code extraAllow} joins the known-good set, {@code maxKeysOverride} > 0 wins. */
    RuleSet compile(List<Cidr> extraAllow, int maxKeysOverride) {
        List<Rule> compiled = new ArrayList<>();
        for (RuleDoc d : rules.values()) {
            if (d.enabled()) {
                compiled.add(compileRule(d));
            }
        }
        List<Cidr> good = new ArrayList<>(allowCidrs);
        good.addAll(extraAllow);
        for (Map.Entry<String, String> a : allowRanges.entrySet()) {
            String name = a.getKey();
            Named<List<Cidr>> r = ranges.get(name);
            if (r == null) {
                throw new InvalidRuleException(a.getValue(), null, "allow.ranges", "unknown range set '" + name
                        + "'; known: " + String.join(", ", ranges.keySet()), 0, 0);
            }
            good.addAll(r.value());
        }
        ByteAutomaton target = ByteAutomaton.of(bytes(targetPatterns));
        Map<Field, ByteAutomaton> raw = new EnumMap<>(Field.class);
        for (Map.Entry<Field, Map<String, Integer>> e : rawPatterns.entrySet()) {
            raw.put(e.getKey(), ByteAutomaton.of(bytes(e.getValue())));
        }
        return new RuleSet(compiled, target, raw, regexes, new RangeSet(good),
                maxKeysOverride > 0 ? maxKeysOverride : maxKeys, usesTarget);
    }

    private static List<byte[]> bytes(Map<String, Integer> patterns) {
        List<byte[]> out = new ArrayList<>();
        for (String p : patterns.keySet()) {
            out.add(p.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private Rule compileRule(RuleDoc d) {
        Ctx c = new Ctx(d.file(), d.tree(), d.id());
        JsonNode r = d.node();
        for (String required : List.of("category", "filter", "thresholds")) {
            if (!r.has(required)) {
                throw c.fail(r, null, required, "missing; a rule needs id, category, filter and thresholds"
                        + " (an override replaces the whole rule; to switch one off write only id and enabled: false)");
            }
        }
        Category category;
        try {
            category = Category.fromWire(text(c, r, "category", "category"));
        } catch (IllegalArgumentException e) {
            throw c.fail(r, "category", "category", e.getMessage());
        }
        String description = r.has("description") ? text(c, r, "description", "description") : "";
        Rule.GroupBy groupBy = Rule.GroupBy.IP;
        if (r.has("group_by")) {
            String g = text(c, r, "group_by", "group_by");
            groupBy = Rule.GroupBy.fromWire(g);
            if (groupBy == null) {
                throw c.fail(r, "group_by", "group_by", "unknown grouping '" + g + "'; known: " + Rule.GroupBy.known());
            }
        }
        Duration window = Duration.ofMinutes(10);
        if (r.has("window")) {
            window = duration(c, r, "window", "window");
        }
        Rule.Count count = Rule.Count.REQUESTS;
        if (r.has("count")) {
            String k = text(c, r, "count", "count");
            count = Rule.Count.fromWire(k);
            if (count == null) {
                throw c.fail(r, "count", "count", "unknown count '" + k + "'; known: " + Rule.Count.known());
            }
        }
        int cap = distinctCap;
        if (r.has("distinct_cap")) {
            if (!count.distinct()) {
                throw c.fail(r, "distinct_cap", "distinct_cap", "only applies to distinct counts, not '" + count.wire + "'");
            }
            cap = (int) intIn(c, r, "distinct_cap", "distinct_cap", 1, MAX_DISTINCT_CAP);
        }
        long[] thresholds = thresholds(c, r, count, cap);
        boolean participants = r.has("flag_participants") && bool(c, r, "flag_participants", "flag_participants");
        if (participants && (count != Rule.Count.DISTINCT_IPS
                || (groupBy != Rule.GroupBy.ENDPOINT && groupBy != Rule.GroupBy.SITE))) {
            throw c.fail(r, "flag_participants", "flag_participants",
                    "needs group_by endpoint or site and count distinct_ips (got " + groupBy.wire + ", " + count.wire + ")");
        }
        if (count == Rule.Count.DISTINCT_IPS && (groupBy == Rule.GroupBy.IP || groupBy == Rule.GroupBy.IP_HOST)) {
            throw c.fail(r, "count", "count", "distinct_ips is always 1 per " + groupBy.wire + " group; use endpoint or site");
        }
        List<String> tags = r.has("tags") ? strings(c, r, "tags", "tags") : List.of();
        boolean profile = !r.has("profile") || bool(c, r, "profile", "profile");
        JsonNode f = r.get("filter");
        requireObject(c, r, "filter", f);
        if (f.isEmpty()) {
            throw c.fail(r, "filter", "filter", "must name at least one condition; fields: " + Field.known());
        }
        Filter filter = filter(c, f, "filter");
        return new Rule(d.id(), d.file(), category, description, filter, groupBy, window, count, thresholds, tags,
                cap, participants, profile);
    }

    private long[] thresholds(Ctx c, JsonNode r, Rule.Count count, int cap) {
        JsonNode t = r.get("thresholds");
        requireObject(c, r, "thresholds", t);
        checkKeys(c, t, "thresholds", Set.of("general", "moderate", "high"));
        long[] out = new long[Confidence.values().length];
        long prev = 0;
        String prevName = null;
        for (Confidence conf : Confidence.values()) {
            String k = conf.wireName();
            if (!t.has(k)) {
                continue;
            }
            long v = intIn(c, t, k, "thresholds." + k, 1, Integer.MAX_VALUE);
            if (v <= prev) {
                throw c.fail(t, k, "thresholds." + k, "thresholds must increase general < moderate < high; "
                        + k + " " + v + " is not above " + prevName + " " + prev);
            }
            if (count.distinct() && v > cap) {
                throw c.fail(t, k, "thresholds." + k, "a distinct count saturates at distinct_cap " + cap
                        + ", so threshold " + v + " could never be reached; raise distinct_cap or lower the threshold");
            }
            out[conf.ordinal()] = v;
            prev = v;
            prevName = k;
        }
        if (prev == 0) {
            throw c.fail(r, "thresholds", "thresholds", "give at least one of general, moderate, high");
        }
        return out;
    }

    private Filter filter(Ctx c, JsonNode node, String path) {
        List<Filter> parts = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode v = node.get(key);
            String p = path + "." + key;
            switch (key) {
                case "any", "all" -> {
                    if (!v.isArray() || v.isEmpty()) {
                        throw c.fail(node, key, p, "must be a non-empty list of conditions");
                    }
                    Filter[] subs = new Filter[v.size()];
                    for (int i = 0; i < v.size(); i++) {
                        JsonNode s = v.get(i);
                        if (!s.isObject() || s.isEmpty()) {
                            throw c.fail(v, i, p + "[" + i + "]", "each entry is a mapping of conditions");
                        }
                        subs[i] = filter(c, s, p + "[" + i + "]");
                    }
                    parts.add(key.equals("any") ? new Filter.Any(subs) : new Filter.All(subs));
                }
                case "not" -> {
                    if (!v.isObject() || v.isEmpty()) {
                        throw c.fail(node, key, p, "must be a mapping of conditions");
                    }
                    parts.add(new Filter.Not(filter(c, v, p)));
                }
                default -> {
                    Field field = Field.fromWire(key);
                    if (field == null) {
                        throw c.fail(node, key, p, "unknown field '" + key + "'; known: " + Field.known());
                    }
                    if (!v.isObject() || v.isEmpty()) {
                        throw c.fail(node, key, p, "must be a mapping of operators, e.g. {contains_any: [...]}");
                    }
                    parts.add(fieldFilter(c, field, v, p));
                }
            }
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.All(parts.toArray(Filter[]::new));
    }

    private Filter fieldFilter(Ctx c, Field field, JsonNode ops, String path) {
        List<Filter> parts = new ArrayList<>();
        List<String> known = switch (field.kind) {
            case TEXT -> TEXT_OPS;
            case NUMBER -> NUMBER_OPS;
            case ADDRESS -> ADDRESS_OPS;
            case SIGNAL -> List.of("any_of");
        };
        for (Iterator<String> it = ops.fieldNames(); it.hasNext(); ) {
            String op = it.next();
            String p = path + "." + op;
            if (!known.contains(op)) {
                throw c.fail(ops, op, p, "unknown operator '" + op + "' for " + field.wire + "; known: "
                        + String.join(", ", known));
            }
            parts.add(switch (field.kind) {
                case TEXT -> textOp(c, field, ops, op, p);
                case NUMBER -> numberOp(c, field, ops, op, p);
                case ADDRESS -> addressOp(c, ops, op, p);
                case SIGNAL -> signalOp(c, ops, op, p);
            });
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.All(parts.toArray(Filter[]::new));
    }

    private Filter textOp(Ctx c, Field field, JsonNode ops, String op, String p) {
        if (op.equals("empty")) {
            boolean want = bool(c, ops, op, p);
            Filter e = new Filter.Empty(field);
            return want ? e : new Filter.Not(e);
        }
        boolean negate = op.startsWith("not_");
        String base = negate ? op.substring(4) : op;
        Filter f;
        if (base.equals("regex")) {
            String re = text(c, ops, op, p);
            try {
                regexes.add(Pattern.compile(re, Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw c.fail(ops, op, p, "bad regular expression: " + e.getDescription() + " near index " + e.getIndex()
                        + " in '" + re + "'");
            }
            markUsed(field);
            f = new Filter.Regex(field, regexes.size() - 1);
        } else {
            List<String> values = values(c, ops, op, p);
            for (String v : values) {
                if (v.isEmpty()) {
                    throw c.fail(ops, op, p, "an empty string matches everything; remove it or use empty: true");
                }
            }
            if (base.equals("contains_any")) {
                Map<String, Integer> reg = field.raw ? rawPatterns.computeIfAbsent(field, k -> new LinkedHashMap<>())
                        : targetPatterns;
                markUsed(field);
                int max = 0;
                int[] ids = new int[values.size()];
                for (int i = 0; i < ids.length; i++) {
                    String lower = values.get(i).toLowerCase(Locale.ROOT);
                    Integer id = reg.get(lower);
                    if (id == null) {
                        id = reg.size();
                        reg.put(lower, id);
                    }
                    ids[i] = id;
                    max = Math.max(max, id);
                }
                long[] mask = new long[(max >>> 6) + 1];
                for (int id : ids) {
                    mask[id >>> 6] |= 1L << id;
                }
                f = new Filter.Contains(field, mask);
            } else {
                markUsed(field);
                byte[][] pats = new byte[values.size()][];
                for (int i = 0; i < pats.length; i++) {
                    pats[i] = values.get(i).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                }
                Filter.AffixMode mode = switch (base) {
                    case "equals_any" -> Filter.AffixMode.EQUALS;
                    case "starts_with_any" -> Filter.AffixMode.PREFIX;
                    case "ends_with_any" -> Filter.AffixMode.SUFFIX;
                    default -> Filter.AffixMode.GLOB;
                };
                f = new Filter.Affix(field, mode, pats);
            }
        }
        return negate ? new Filter.Not(f) : f;
    }

    private void markUsed(Field field) {
        if (!field.raw) {
            usesTarget = true;
        }
    }

    private Filter numberOp(Ctx c, Field field, JsonNode ops, String op, String p) {
        long[] lo;
        long[] hi;
        switch (op) {
            case "in", "not_in" -> {
                List<String> values = values(c, ops, op, p);
                lo = new long[values.size()];
                hi = new long[values.size()];
                for (int i = 0; i < values.size(); i++) {
                    String v = values.get(i).trim();
                    Matcher cls = STATUS_CLASS.matcher(v);
                    Matcher range = NUMBER_RANGE.matcher(v);
                    if (cls.matches()) {
                        lo[i] = Long.parseLong(cls.group(1)) * 100;
                        hi[i] = lo[i] + 99;
                    } else if (range.matches()) {
                        lo[i] = Long.parseLong(range.group(1));
                        hi[i] = Long.parseLong(range.group(2));
                        if (lo[i] > hi[i]) {
                            throw c.fail(ops, op, p, "range '" + v + "' runs backwards");
                        }
                    } else if (v.matches("\\d{1,18}")) {
                        lo[i] = hi[i] = Long.parseLong(v);
                    } else {
                        throw c.fail(ops, op, p, "'" + v + "' is not a number, a range like 400-499 or a class like 4xx");
                    }
                }
                Filter f = new Filter.NumberIn(field, lo, hi);
                return op.equals("in") ? f : new Filter.Not(f);
            }
            default -> {
                long v = intIn(c, ops, op, p, 0, Long.MAX_VALUE - 1);
                long a = switch (op) {
                    case "gte" -> v;
                    case "gt" -> v + 1;
                    default -> 0;
                };
                long b = switch (op) {
                    case "lte" -> v;
                    case "lt" -> v - 1;
                    default -> Long.MAX_VALUE;
                };
                return new Filter.NumberIn(field, new long[] {a}, new long[] {b});
            }
        }
    }

    private Filter addressOp(Ctx c, JsonNode ops, String op, String p) {
        List<Cidr> cidrs = new ArrayList<>();
        if (op.endsWith("in_ranges")) {
            for (String name : values(c, ops, op, p)) {
                Named<List<Cidr>> r = ranges.get(name);
                if (r == null) {
                    throw c.fail(ops, op, p, "unknown range set '" + name + "'; known: " + String.join(", ", ranges.keySet()));
                }
                cidrs.addAll(r.value());
            }
        } else {
            for (String t : values(c, ops, op, p)) {
                cidrs.add(cidr(c, ops, op, p, t));
            }
        }
        Filter f = new Filter.InRanges(new RangeSet(cidrs));
        return op.startsWith("not_") ? new Filter.Not(f) : f;
    }

    private Filter signalOp(Ctx c, JsonNode ops, String op, String p) {
        int mask = 0;
        for (String s : values(c, ops, op, p)) {
            Integer bit = SIGNALS.get(s);
            if (bit == null) {
                throw c.fail(ops, op, p, "unknown signal '" + s + "'; known: " + String.join(", ", SIGNALS.keySet()));
            }
            mask |= bit;
        }
        return new Filter.Signal(mask);
    }

    /** A value list: a scalar, a list of scalars, and {@code @name} references to named lists, spliced in. */
    private List<String> values(Ctx c, JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            if (v.isEmpty()) {
                throw c.fail(obj, key, p, "must not be empty");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isValueNode() || e.isNull()) {
                    throw c.fail(v, i, p + "[" + i + "]", "must be a string or number");
                }
                splice(c, v, i, p + "[" + i + "]", e.asText(), out);
            }
        } else if (v.isValueNode() && !v.isNull()) {
            splice(c, obj, key, p, v.asText(), out);
        } else {
            throw c.fail(obj, key, p, "must be a value or a list of values");
        }
        return out;
    }

    private void splice(Ctx c, JsonNode container, Object key, String p, String text, List<String> out) {
        if (text.startsWith("@@")) {
            out.add(text.substring(1)); // "@@x" is the literal "@x"
        } else if (text.startsWith("@")) {
            Named<List<String>> l = lists.get(text.substring(1));
            if (l == null) {
                throw c.fail(container, key, p, "unknown list '" + text + "'; known: "
                        + (lists.isEmpty() ? "(none)" : "@" + String.join(", @", lists.keySet())));
            }
            out.addAll(l.value());
        } else {
            out.add(text);
        }
    }

    private List<String> readList(Ctx c, Source source, JsonNode obj, String key) {
        JsonNode v = obj.get(key);
        if (v.isObject()) {
            checkKeys(c, v, key, Set.of("file"));
            String rel = text(c, v, "file", key + ".file");
            String text;
            try {
                text = source.files().read(rel);
            } catch (IOException e) {
                throw c.fail(v, "file", key + ".file", "cannot read '" + rel + "': " + e.getMessage());
            }
            List<String> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            if (out.isEmpty()) {
                throw c.fail(v, "file", key + ".file", "'" + rel + "' holds no entries");
            }
            return List.copyOf(out);
        }
        if (!v.isArray()) {
            throw c.fail(obj, key, key, "must be a list of values or {file: NAME}");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isValueNode() || v.get(i).isNull()) {
                throw c.fail(v, i, key + "[" + i + "]", "must be a string or number");
            }
            out.add(v.get(i).asText());
        }
        return List.copyOf(out);
    }

    private static Cidr cidr(Ctx c, JsonNode container, String key, String p, String text) {
        try {
            return Cidr.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw c.fail(container, key, p, "bad CIDR '" + text + "': " + e.getMessage());
        }
    }

    private static void checkKeys(Ctx c, JsonNode obj, String path, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw c.fail(obj, k, path.isEmpty() ? k : path + "." + k, "unknown key '" + k + "'; known: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static void requireObject(Ctx c, JsonNode parent, String key, JsonNode v) {
        if (!v.isObject()) {
            throw c.fail(parent, key, key, "must be a mapping");
        }
    }

    private static String text(Ctx c, JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        if (v == null || !v.isTextual()) {
            throw c.fail(obj, key, p, "must be a string");
        }
        return v.asText();
    }

    private static List<String> strings(Ctx c, JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        if (!v.isArray()) {
            throw c.fail(obj, key, p, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw c.fail(v, i, p + "[" + i + "]", "must be a string");
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    private static boolean bool(Ctx c, JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        if (!v.isBoolean()) {
            throw c.fail(obj, key, p, "must be true or false, not '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    private static long intIn(Ctx c, JsonNode obj, String key, String p, long min, long max) {
        JsonNode v = obj.get(key);
        if (!v.isIntegralNumber()) {
            throw c.fail(obj, key, p, "must be a whole number in " + min + "-" + max + ", not '" + v.asText() + "'");
        }
        long x = v.asLong();
        if (x < min || x > max) {
            throw c.fail(obj, key, p, x + " is out of range " + min + "-" + max);
        }
        return x;
    }

    private static Duration duration(Ctx c, JsonNode obj, String key, String p) {
        String text = text(c, obj, key, p);
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            d = null;
        }
        if (d == null) {
            throw c.fail(obj, key, p, "bad duration '" + text + "'; use a number with ms, s, m, h or d (30s, 10m, 1h)"
                    + " or ISO-8601 (PT10M)");
        }
        if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0) {
            throw c.fail(obj, key, p, "window '" + text + "' is out of range 1s-7d");
        }
        return d;
    }
}
