package dev.threatip.intel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a {@link FeedReader} needs beyond the bytes: the feed's name, its format options, and a
 * place to report bad lines. Keeps the count of all bad lines and the first
 * {@value #SAMPLE_LIMIT} of them for the report.
 */
public final class FeedContext {
    /** How many bad lines are kept word for word; the rest are only counted. */
    public static final int SAMPLE_LIMIT = 10;

    /** One bad line: where and why. */
    public record BadLine(String file, long line, String why) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + why;
        }
    }

    private final String feedName;
    private final Map<String, String> options;
    private final List<BadLine> samples = new ArrayList<>();
    private long badLines;
    private long linesRead;

    /**
     * @param feedName the feed's name (from its spec or file name)
     * @param options  format options from the feed spec, e.g. {@code ip-column=ip}; never null
     */
    public FeedContext(String feedName, Map<String, String> options) {
        this.feedName = feedName;
        this.options = Map.copyOf(options);
    }

    /** The feed's name. */
    public String feedName() {
        return feedName;
    }

    /** A format option from the feed spec, or {@code fallback} when the spec does not set it. */
    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** Records a bad line; readers call it and go on. */
    public void badLine(String file, long line, String why) {
        badLines++;
        if (samples.size() < SAMPLE_LIMIT) {
            samples.add(new BadLine(file, line, why));
        }
    }

    /** Readers report how many data lines (not comments or blanks) they looked at, for the bad-line ratio. */
    public void countLines(long n) {
        linesRead += n;
    }

    /** How many bad lines were reported. */
    public long badLines() {
        return badLines;
    }

    /** How many data lines readers said they looked at. */
    public long linesRead() {
        return linesRead;
    }

    /** The first bad lines, in order. */
    public List<BadLine> badLineSamples() {
        return Collections.unmodifiableList(samples);
    }
}
