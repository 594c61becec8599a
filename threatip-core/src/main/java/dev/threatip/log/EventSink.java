package dev.threatip.log;

/**
 * Receives parsed event lines from the {@link LogReader}; one sink per reader thread, so
 * implementations need no locking. The line's bytes and the fields are valid only during the call.
 */
public interface EventSink {
    /**
     * One event line.
     *
     * @param fields  the parsed fields with the client address resolved
     * @param line    the buffer holding the raw line
     * @param start   where the raw line starts in {@code line}
     * @param end     where it ends (exclusive, no terminator)
     * @param lineRef an opaque reference to the line's file and number, resolved after the read
     *                with {@code ScanSummary.position(lineRef)}
     */
    void accept(LineFields fields, byte[] line, int start, int end, long lineRef);
}
