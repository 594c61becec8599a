package dev.threatip.policy;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The client-reputation policy the gateway enforces: what to do with a request given what is
 * known about its client. Loaded once from YAML ({@link #load}), validated with file, line and
 * key in every error, and immutable but for the per-client token buckets of rate rules.
 *
 * <p>How a request is decided, in order:
 * <ol>
 * <li><b>Exceptions</b>, first match wins: {@code skip: all} passes the request at once (rule id
 *     the exception's); otherwise the checks it names are left out below.</li>
 * <li><b>Live decision</b> from {@code serve}: ban → block, captcha → managed challenge.</li>
 * <li><b>Custom rules</b>, in file order: the first whose conditions (and rate) match gives its
 *     action, or its weighted random draw.</li>
 * <li><b>Reputation</b>: each category of the verdict is looked up in the matrix — host and
 *     path override, host override, path override, base, the first layer that sets the cell.</li>
 * </ol>
 * The strongest of the actions 2-4 wins (allow &lt; monitor &lt; js_challenge &lt;
 * managed_challenge &lt; block); on a tie the earlier source decides. Only an exception lets a
 * request past a stronger verdict. A block from reputation or a live ban becomes the
 * {@code shared_action} (default managed challenge) when the verdict is tagged {@code shared}:
 * refusing a CGNAT or campus address refuses everyone behind it.
 *
 * <p>Cost per request: a handful of string comparisons per exception and rule, no regex unless a
 * rule asks for one, no allocation unless the path needs normalising.
 */
public final class Policy {
    /** The verdict tag of an address many clients share (CGNAT, campus, proxy pools). */
    public static final String SHARED_TAG = "shared";
    /** The id of the built-in base matrix in decisions. */
    public static final String REPUTATION = "reputation";
    /** The status of a block unless a rule says otherwise. */
    public static final int BLOCK_STATUS = 403;

    private static final Policy DEFAULTS = new Policy("builtin:default", new MatrixLayer(REPUTATION, MatrixLayer.defaults()),
            List.of(), List.of(), List.of(), List.of(), Action.MANAGED_CHALLENGE, ResponseSettings.defaults(),
            EnforcementMode.ENFORCE);

    private final String source;
    private final MatrixLayer base;
    private final PathOverride[] paths;
    private final HostOverride[] hosts;
    private final ExceptionRule[] exceptions;
    private final CustomRule[] rules;
    private final Action sharedAction;
    private final ResponseSettings responses;
    private final EnforcementMode mode;

    Policy(String source, MatrixLayer base, List<PathOverride> paths, List<HostOverride> hosts,
           List<ExceptionRule> exceptions, List<CustomRule> rules, Action sharedAction, ResponseSettings responses,
           EnforcementMode mode) {
        this(source, base, paths.toArray(PathOverride[]::new), hosts.toArray(HostOverride[]::new),
                exceptions.toArray(ExceptionRule[]::new), rules.toArray(CustomRule[]::new), sharedAction, responses, mode);
    }

    private Policy(String source, MatrixLayer base, PathOverride[] paths, HostOverride[] hosts,
                   ExceptionRule[] exceptions, CustomRule[] rules, Action sharedAction, ResponseSettings responses,
                   EnforcementMode mode) {
        this.source = source;
        this.base = base;
        this.paths = paths;
        this.hosts = hosts;
        this.exceptions = exceptions;
        this.rules = rules;
        this.sharedAction = sharedAction;
        this.responses = responses;
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
    }

    /** The built-in policy: the default matrix, no exceptions, no custom rules. */
    public static Policy defaults() {
        return DEFAULTS;
    }

    /**
     * Loads and validates a policy file (see the package README for its keys).
     *
     * @throws InvalidPolicyException naming file, line, column and key when it cannot be used
     * @throws IOException            when it cannot be read
     */
    public static Policy load(Path file) throws IOException {
        return load(file, System::nanoTime);
    }

    /** {@link #load(Path)} with the clock the rate rules' buckets refill by (nanoseconds). */
    public static Policy load(Path file, LongSupplier nanoTicker) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return new PolicyLoader(file.toString(), nanoTicker, rel -> Files.readString(dir.resolve(rel), StandardCharsets.UTF_8))
                .load(PolicyLoader.tree(file.toString(), text));
    }

    /**
     * Loads the {@code section} of a configuration file ({@code policy} of threatip.yaml, DESIGN.md
     * §5), ignoring its other sections; errors name the key with the section, e.g.
     * {@code policy.matrix.scanner.high}. An absent section is {@link #defaults()}.
     */
    public static Policy loadSection(Path file, String section) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return new PolicyLoader(file.toString(), System::nanoTime, rel -> Files.readString(dir.resolve(rel), StandardCharsets.UTF_8))
                .loadSection(PolicyLoader.tree(file.toString(), text), section);
    }

    /**
     * Parses policy text; {@code name} names it in errors. Files a policy references (the block
     * page) are resolved against {@code baseDir}.
     */
    public static Policy parse(String name, String text, Path baseDir, LongSupplier nanoTicker) {
        return new PolicyLoader(name, nanoTicker, rel -> Files.readString(baseDir.resolve(rel), StandardCharsets.UTF_8))
                .load(PolicyLoader.tree(name, text));
    }

    /** Where the policy came from: its file, or {@code builtin:default}. */
    public String source() {
        return source;
    }

    /**
     * Whether the gateway carries out the decisions ({@code mode}, default {@code enforce}); the
     * decisions themselves do not depend on it.
     */
    public EnforcementMode mode() {
        return mode;
    }

    /**
     * This policy in another mode ({@code gate --monitor}); the same rules, rate buckets included.
     * Returns this policy when it is in that mode already.
     */
    public Policy withMode(EnforcementMode m) {
        return m == mode ? this : new Policy(source, base, paths, hosts, exceptions, rules, sharedAction, responses, m);
    }

    /** How blocks and challenges are answered. */
    public ResponseSettings responses() {
        return responses;
    }

    /** The ids of the custom rules, in evaluation order. */
    public List<String> ruleIds() {
        List<String> ids = new ArrayList<>();
        for (CustomRule r : rules) {
            ids.add(r.id);
        }
        return ids;
    }

    /** The ids of the exceptions, in evaluation order. */
    public List<String> exceptionIds() {
        List<String> ids = new ArrayList<>();
        for (ExceptionRule e : exceptions) {
            ids.add(e.id());
        }
        return ids;
    }

    /** Decides a request with no live decision on its client. */
    public PolicyDecision decide(RequestView request, Verdict verdict) {
        return decide(request, verdict, LiveDecision.NONE);
    }

    /** Decides a request given its client's verdict and any live decision in force for it. */
    public PolicyDecision decide(RequestView request, Verdict verdict, LiveDecision live) {
        String path = RequestPaths.normalize(request.path());
        ExceptionRule exception = null;
        for (ExceptionRule e : exceptions) {
            if (e.match().matches(request, path, verdict)) {
                if (e.skipsAll()) {
                    return new PolicyDecision(Action.ALLOW, e.id(), null, null, 0, false);
                }
                exception = e;
                break;
            }
        }
        int skip = exception == null ? 0 : exception.skipMask();

        Action best = Action.ALLOW;
        String ruleId = PolicyDecision.NONE;
        Category category = null;
        Confidence confidence = null;
        int status = BLOCK_STATUS;
        boolean shareable = false; // a block that a shared address turns into a challenge

        if ((skip & ExceptionRule.DECISIONS) == 0 && live != LiveDecision.NONE) {
            best = live == LiveDecision.BAN ? Action.BLOCK : Action.MANAGED_CHALLENGE;
            ruleId = PolicyDecision.DECISION;
            shareable = true;
        }
        if ((skip & ExceptionRule.RULES) == 0 && best != Action.BLOCK) {
            for (CustomRule r : rules) {
                if (exception != null && exception.skipRuleIds().contains(r.id)) {
                    continue;
                }
                if (r.matches(request, path, verdict)) {
                    Action a = r.draw();
                    if (a.ordinal() > best.ordinal() || ruleId.equals(PolicyDecision.NONE)) {
                        best = a;
                        ruleId = r.id;
                        status = r.status;
                        shareable = false;
                    }
                    break;
                }
            }
        }
        if ((skip & ExceptionRule.REPUTATION) == 0 && best != Action.BLOCK) {
            List<CategoryVerdict> cats = verdict.categories();
            if (!cats.isEmpty()) {
                HostOverride host = host(request.host());
                PathOverride hostPath = host == null ? null : longest(host.paths(), path);
                PathOverride globalPath = longest(paths, path);
                for (int i = 0; i < cats.size(); i++) {
                    CategoryVerdict c = cats.get(i);
                    MatrixLayer layer = layerFor(c.category(), c.confidence(), hostPath, host, globalPath);
                    Action a = layer.cell(c.category(), c.confidence());
                    if (a.ordinal() > best.ordinal() || (ruleId.equals(PolicyDecision.NONE) && a != Action.ALLOW)) {
                        best = a;
                        ruleId = layer.ruleId();
                        category = c.category();
                        confidence = c.confidence();
                        status = BLOCK_STATUS;
                        shareable = true;
                    }
                }
            }
        }
        if (ruleId.equals(PolicyDecision.NONE)) {
            return PolicyDecision.pass();
        }
        boolean shared = false;
        if (best == Action.BLOCK && shareable && verdict.tags().contains(SHARED_TAG)) {
            best = sharedAction;
            shared = true;
        }
        return new PolicyDecision(best, ruleId, category, confidence, best == Action.BLOCK ? status : 0, shared);
    }

    private MatrixLayer layerFor(Category c, Confidence f, PathOverride hostPath, HostOverride host, PathOverride globalPath) {
        if (hostPath != null && hostPath.layer().cell(c, f) != null) {
            return hostPath.layer();
        }
        if (host != null && host.layer().cell(c, f) != null) {
            return host.layer();
        }
        if (globalPath != null && globalPath.layer().cell(c, f) != null) {
            return globalPath.layer();
        }
        return base;
    }

    private HostOverride host(String host) {
        for (HostOverride h : hosts) {
            if (h.host().matches(host)) {
                return h;
            }
        }
        return null;
    }

    /** The first override whose prefix the path starts with; overrides are sorted longest prefix first. */
    private static PathOverride longest(PathOverride[] overrides, String path) {
        for (PathOverride p : overrides) {
            if (path.startsWith(p.prefix())) {
                return p;
            }
        }
        return null;
    }

    private static PathOverride longest(List<PathOverride> overrides, String path) {
        for (int i = 0; i < overrides.size(); i++) {
            if (path.startsWith(overrides.get(i).prefix())) {
                return overrides.get(i);
            }
        }
        return null;
    }
}
