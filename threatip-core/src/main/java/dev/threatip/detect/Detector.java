package dev.threatip.detect;

import dev.threatip.intel.Confidence;
import dev.threatip.intel.Verdict;
import dev.threatip.log.LineFields;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Behaviour detection: compiled rules and the factory of per-thread {@link DetectionState}s.
 * Immutable and thread-safe; build one per run.
 *
 * <pre>{@code
 * Detector detector = Detector.load(List.of(Path.of("rules.yaml")));   // built-in rules + yours
 * DetectionState state = detector.newState();                          // one per reader thread
 * reader.read(files, state);                                           // EventSink.accept per line
 * DetectionResults results = state.results();                          // after merging all states
 * Verdict v = VerdictMerger.merge(index.lookup(ip), results.forIp(ip));
 * }</pre>
 *
 * Rule files are described in {@code dev/threatip/detect/README.md}.
 */
public final class Detector {
    /** The built-in rule file, a classpath resource beside this class. */
    public static final String BUILTIN = "builtin-rules.yaml";

    /**
     * A rule as loaded: what {@code explain} and the docs list.
     *
     * @param thresholds the count each confidence needs within the window, by wire name
     *                   ({@code general}, {@code moderate}, {@code high}), weakest first; levels
     *                   the rule does not use are absent
     */
    public record RuleInfo(String id, String category, String description, String groupBy, Duration window,
                           String count, Map<String, Long> thresholds, String file) {
        public RuleInfo {
            thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
        }
    }

    /**
     * A request target as the rules see it: decoded, lower-cased and resolved (see
     * {@code RequestNormalizer}), with the signals noticed on the way.
     *
     * @param path    the normalised path
     * @param query   the normalised query, or null when the request has none
     * @param signals the signal names rule filters test ({@code traversal}, {@code multi_encoded}, ...)
     */
    public record NormalizedRequest(String path, String query, List<String> signals) {
        public NormalizedRequest {
            signals = List.copyOf(signals);
        }
    }

    private final RuleSet rules;

    private Detector(RuleSet rules) {
        this.rules = rules;
    }

    /** The built-in rules alone. */
    public static Detector builtin() {
        return load(List.of(), List.of(), 0);
    }

    /**
     * The built-in rules, then each file in order: later files add rules, replace rules, lists and
     * range sets of the same name, and extend the known-good set.
     *
     * @throws InvalidRuleException naming the file, rule, field, line and why
     */
    public static Detector load(List<Path> ruleFiles) {
        return load(ruleFiles, List.of(), 0);
    }

