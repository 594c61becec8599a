package dev.threatip.block;

import java.time.Duration;
import java.util.Objects;

/**
 * Longer decisions for repeat offenders: the {@code n}-th decision on a scope lasts
 * {@code base × factor^(n−1)}, capped at {@code max} (a base already longer than the cap is kept:
 * the cap limits escalation, not the policy). With the defaults (factor 2, cap 30 days) a 24 h
 * ban becomes 48 h the second time, 4 days the third, and 30 days from the sixth on.
 *
 * @param factor growth per offence, 1 (no escalation) to 10
 * @param max    the longest escalated duration
 */
public record Escalation(double factor, Duration max) {
    /** Factor 2, cap 30 days. */
    public static final Escalation DEFAULT = new Escalation(2, Duration.ofDays(30));

    public Escalation {
        Objects.requireNonNull(max, "max");
        if (!(factor >= 1 && factor <= 10)) {
            throw new IllegalArgumentException("escalation factor " + factor + " is out of range; allowed 1 to 10");
        }
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("escalation cap must be positive: " + max);
        }
    }

    /**
     * The duration of the {@code offence}-th decision of a policy whose base is {@code base}.
     *
     * @param offence 1 for the first decision on the scope
     */
    public Duration duration(Duration base, int offence) {
        if (offence < 1) {
            throw new IllegalArgumentException("offence counts from 1: " + offence);
        }
        if (base.compareTo(max) >= 0) {
            return base;
        }
        double seconds = base.getSeconds() * Math.pow(factor, offence - 1);
        if (seconds >= max.getSeconds()) {
            return max;
        }
        return Duration.ofSeconds((long) seconds);
    }
}
