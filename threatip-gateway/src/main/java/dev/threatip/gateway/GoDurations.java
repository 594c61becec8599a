package dev.threatip.gateway;

import java.time.Duration;

/**
 * Go's {@code time.Duration} text as CrowdSec's LAPI writes decision durations:
 * {@code 3h59m58.123s}, {@code 90m}, {@code 1.5h}, {@code 250ms}, negative for expired ones.
 */
final class GoDurations {
    private GoDurations() {
    }

    /** The duration, or null when the text is not one. */
    static Duration parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        if (s.substring(i).equals("0")) {
            return Duration.ZERO;
        }
        double nanos = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                return null;
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                return null;
            }
            int u = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            double unit = switch (s.substring(u, i)) {
                case "ns" -> 1;
                case "us", "µs", "μs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                case "h" -> 3600e9;
                default -> -1;
            };
            if (unit < 0) {
                return null;
            }
            nanos += v * unit;
            any = true;
        }
        if (!any) {
            return null;
        }
        Duration d = Duration.ofNanos((long) nanos);
        return negative ? d.negated() : d;
    }
}