    /**
     * As {@link #load(List)}, with the operator's allowlist (never flagged by rules) and a cap on
     * the keys each rule tracks per state ({@code 0}: the rule files' {@code settings}, default
     * {@value RuleLoader#DEFAULT_MAX_KEYS}).
     */
    public static Detector load(List<Path> ruleFiles, List<Cidr> allowlist, int maxKeysPerRule) {
        if (maxKeysPerRule < 0) {
            throw new IllegalArgumentException("maxKeysPerRule must not be negative: " + maxKeysPerRule);
        }
        RuleLoader loader = new RuleLoader();
        loader.add(new RuleLoader.Source("builtin:" + BUILTIN, resource(BUILTIN), Detector::readResource));
        for (Path p : ruleFiles) {
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidRuleException(p.toString(), null, "", "cannot read: " + e, 0, 0);
            }
            Path dir = p.toAbsolutePath().getParent();
            loader.add(new RuleLoader.Source(p.toString(), text,
                    rel -> Files.readString(dir.resolve(rel), StandardCharsets.UTF_8)));
        }
        return new Detector(loader.compile(allowlist, maxKeysPerRule));
    }

    /** Rules from YAML text (tests, {@code explain --rules} from stdin), over the built-in ones when asked. */
    static Detector fromText(String name, String yaml, boolean withBuiltin) {
        RuleLoader loader = new RuleLoader();
        if (withBuiltin) {
            loader.add(new RuleLoader.Source("builtin:" + BUILTIN, resource(BUILTIN), Detector::readResource));
        }
        loader.add(new RuleLoader.Source(name, yaml, Detector::readResource));
        return new Detector(loader.compile(List.of(), 0));
    }

    /**
     * Whether the rules' known-good set (the verified crawler ranges, the allowlist) holds the
     * address: such clients are never flagged by rules, and decisions keep off them.
     */
    public boolean knownGood(dev.threatip.net.IpAddress address) {
        return rules.knownGood().contains(address.hi(), address.lo());
    }

    /** A fresh, empty state for one thread. */
    public DetectionState newState() {
        return new DetectionState(rules);
    }

    /** A matcher that reports rule hits instead of counting them; one per thread. */
    public RuleMatcher newMatcher() {
        return new RuleMatcher(rules);
    }

    /** How many rules are enabled: rule indexes of {@link RuleHit} run from 0 to this, exclusive. */
    public int ruleCount() {
        return rules.rules().size();
    }

    /** The window of the rule at {@code rule} (an index of {@link #rules()}). */
    public Duration window(int rule) {
        return rule(rule).window;
    }

    /** A new, empty window for the rule and key of {@code hit}; count the hit with {@link #count}. */
    public KeyWindow newWindow(RuleHit hit) {
        Rule r = rule(hit.rule());
        return new KeyWindow(hit.rule(), hit.k0(), hit.k1(), hit.k2(), hit.label(),
                r.groupBy == Rule.GroupBy.IP || r.groupBy == Rule.GroupBy.IP_HOST, r.count.distinct());
    }

    /**
     * Counts one hit in its key's window and returns what it changed: the key's detection when
     * its confidence rose (or first reached a threshold), and, for a distributed rule, one
     * detection per participant that joined a firing window or rose in confidence. Counting the
     * same hits in any order gives the same final {@link #detections} as a {@link DetectionState}.
     *
     * @throws IllegalArgumentException when the hit belongs to another rule or key
     */
    public List<Detection> count(KeyWindow window, RuleHit hit) {
        if (window.rule != hit.rule() || !window.sameKey(hit.k0(), hit.k1(), hit.k2())) {
            throw new IllegalArgumentException("hit of rule " + hit.rule() + " counted in a window of rule " + window.rule
                    + " or of another key");
        }
        Rule r = rule(hit.rule());
        Confidence before = r.confidenceOf(window.peak);
        long bucket = r.bucketOf(hit.timeMillis());
        if (r.flagParticipants) {
            window.collectRaised();
        }
        window.add(r, bucket, hit.timeMillis(), hit.lineRef(), hit.va(), hit.vb());
        window.peak = Math.max(window.peak, window.evaluateAround(r, bucket));
        List<IpAddress> raised = window.takeRaised();
        Confidence after = r.confidenceOf(window.peak);
        if ((after == null || after == before) && raised.isEmpty()) {
            return List.of();
        }
        List<Detection> out = new ArrayList<>();
        String label = window.label();
        if (after != null && after != before) {
            out.add(DetectionState.keyDetection(r, window, after, label));
        }
        for (IpAddress ip : raised) {
            long[] p = window.participants.get(ip);
            if (p != null) {
                out.add(DetectionState.participantDetection(r, window, label, ip, p));
            }
        }
        return out;
    }

    /** Every detection of one window as a {@link DetectionState}'s results list them. */
    public List<Detection> detections(KeyWindow window) {
        Rule r = rule(window.rule);
        window.peak = Math.max(window.peak, window.evaluate(r));
        List<Detection> out = new ArrayList<>();
        DetectionState.detectionsOf(r, window, out);
        return out;
    }

    private Rule rule(int index) {
        List<Rule> rs = rules.rules();
        if (index < 0 || index >= rs.size()) {
            throw new IllegalArgumentException("no rule " + index + "; the detector has " + rs.size());
        }
        return rs.get(index);
    }

    /** The enabled rules, in load order. */
    public List<RuleInfo> rules() {
        return rules.rules().stream().map(r -> new RuleInfo(r.id, r.category.wireName(), r.description,
                r.groupBy.wire, r.window, r.count.wire, thresholds(r), r.file)).toList();
    }

    private static Map<String, Long> thresholds(Rule r) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Confidence c : Confidence.values()) {
            if (r.thresholds[c.ordinal()] > 0) {
                m.put(c.wireName(), r.thresholds[c.ordinal()]);
            }
        }
        return m;
    }

    /**
     * The path and query of one parsed line as every rule's filter sees them. Allocates; for
     * {@code threatip explain}, not the hot path.
     */
    public static NormalizedRequest normalize(LineFields fields) {
        RequestNormalizer n = new RequestNormalizer();
        n.normalize(fields.path, fields.query);
        byte[] b = n.buffer();
        String path = new String(b, 0, n.pathEnd(), StandardCharsets.UTF_8);
        String query = fields.query.isEmpty() ? null : new String(b, n.queryStart(), n.end() - n.queryStart(), StandardCharsets.UTF_8);
        return new NormalizedRequest(path, query, n.signalNames());
    }

    /**
     * The ids of the rules whose filter one event passes, without counting it: what
     * {@code threatip explain} shows. Allocates; not for the hot path.
     */
    public List<String> matchingRules(LineFields fields) {
        return newState().matching(fields);
    }

    /** The merged verdict of one IP; see {@link VerdictMerger#merge}. */
    public Verdict verdict(Verdict intel, List<Detection> detectionsOfIp) {
        return VerdictMerger.merge(intel, detectionsOfIp);
    }

    private static String resource(String name) {
        try {
            return readResource(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = Detector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name + " beside " + Detector.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
