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
    /** {@code file:line: reason: excerpt}, one line for stderr. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + reason + ": " + excerpt;
    }
}
