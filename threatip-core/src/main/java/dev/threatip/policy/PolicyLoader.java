package dev.threatip.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.detect.YamlTree;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.DurationText;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a policy document once into a {@link Policy} (the rule loader's approach in
 * {@code dev.threatip.detect}): every key checked against the allowed ones, every action,
 * category, CIDR, host, duration and regex parsed now, so a bad policy stops start-up (or is
 * refused by a reload) with file, line, column and key, and nothing is parsed per request.
 */
final class PolicyLoader {
    static final int DEFAULT_MAX_CLIENTS = 100_000;

    private static final Set<String> TOP_KEYS = Set.of("matrix", "paths", "hosts", "exceptions", "rules",
            "shared_action", "responses", "mode");
    private static final Set<String> CONDITION_KEYS = Set.of("ip", "host", "path", "method", "header_present",
            "header_absent", "headers", "user_agent", "user_agent_regex", "user_agent_missing", "category",
            "min_confidence");
    private static final Set<String> EXCEPTION_KEYS = union(CONDITION_KEYS, Set.of("id", "description", "skip"));
    private static final Set<String> RULE_KEYS = union(CONDITION_KEYS,
            Set.of("id", "description", "rate", "action", "actions", "status", "enabled"));
    private static final Set<String> RATE_KEYS = Set.of("requests", "per", "burst", "max_clients");
    private static final Set<String> OVERRIDE_KEYS = Set.of("matrix");
    private static final Set<String> HOST_KEYS = Set.of("matrix", "paths");
    private static final Set<String> RESPONSE_KEYS = Set.of("block_page", "clearance_ttl", "pow_difficulty");
    private static final List<String> SKIPS = List.of("all", "reputation", "decisions", "rules");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");

    /** Reads a file the policy names, relative to it. */
    interface FileResolver {
        String read(String relative) throws IOException;
    }

    private final String file;
    private final LongSupplier ticker;
    private final FileResolver files;
    private YamlTree tree;
    private String prefix = ""; // "policy." when the policy is a section of threatip.yaml

    PolicyLoader(String file, LongSupplier ticker, FileResolver files) {
        this.file = file;
        this.ticker = ticker;
        this.files = files;
    }

    private InvalidPolicyException fail(JsonNode container, Object key, String path, String why) {
        int[] at = key == null ? tree.at(container)
                : key instanceof Integer i ? tree.at(container, i) : tree.at(container, (String) key);
        return new InvalidPolicyException(file, prefix + path, why, at[0], at[1]);
    }

    /** A policy document's tree: YAML problems are {@link InvalidPolicyException}s with line and column. */
    static YamlTree tree(String file, String text) {
        return YamlTree.parse(file, text, (key, why, line, column) -> new InvalidPolicyException(file, key, why, line, column));
    }

    Policy load(YamlTree yaml) {
        this.tree = yaml;
        return load(yaml.root());
    }

    /** The policy in section {@code key} of a larger document (threatip.yaml's {@code policy}); absent: the defaults. */
    Policy loadSection(YamlTree yaml, String key) {
        this.tree = yaml;
        JsonNode root = yaml.root();
        if (!root.isObject()) {
            throw fail(root, null, "", "the configuration is a mapping of sections");
        }
        JsonNode section = root.get(key);
        if (section == null || section.isNull()) {
            return Policy.defaults();
        }
        this.prefix = key + ".";
        if (!section.isObject()) {
            throw fail(root, key, "", "must be a mapping with keys " + sorted(TOP_KEYS));
        }
        return load(section);
    }

