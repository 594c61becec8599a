package dev.threatip.block;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One auto-block policy of {@code blocking.policies}: when a flagged IP's verdict meets
 * {@code when}, decide {@code then}.
 *
 * <pre>
 * - name: high-ban
 *   when: {level: high, source: any, min_hits: 1, categories: [scanner, exploit], min_confidence: moderate}
 *   then: {type: ban, duration: 24h}
 * </pre>
 *
 * @param name          unique name, recorded on each decision
 * @param level         the least threat level that matches
 * @param source        where the evidence of a matching category must come from
 * @param minHits       the least requests of the IP in our logs (1: "seen in our logs"; 0: intel alone suffices)
 * @param categories    categories that match (empty: any)
 * @param minConfidence the least confidence of a matching category
 * @param type          what to decide
 * @param duration      how long, before escalation
 */
public record BlockPolicy(String name, ThreatLevel level, Source source, long minHits, Set<Category> categories,
                          Confidence minConfidence, DecisionType type, Duration duration) {
    /** Where a category's evidence comes from. */
    public enum Source {
        /** Feeds or behaviour. */
        ANY,
        /** Feeds (alone or with behaviour). */
        INTEL,
        /** Behaviour rules on our own logs (alone or with feeds). */
        BEHAVIOR;

        /** {@code any}, {@code intel} or {@code behavior}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean matches(String source) {
            return switch (this) {
                case ANY -> true;
                case INTEL -> source.contains("intel");
                case BEHAVIOR -> source.contains("behavior");
            };
        }
    }

    public BlockPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(minConfidence, "minConfidence");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(duration, "duration");
        categories = Set.copyOf(categories);
        if (minHits < 0) {
            throw new IllegalArgumentException("min_hits must not be negative: " + minHits);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
    }

    /**
     * The category of {@code verdict} that makes this policy match — the first (strongest) one of
     * the wanted categories, source and confidence — or null when the policy does not match.
     * Hits are checked separately ({@link #minHits()}).
     */
    public CategoryVerdict match(Verdict verdict) {
        if (verdict.level() == null || verdict.level().compareTo(level) < 0) {
            return null;
        }
        for (CategoryVerdict c : verdict.categories()) {
            if ((categories.isEmpty() || categories.contains(c.category())) && source.matches(c.source())
                    && c.confidence().compareTo(minConfidence) >= 0) {
                return c;
            }
        }
        return null;
    }
}
