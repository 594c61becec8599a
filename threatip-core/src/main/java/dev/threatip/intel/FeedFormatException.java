package dev.threatip.intel;

/** A feed that cannot be used: names the file, the line (0 when none applies) and why. */
public final class FeedFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long line;
    private final String why;

    public FeedFormatException(String file, long line, String why) {
        super(file + (line > 0 ? ":" + line : "") + ": " + why);
        this.file = file;
        this.line = line;
        this.why = why;
    }

    /** The feed file (or URL) as named in messages. */
    public String file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is not at one line. */
    public long line() {
        return line;
    }

    /** What is wrong, without the location. */
    public String why() {
        return why;
    }
}
