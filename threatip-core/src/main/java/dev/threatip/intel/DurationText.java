package dev.threatip.intel;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them in feed specs and config: {@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 24h}, {@code 7d}, or ISO-8601 ({@code P1D}, {@code PT6H}).
 */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * Parses a positive duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        Duration d;
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                d = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(text);
            }
        } else {
            throw bad(text);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration '" + text + "' must be greater than zero");
        }
        return d;
    }

    /** The shortest exact form {@link #parse} reads back: {@code 1h}, {@code 90s}, {@code 7d}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("bad duration '" + text
                + "'; use a number with ms, s, m, h or d (30s, 15m, 24h, 7d) or ISO-8601 (P1D, PT6H)");
    }
}
