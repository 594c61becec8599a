package dev.threatip.web;

import java.time.Duration;

/**
 * Durations as Go's {@code time.Duration.String()} writes them at whole seconds — {@code 3h59m58s},
 * {@code 4m0s}, {@code 59s}, {@code 0s}, {@code -1m30s} — the form CrowdSec's LAPI gives a decision's
 * remaining time in and bouncers read back with {@code time.ParseDuration}.
 */
final class GoDuration {
    private GoDuration() {
    }

    /**
     * The remaining time of a decision, rounded up to a whole second: a decision still in force
     * never reads {@code 0s} (a firewall would take a zero timeout for "no timeout"), and one
     * already expired reads its whole seconds past, negative.
     */
    static String remaining(Duration d) {
        // getSeconds() is the floor; a fraction left over makes the ceiling one more
        return format(d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds());
    }

    /** {@code seconds} in Go's form. */
    static String format(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder(12);
        long s = seconds;
        if (s < 0) {
            sb.append('-');
            s = -s; // Long.MIN_VALUE seconds is beyond any Instant difference
        }
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (h > 0) {
            sb.append(h).append('h').append(m).append('m');
        } else if (m > 0) {
            sb.append(m).append('m');
        }
        return sb.append(sec).append('s').toString();
    }
}
