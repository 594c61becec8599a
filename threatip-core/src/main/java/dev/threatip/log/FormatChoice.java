package dev.threatip.log;

/**
 * The format chosen for one input and why, as reports show it ({@code combined: detected, 50 of
 * 50 lines match}).
 *
 * @param format the format, or null when none fits: the input is then skipped and reported
 * @param reason why this format (or why none)
 */
public record FormatChoice(LogFormat format, String reason) {
    public FormatChoice {
        if (reason == null || reason.isEmpty()) {
            throw new IllegalArgumentException("a format choice needs a reason");
        }
    }

    /** No format fits; {@code reason} says why, e.g. {@code no known format matches the first 50 lines}. */
    public static FormatChoice none(String reason) {
        return new FormatChoice(null, reason);
    }
}
