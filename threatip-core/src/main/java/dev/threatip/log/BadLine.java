package dev.threatip.log;

/**
 * A line that was counted as unparsed, kept as a sample for the report.
 *
 * @param file    the input's name
 * @param line    the 1-based line number
 * @param reason  why it was not parsed, e.g. {@code does not match format combined}
 * @param excerpt its first 120 bytes as printable text
 */
public record BadLine(String file, long line, String reason, String excerpt) {
    /** Bytes of a line kept in an excerpt. */
    public static final int EXCERPT_BYTES = 200;

    /** A bad line with a printable excerpt of {@code line[from, to)} (control characters escaped). */
    public static BadLine of(String file, long line, String reason, byte[] bytes, int from, int to) {
        return new BadLine(file, line, reason, Lines.excerpt(bytes, from, to, EXCERPT_BYTES));
    }

    /** {@code file:line: reason: excerpt}, one line for stderr. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason + ": " + excerpt;
    }
}