    private Policy load(JsonNode root) {
        if (!root.isObject()) {
            throw fail(root, null, "", "a policy is a mapping with keys " + sorted(TOP_KEYS));
        }
        checkKeys(root, "", TOP_KEYS);
        Action[][] base = MatrixLayer.defaults();
        if (root.has("matrix")) {
            Action[][] given = matrix(root, "matrix", "matrix");
            for (int c = 0; c < base.length; c++) {
                for (int f = 0; f < base[c].length; f++) {
                    if (given[c][f] != null) {
                        base[c][f] = given[c][f];
                    }
                }
            }
        }
        List<PathOverride> paths = root.has("paths") ? paths(root, "paths", "paths", Policy.REPUTATION + "@") : List.of();
        List<HostOverride> hosts = root.has("hosts") ? hosts(root) : List.of();
        Set<String> ruleIds = new HashSet<>(); // disabled rules too: an exception may name one switched off for now
        List<CustomRule> rules = root.has("rules") ? rules(root, ruleIds) : List.of();
        List<ExceptionRule> exceptions = root.has("exceptions") ? exceptions(root, ruleIds) : List.of();
        Action shared = Action.MANAGED_CHALLENGE;
        if (root.has("shared_action")) {
            shared = action(root, "shared_action", "shared_action");
            if (shared == Action.BLOCK) {
                throw fail(root, "shared_action", "shared_action", "must not be block: it is what a block of a shared"
                        + " address becomes; use js_challenge, managed_challenge, monitor or allow");
            }
        }
        ResponseSettings responses = root.has("responses") ? responses(root) : ResponseSettings.defaults();
        EnforcementMode mode = EnforcementMode.ENFORCE;
        if (root.has("mode")) {
            JsonNode m = root.get("mode");
            try {
                if (!m.isTextual()) {
                    throw new IllegalArgumentException("must be enforce or monitor, not '" + m.asText() + "'");
                }
                mode = EnforcementMode.fromWire(m.asText());
            } catch (IllegalArgumentException e) {
                throw fail(root, "mode", "mode", e.getMessage());
            }
        }
        return new Policy(file, new MatrixLayer(Policy.REPUTATION, base), paths, hosts, exceptions, rules, shared, responses,
                mode);
    }

    // ---- matrix and overrides

