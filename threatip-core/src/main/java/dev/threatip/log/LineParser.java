package dev.threatip.log;

/**
 * Parses one line of one log format into {@link LineFields}. Instances hold per-file state
 * (a W3C {@code #Fields} header, a time cache) and are used by one thread at a time; create one
 * per file and thread with {@link LogFormat#newParser}.
 */
public interface LineParser {
    /** What a parse call made of the line. */
    enum Outcome {
        /** The line was an event; the fields are filled. */
        EVENT,
        /** The line is a header, directive or comment of the format ({@code #Fields:}, {@code #Version}); not counted as unparsed. */
        DIRECTIVE,
        /** The line does not fit the format. */
        MALFORMED
    }

    /**
     * Parses {@code line[start, end)} (no line terminator) into {@code out}, which the caller has reset.
     *
     * @return what the line was
     */
    Outcome parse(byte[] line, int start, int end, LineFields out);
}
