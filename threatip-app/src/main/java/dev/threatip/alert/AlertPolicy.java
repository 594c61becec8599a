package dev.threatip.alert;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One alert policy of {@code threatip.yaml}'s {@code alerts.policies}: which flagged IPs it
 * alerts on, how matches are grouped into messages, and the channels that get them.
 *
 * @param name     the policy's name (its key in the config)
 * @param when     the conditions an IP must meet, all of them
 * @param groupBy  one message per IP, or one digest per policy
 * @param suppress after a message, how long further matches of the same group are folded into
 *                 the next message instead of sent at once
 * @param channels names of the channels the messages go to, at least one
 */
public record AlertPolicy(String name, Condition when, Grouping groupBy, Duration suppress, List<String> channels) {
    public AlertPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(groupBy, "groupBy");
        channels = List.copyOf(channels);
        if (suppress.isNegative() || suppress.isZero()) {
            throw new IllegalArgumentException("suppress must be positive: " + suppress);
        }
        if (channels.isEmpty()) {
            throw new IllegalArgumentException("policy " + name + " has no channel");
        }
    }

    /** How matches become messages. */
    public enum Grouping {
        /** One group per IP: an IP is alerted at most once per suppression window. */
        IP,
        /** One group per policy: the first match is sent at once, the rest of the window as one digest. */
        POLICY;

        /** The name in the config and the payload. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where a category's evidence comes from. */
    public enum Source {
        INTEL, BEHAVIOR;

        /** The name in the config. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean in(String source) {
            return source != null && source.contains(wireName());
        }
    }

    /**
     * What an IP must meet for the policy to fire; every given condition must hold.
     *
     * @param verdicts      verdicts that qualify (malicious, suspicious)
     * @param minLevel      the lowest threat level that qualifies, or null for any
     * @param categories    categories of which at least one must be in the verdict; empty: any
     * @param minConfidence the lowest confidence a qualifying category must have, or null for any
     * @param sources       evidence sources a qualifying category must come from; empty: any
     * @param minHits       requests of the IP within {@code window} (event time) at least; 1: no check
     * @param window        the window of {@code minHits}, {@code paths} and {@code inputs}
     * @param paths         path globs ({@code *} any run of characters, {@code ?} one); at least one
     *                      request in the window must match one; empty: no check
     * @param inputs        input-name globs (a log file's path, {@code syslog}, {@code http},
     *                      {@code stdin}); at least one request in the window must come from one;
     *                      empty: no check
     */
    public record Condition(Set<Verdict.Kind> verdicts, ThreatLevel minLevel, Set<Category> categories,
                            Confidence minConfidence, Set<Source> sources, long minHits, Duration window,
                            List<String> paths, List<String> inputs) {
        public Condition {
            verdicts = Set.copyOf(verdicts);
            categories = Set.copyOf(categories);
            sources = Set.copyOf(sources);
            paths = List.copyOf(paths);
            inputs = List.copyOf(inputs);
            if (verdicts.contains(Verdict.Kind.CLEAN)) {
                throw new IllegalArgumentException("a clean verdict never alerts");
            }
            if (minHits < 1) {
                throw new IllegalArgumentException("minHits must be at least 1: " + minHits);
            }
        }

        /** Every flagged IP (malicious or suspicious), no further condition. */
        public static Condition anyFlagged() {
            return new Condition(Set.of(Verdict.Kind.MALICIOUS, Verdict.Kind.SUSPICIOUS), null, Set.of(), null, Set.of(), 1,
                    Duration.ofHours(1), List.of(), List.of());
        }

        /** The conditions on the verdict alone (no store needed). */
        boolean matches(Verdict v) {
            if (!v.isFlagged() || !verdicts.contains(v.kind())) {
                return false;
            }
            if (minLevel != null && v.level().compareTo(minLevel) < 0) {
                return false;
            }
            if (categories.isEmpty() && minConfidence == null && sources.isEmpty()) {
                return true;
            }
            for (CategoryVerdict c : v.categories()) {
                if ((categories.isEmpty() || categories.contains(c.category()))
                        && (minConfidence == null || c.confidence().compareTo(minConfidence) >= 0)
                        && (sources.isEmpty() || sources.stream().anyMatch(s -> s.in(c.source())))) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the store must be asked about the IP's requests. */
        boolean needsRequests() {
            return minHits > 1 || !paths.isEmpty() || !inputs.isEmpty();
        }
    }
}