    private Action[][] matrix(JsonNode parent, String key, String path) {
        JsonNode m = parent.get(key);
        requireObject(parent, key, path, m);
        Action[][] cells = MatrixLayer.empty();
        Set<String> known = new TreeSet<>();
        known.add("all");
        for (Category c : Category.values()) {
            known.add(c.wireName());
        }
        // "all" first, so a category named in the same mapping overrides it wherever it stands
        if (m.has("all")) {
            for (Category c : Category.values()) {
                row(m, "all", path + ".all", cells[c.ordinal()]);
            }
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("all")) {
                continue;
            }
            Category c;
            try {
                c = Category.fromWire(name);
            } catch (IllegalArgumentException e) {
                throw fail(m, name, path + "." + name, "unknown category '" + name + "'; known: all, "
                        + String.join(", ", wireNames(Category.values())));
            }
            row(m, name, path + "." + name, cells[c.ordinal()]);
        }
        return cells;
    }

    /** A category's row: one action for every confidence, or {high: A, moderate: B, general: C}. */
    private void row(JsonNode m, String key, String path, Action[] row) {
        JsonNode v = m.get(key);
        if (v.isTextual()) {
            Action a = action(m, key, path);
            for (int f = 0; f < row.length; f++) {
                row[f] = a;
            }
            return;
        }
        if (!v.isObject() || v.isEmpty()) {
            throw fail(m, key, path, "must be an action or a mapping of confidences to actions, e.g."
                    + " {high: block, moderate: js_challenge, general: monitor}");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String conf = it.next();
            Confidence f;
            try {
                f = Confidence.fromWire(conf);
            } catch (IllegalArgumentException e) {
                throw fail(v, conf, path + "." + conf, e.getMessage());
            }
            row[f.ordinal()] = action(v, conf, path + "." + conf);
        }
    }

    private List<PathOverride> paths(JsonNode parent, String key, String path, String idPrefix) {
        JsonNode ps = parent.get(key);
        requireObject(parent, key, path, ps);
        List<PathOverride> out = new ArrayList<>();
        for (Iterator<String> it = ps.fieldNames(); it.hasNext(); ) {
            String prefix = it.next();
            String p = path + "." + prefix;
            if (!prefix.startsWith("/")) {
                throw fail(ps, prefix, p, "a path prefix starts with '/', e.g. /login");
            }
            String normalized = RequestPaths.normalize(prefix);
            JsonNode o = ps.get(prefix);
            requireObject(ps, prefix, p, o);
            checkKeys(o, p, OVERRIDE_KEYS);
            if (!o.has("matrix")) {
                throw fail(ps, prefix, p, "needs a matrix");
            }
            out.add(new PathOverride(normalized, new MatrixLayer(idPrefix + normalized, matrix(o, "matrix", p + ".matrix"))));
        }
        out.sort(Comparator.comparingInt((PathOverride o) -> o.prefix().length()).reversed());
        return out;
    }

    private List<HostOverride> hosts(JsonNode root) {
        JsonNode hs = root.get("hosts");
        requireObject(root, "hosts", "hosts", hs);
        List<HostOverride> out = new ArrayList<>();
        for (Iterator<String> it = hs.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String p = "hosts." + name;
            HostPattern pattern;
            try {
                pattern = HostPattern.parse(name);
            } catch (IllegalArgumentException e) {
                throw fail(hs, name, p, e.getMessage());
            }
            JsonNode h = hs.get(name);
            requireObject(hs, name, p, h);
            checkKeys(h, p, HOST_KEYS);
            if (h.isEmpty()) {
                throw fail(hs, name, p, "needs a matrix, paths or both");
            }
            String id = Policy.REPUTATION + "@" + pattern.text();
            Action[][] cells = h.has("matrix") ? matrix(h, "matrix", p + ".matrix") : MatrixLayer.empty();
            List<PathOverride> paths = h.has("paths") ? paths(h, "paths", p + ".paths", id) : List.of();
            out.add(new HostOverride(pattern, new MatrixLayer(id, cells), paths));
        }
        // exact names before wildcards, longer wildcards (more specific) first
        out.sort(Comparator.comparing((HostOverride o) -> o.host().wildcard())
                .thenComparing(o -> -o.host().name().length()));
        return out;
    }

    // ---- exceptions and custom rules

    private List<ExceptionRule> exceptions(JsonNode root, Set<String> ruleIds) {
        JsonNode es = root.get("exceptions");
        if (!es.isArray()) {
            throw fail(root, "exceptions", "exceptions", "must be a list of exceptions");
        }
        List<ExceptionRule> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < es.size(); i++) {
            JsonNode e = es.get(i);
            String p = "exceptions[" + i + "]";
            if (!e.isObject()) {
                throw fail(es, i, p, "an exception is a mapping with keys " + sorted(EXCEPTION_KEYS));
            }
            String id = id(e, p, seen);
            p = "exceptions." + id;
            checkKeys(e, p, EXCEPTION_KEYS);
            if (!e.has("skip")) {
                throw fail(e, null, p + ".skip", "missing; say which checks to skip: " + String.join(", ", SKIPS)
                        + " or custom rule ids");
            }
            int mask = 0;
            Set<String> skipIds = new LinkedHashSet<>();
            for (String s : values(e, "skip", p + ".skip")) {
                switch (s) {
                    case "all" -> mask |= ExceptionRule.ALL;
                    case "reputation" -> mask |= ExceptionRule.REPUTATION;
                    case "decisions" -> mask |= ExceptionRule.DECISIONS;
                    case "rules" -> mask |= ExceptionRule.RULES;
                    default -> {
                        if (!ruleIds.contains(s)) {
                            throw fail(e, "skip", p + ".skip", "unknown check '" + s + "'; known: " + String.join(", ", SKIPS)
                                    + (ruleIds.isEmpty() ? "" : ", or a custom rule id: " + sorted(ruleIds)));
                        }
                        skipIds.add(s);
                    }
                }
            }
            RequestMatch match = conditions(e, p);
            if (match == null) {
                throw fail(e, null, p, "an exception needs at least one condition (" + sorted(CONDITION_KEYS)
                        + "); one that matches every request would switch the policy off");
            }
            out.add(new ExceptionRule(id, match, mask, skipIds));
        }
        return out;
    }

    private List<CustomRule> rules(JsonNode root, Set<String> seen) {
        JsonNode rs = root.get("rules");
        if (!rs.isArray()) {
            throw fail(root, "rules", "rules", "must be a list of rules");
        }
        List<CustomRule> out = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            JsonNode r = rs.get(i);
            String p = "rules[" + i + "]";
            if (!r.isObject()) {
                throw fail(rs, i, p, "a rule is a mapping with keys " + sorted(RULE_KEYS));
            }
            String id = id(r, p, seen);
            p = "rules." + id;
            checkKeys(r, p, RULE_KEYS);
            if (r.has("enabled") && !bool(r, "enabled", p + ".enabled")) {
                continue;
            }
            RateLimit rate = r.has("rate") ? rate(r, p + ".rate") : null;
            RequestMatch match = conditions(r, p);
            if (match == null && rate == null) {
                throw fail(r, null, p, "a rule needs at least one condition (" + sorted(CONDITION_KEYS) + ") or a rate");
            }
            if (match == null) {
                match = conditionsOrAll(r, p);
            }
            if (r.has("action") == r.has("actions")) {
                throw fail(r, null, p, "give either action (one) or actions (weighted, e.g. {block: 10, monitor: 90})");
            }
            Action[] actions;
            int[] weights;
            if (r.has("action")) {
                actions = new Action[] {action(r, "action", p + ".action")};
                weights = new int[] {1};
            } else {
                JsonNode as = r.get("actions");
                requireObject(r, "actions", p + ".actions", as);
                if (as.isEmpty()) {
                    throw fail(r, "actions", p + ".actions", "must name at least one action with its weight");
                }
                actions = new Action[as.size()];
                weights = new int[as.size()];
                int k = 0;
                for (Iterator<String> it = as.fieldNames(); it.hasNext(); k++) {
                    String name = it.next();
                    try {
                        actions[k] = Action.fromWire(name);
                    } catch (IllegalArgumentException e) {
                        throw fail(as, name, p + ".actions." + name, e.getMessage());
                    }
                    weights[k] = (int) intIn(as, name, p + ".actions." + name, 1, 1_000_000);
                }
            }
            int status = Policy.BLOCK_STATUS;
            if (r.has("status")) {
                boolean blocks = false;
                for (Action a : actions) {
                    blocks |= a == Action.BLOCK;
                }
                if (!blocks) {
                    throw fail(r, "status", p + ".status", "only a rule that can block answers with a status");
                }
                status = (int) intIn(r, "status", p + ".status", 400, 599);
            }
            out.add(new CustomRule(id, match, rate, actions, weights, status));
        }
        return out;
    }

    private RateLimit rate(JsonNode r, String p) {
        JsonNode v = r.get("rate");
        requireObject(r, "rate", p, v);
        checkKeys(v, p, RATE_KEYS);
        if (!v.has("requests") || !v.has("per")) {
            throw fail(r, "rate", p, "needs requests and per, e.g. {requests: 20, per: 10s}");
        }
        long requests = intIn(v, "requests", p + ".requests", 1, 1_000_000);
        Duration per = duration(v, "per", p + ".per", Duration.ofMillis(100), Duration.ofDays(1));
        long burst = v.has("burst") ? intIn(v, "burst", p + ".burst", 1, 10_000_000) : requests;
        int maxClients = v.has("max_clients") ? (int) intIn(v, "max_clients", p + ".max_clients", 100, 100_000_000)
                : DEFAULT_MAX_CLIENTS;
        return new RateLimit(requests, per.toNanos(), burst, maxClients, ticker,
                requests + "/" + DurationText.format(per) + " burst " + burst);
    }

    /** The compiled conditions of an exception or rule, or null when it names none. */
    private RequestMatch conditions(JsonNode n, String p) {
        boolean any = false;
        for (String k : CONDITION_KEYS) {
            any |= n.has(k);
        }
        return any ? conditionsOrAll(n, p) : null;
    }

    private RequestMatch conditionsOrAll(JsonNode n, String p) {
        List<Cidr> ips = new ArrayList<>();
        if (n.has("ip")) {
            for (String t : values(n, "ip", p + ".ip")) {
                try {
                    ips.add(Cidr.parse(t.strip()));
                } catch (IllegalArgumentException e) {
                    throw fail(n, "ip", p + ".ip", "bad address or CIDR '" + t + "': " + e.getMessage());
                }
            }
        }
        List<HostPattern> hosts = new ArrayList<>();
        if (n.has("host")) {
            for (String t : values(n, "host", p + ".host")) {
                try {
                    hosts.add(HostPattern.parse(t));
                } catch (IllegalArgumentException e) {
                    throw fail(n, "host", p + ".host", e.getMessage());
                }
            }
        }
        List<String> prefixes = new ArrayList<>();
        if (n.has("path")) {
            for (String t : values(n, "path", p + ".path")) {
                if (!t.startsWith("/")) {
                    throw fail(n, "path", p + ".path", "a path prefix starts with '/': '" + t + "'");
                }
                prefixes.add(RequestPaths.normalize(t));
            }
        }
        List<String> methods = new ArrayList<>();
        if (n.has("method")) {
            for (String t : values(n, "method", p + ".method")) {
                String m = t.strip().toUpperCase(Locale.ROOT);
                if (!METHOD.matcher(m).matches()) {
                    throw fail(n, "method", p + ".method", "'" + t + "' is not an HTTP method");
                }
                methods.add(m);
            }
        }
        List<String> present = n.has("header_present") ? headerNames(n, "header_present", p + ".header_present") : List.of();
        List<String> absent = n.has("header_absent") ? headerNames(n, "header_absent", p + ".header_absent") : List.of();
        List<String> headerNames = new ArrayList<>();
        List<List<String>> headerValues = new ArrayList<>();
        if (n.has("headers")) {
            JsonNode hs = n.get("headers");
            requireObject(n, "headers", p + ".headers", hs);
            for (Iterator<String> it = hs.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!HEADER.matcher(name).matches()) {
                    throw fail(hs, name, p + ".headers." + name, "'" + name + "' is not a header name");
                }
                headerNames.add(name);
                headerValues.add(values(hs, name, p + ".headers." + name));
            }
        }
        List<String> agents = new ArrayList<>();
        if (n.has("user_agent")) {
            for (String t : values(n, "user_agent", p + ".user_agent")) {
                if (t.isBlank()) {
                    throw fail(n, "user_agent", p + ".user_agent", "an empty string matches every agent;"
                            + " use user_agent_missing: true for requests without one");
                }
                agents.add(t.toLowerCase(Locale.ROOT));
            }
        }
        Pattern regex = null;
        if (n.has("user_agent_regex")) {
            String re = text(n, "user_agent_regex", p + ".user_agent_regex");
            try {
                regex = Pattern.compile(re, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw fail(n, "user_agent_regex", p + ".user_agent_regex", "bad regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " in '" + re + "'");
            }
        }
        boolean missing = n.has("user_agent_missing") && bool(n, "user_agent_missing", p + ".user_agent_missing");
        if (missing && (!agents.isEmpty() || regex != null)) {
            throw fail(n, "user_agent_missing", p + ".user_agent_missing",
                    "contradicts user_agent / user_agent_regex: a missing agent contains nothing");
        }
        List<Category> categories = new ArrayList<>();
        if (n.has("category")) {
            for (String t : values(n, "category", p + ".category")) {
                try {
                    categories.add(Category.fromWire(t));
                } catch (IllegalArgumentException e) {
                    throw fail(n, "category", p + ".category", e.getMessage());
                }
            }
        }
        Confidence min = null;
        if (n.has("min_confidence")) {
            try {
                min = Confidence.fromWire(text(n, "min_confidence", p + ".min_confidence"));
            } catch (IllegalArgumentException e) {
                throw fail(n, "min_confidence", p + ".min_confidence", e.getMessage());
            }
        }
        return new RequestMatch(ips, hosts, prefixes, methods, present, absent, headerNames, headerValues, agents, regex,
                missing, categories, min);
    }

    private List<String> headerNames(JsonNode n, String key, String p) {
        List<String> out = new ArrayList<>();
        for (String t : values(n, key, p)) {
            if (!HEADER.matcher(t).matches()) {
                throw fail(n, key, p, "'" + t + "' is not a header name");
            }
            out.add(t);
        }
        return out;
    }

    // ---- responses

    private ResponseSettings responses(JsonNode root) {
        JsonNode r = root.get("responses");
        requireObject(root, "responses", "responses", r);
        checkKeys(r, "responses", RESPONSE_KEYS);
        String page = null;
        if (r.has("block_page")) {
            String rel = text(r, "block_page", "responses.block_page");
            try {
                page = files.read(rel);
            } catch (IOException | RuntimeException e) {
                throw fail(r, "block_page", "responses.block_page", "cannot read '" + rel + "': " + e.getMessage());
            }
            if (!page.contains("{{request_id}}")) {
                throw fail(r, "block_page", "responses.block_page", "'" + rel + "' must show {{request_id}} so a"
                        + " refused visitor can quote it to the operator");
            }
        }
        Duration ttl = r.has("clearance_ttl")
                ? duration(r, "clearance_ttl", "responses.clearance_ttl", Duration.ofMinutes(1), Duration.ofDays(7))
                : ResponseSettings.DEFAULT_CLEARANCE_TTL;
        int pow = r.has("pow_difficulty") ? (int) intIn(r, "pow_difficulty", "responses.pow_difficulty",
                ResponseSettings.MIN_POW, ResponseSettings.MAX_POW) : ResponseSettings.DEFAULT_POW_DIFFICULTY;
        return new ResponseSettings(page, ttl, pow);
    }

    // ---- scalars

    private String id(JsonNode n, String p, Set<String> seen) {
        JsonNode idNode = n.get("id");
        if (idNode == null || !idNode.isTextual() || !ID.matcher(idNode.asText()).matches()) {
            throw fail(n, idNode == null ? null : "id", p + ".id", "needs an id of lower-case letters, digits, '.', '_' or '-'"
                    + " (got " + (idNode == null ? "none" : "'" + idNode.asText() + "'") + ")");
        }
        String id = idNode.asText();
        if (id.equals(Policy.REPUTATION) || id.startsWith(Policy.REPUTATION + "@") || id.equals(PolicyDecision.DECISION)
                || id.equals(PolicyDecision.NONE)) {
            throw fail(n, "id", p + ".id", "'" + id + "' is reserved for the policy's own decisions");
        }
        if (!seen.add(id)) {
            throw fail(n, "id", p + ".id", "duplicate id '" + id + "'");
        }
        return id;
    }

    private Action action(JsonNode obj, String key, String p) {
        String t = text(obj, key, p);
        try {
            return Action.fromWire(t);
        } catch (IllegalArgumentException e) {
            throw fail(obj, key, p, e.getMessage());
        }
    }

    /** A scalar or a list of scalars. */
    private List<String> values(JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            if (v.isEmpty()) {
                throw fail(obj, key, p, "must not be empty");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isValueNode() || e.isNull()) {
                    throw fail(v, i, p + "[" + i + "]", "must be a string or number");
                }
                out.add(e.asText());
            }
        } else if (v.isValueNode() && !v.isNull()) {
            out.add(v.asText());
        } else {
            throw fail(obj, key, p, "must be a value or a list of values");
        }
        return out;
    }

    private void checkKeys(JsonNode obj, String path, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw fail(obj, k, path.isEmpty() ? k : path + "." + k, "unknown key '" + k + "'; known: " + sorted(allowed));
            }
        }
    }

    private void requireObject(JsonNode parent, String key, String path, JsonNode v) {
        if (!v.isObject()) {
            throw fail(parent, key, path, "must be a mapping");
        }
    }

    private String text(JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        if (v == null || !v.isTextual()) {
            throw fail(obj, key, p, "must be a string");
        }
        return v.asText();
    }

    private boolean bool(JsonNode obj, String key, String p) {
        JsonNode v = obj.get(key);
        if (!v.isBoolean()) {
            throw fail(obj, key, p, "must be true or false, not '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    private long intIn(JsonNode obj, String key, String p, long min, long max) {
        JsonNode v = obj.get(key);
        if (!v.isIntegralNumber()) {
            throw fail(obj, key, p, "must be a whole number in " + min + "-" + max + ", not '" + v.asText() + "'");
        }
        long x = v.asLong();
        if (x < min || x > max) {
            throw fail(obj, key, p, x + " is out of range " + min + "-" + max);
        }
        return x;
    }

    private Duration duration(JsonNode obj, String key, String p, Duration min, Duration max) {
        String text = text(obj, key, p);
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            d = null;
        }
        if (d == null) {
            throw fail(obj, key, p, "bad duration '" + text + "'; use a number with ms, s, m, h or d (30s, 10m, 1h)");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw fail(obj, key, p, "'" + text + "' is out of range " + DurationText.format(min) + "-" + DurationText.format(max));
        }
        return d;
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new TreeSet<>(keys));
    }

    private static String[] wireNames(Category[] cs) {
        String[] out = new String[cs.length];
        for (int i = 0; i < cs.length; i++) {
            out[i] = cs[i].wireName();
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
