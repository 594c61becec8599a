package dev.threatip.alert;

import java.time.Duration;

/**
 * How the outbox retries: attempt {@code n} (1-based) that fails is tried again after
 * {@code initialBackoff × 2^(n-1)}, capped at {@code maxBackoff}; after {@code maxAttempts}
 * failed attempts the message is {@code failed} for good.
 *
 * @param maxAttempts    attempts per message, at least 1
 * @param initialBackoff the wait after the first failure
 * @param maxBackoff     the longest wait between attempts
 * @param timeout        how long one attempt may take (connect plus answer)
 */
public record DeliverySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {
    /** 15 attempts, 1 s doubling to at most 10 min (about an hour in all), 10 s per attempt. */
    public static final DeliverySettings DEFAULTS = new DeliverySettings(15, Duration.ofSeconds(1), Duration.ofMinutes(10),
            Duration.ofSeconds(10));

    public DeliverySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and maxBackoff at least initialBackoff: "
                    + initialBackoff + ", " + maxBackoff);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * The wait after failed attempt number {@code attempts} (1-based), or null when that was the last.
     */
    public Duration backoffAfter(int attempts) {
        if (attempts >= maxAttempts) {
            return null;
        }
        int shift = Math.min(attempts - 1, 40);
        long ms = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        return Duration.ofMillis(ms > (cap >> shift) ? cap : Math.min(cap, ms << shift));
    }
}
