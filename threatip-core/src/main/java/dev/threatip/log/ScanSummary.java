package dev.threatip.log;

import java.util.List;

/**
 * What one {@link LogReader#read} did. {@code lines == parsed + unparsed}, in total and per file.
 *
 * @param files         how many inputs were given
 * @param lines         event lines seen
 * @param parsed        lines parsed with a valid client address (handed to the sinks)
 * @param unparsed      lines counted but not parsed
 * @param elapsedMillis wall time of the read
 * @param fileSummaries one per input, in input order
 * @param badLines      the first unparsed lines in reading order (at most {@link LogReader#BAD_LINE_SAMPLES})
 * @param positions     resolves the line references the sinks were given
 */
public record ScanSummary(int files, long lines, long parsed, long unparsed, long elapsedMillis,
                          List<FileSummary> fileSummaries, List<BadLine> badLines, LinePositions positions) {
    public ScanSummary {
        fileSummaries = List.copyOf(fileSummaries);
        badLines = List.copyOf(badLines);
    }

    /** The file and line of a reference handed to an {@link EventSink}. */
    public LinePosition position(long lineRef) {
        return positions.position(lineRef);
    }

    /** Whether any input has a problem (a truncated gzip, an undetectable format, a read error). */
    public boolean hasProblems() {
        return fileSummaries.stream().anyMatch(f -> f.problem() != null);
    }
}
