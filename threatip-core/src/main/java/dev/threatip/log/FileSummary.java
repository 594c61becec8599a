package dev.threatip.log;

/**
 * What the read made of one input. {@code lines == parsed + unparsed}: blank lines and the
 * format's directive lines ({@code #Fields:}, comments) are in neither.
 *
 * @param file         the input's name
 * @param format       the format's name, or {@code -} when none was chosen
 * @param formatReason why that format (or why none)
 * @param lines        event lines seen: parsed plus unparsed
 * @param parsed       lines parsed into an event with a valid client address
 * @param unparsed     lines that did not parse, had no valid client address, or were too long
 * @param problem      what kept part or all of the input from being read (a truncated gzip, an
 *                     undetectable format, a read error), or null
 */
public record FileSummary(String file, String format, String formatReason, long lines, long parsed, long unparsed,
                          String problem) {
}
