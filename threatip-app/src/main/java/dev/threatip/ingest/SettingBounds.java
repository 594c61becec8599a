package dev.threatip.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Range checks for the inputs' builder settings, so a bad value is refused where it is set with
 * a message naming the setting, its bounds and the value.
 */
final class SettingBounds {

    private SettingBounds() {
    }

    /** {@code n} when {@code min <= n <= max}. */
    static int within(String setting, int n, int min, int max) {
        return (int) within(setting, (long) n, min, max);
    }

    /** {@code n} when {@code min <= n <= max}. */
    static long within(String setting, long n, long min, long max) {
        if (n < min || n > max) {
            throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
    }

    /** {@code d} when it is not null and {@code min <= d <= max}. */
    static Duration within(String setting, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, setting);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(setting + " must be between " + min + " and " + max + ", was " + d);
        }
        return d;
    }
}
