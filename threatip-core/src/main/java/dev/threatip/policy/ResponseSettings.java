package dev.threatip.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway answers the actions: the block page, how long a solved challenge's clearance
 * cookie lasts, and the managed challenge's proof-of-work difficulty.
 *
 * @param blockPage     HTML of the block page with {@code {{request_id}}}, {@code {{client_ip}}},
 *                      {@code {{rule}}} and {@code {{status}}} placeholders, or null for the built-in page
 * @param clearanceTtl  how long a clearance cookie lets a client pass (default 1h, 1m to 7d)
 * @param powDifficulty leading zero bits of the managed challenge's SHA-256 proof of work
 *                      (default 18, about a second of a laptop browser's time; 8 to 26)
 */
public record ResponseSettings(String blockPage, Duration clearanceTtl, int powDifficulty) {
    /** The default clearance lifetime. */
    public static final Duration DEFAULT_CLEARANCE_TTL = Duration.ofHours(1);
    /** The default proof-of-work difficulty. */
    public static final int DEFAULT_POW_DIFFICULTY = 18;
    static final int MIN_POW = 8;
    static final int MAX_POW = 26;

    public ResponseSettings {
        Objects.requireNonNull(clearanceTtl, "clearanceTtl");
        if (powDifficulty < MIN_POW || powDifficulty > MAX_POW) {
            throw new IllegalArgumentException("pow_difficulty " + powDifficulty + " is out of range " + MIN_POW + "-" + MAX_POW);
        }
    }

    /** The built-in page, one hour, difficulty 18. */
    public static ResponseSettings defaults() {
        return new ResponseSettings(null, DEFAULT_CLEARANCE_TTL, DEFAULT_POW_DIFFICULTY);
    }
}
