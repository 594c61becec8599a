package dev.threatip.intel;

import java.io.IOException;
import java.util.function.Consumer;

/** Reads one feed format. Implementations are stateless and bound in {@link FeedReaders}. */
public interface FeedReader {
    /**
     * Reads one feed, sending every good entry to {@code sink} in file order and every bad line
     * to {@link FeedContext#badLine}; a bad line never stops the read.
     *
     * @return what the feed says about itself, {@link FeedHeader#EMPTY} when nothing
     * @throws FeedFormatException when the input is not this format at all (not JSON, no
     *                             {@code #fields} header, ...), naming file, line and why
     * @throws IOException         when the input cannot be read (including a truncated gzip)
     */
    FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException;
}
