package dev.threatip.intel;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads plain lists: one IP or CIDR per line, {@code #}, {@code ;} and {@code //} comments,
 * trailing comments (a trailing {@code #} comment becomes the entry's tag), CRLF, a UTF-8 BOM,
 * extra columns ignored. Built for size: it scans byte chunks and makes no String per line, so
 * compiling a feed of 100M lines is bound by I/O, not by the parser. See {@link ListLineParser}.
 */
final class PlainListReader implements FeedReader {
    /** A stateless reader; one instance may read many feeds, one at a time or concurrently. */
    PlainListReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        ListLineParser parser = new ListLineParser(input.displayName(), context, sink);
        try (InputStream in = NamedInput.open(input)) {
            ListLineScanner.scan(in, new ListLineScanner.Lines() {
                @Override
                public void line(byte[] b, int from, int to, long lineNo) {
                    parser.line(b, from, to, lineNo);
                }

                @Override
                public void overlong(byte[] b, int from, int to, long lineNo) {
                    parser.overlong(b, from, to, lineNo);
                }
            });
        } finally {
            context.countLines(parser.dataLines());
        }
        return FeedHeader.EMPTY;
    }
}
