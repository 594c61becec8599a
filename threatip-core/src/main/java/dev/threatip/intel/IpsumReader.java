package dev.threatip.intel;

import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads stamparm/ipsum: {@code IP<TAB>count} lines, where count is the number of independent
 * blacklists naming the IP (it becomes {@link Evidence#listCount()}), and {@code #} comments, of
 * which {@code # Last update: Sat, 22 Aug 2026 03:00:29 +0200} gives the header's published time.
 * A line without a count, or with a count that is not a decimal number up to
 * {@value #MAX_COUNT}, is a bad line. Evidence is shared per count: ipsum has about ten.
 */
final class IpsumReader implements FeedReader {
    /** The largest list count accepted; ipsum aggregates a few dozen lists. */
    static final int MAX_COUNT = 100_000;

    private static final byte[] LAST_UPDATE = "Last update:".getBytes(StandardCharsets.US_ASCII);

    /** A stateless reader. */
    IpsumReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        Instant[] published = new Instant[1];
        long[] dataLines = new long[1];
        long[] scratch = new long[2];
        Map<Integer, Evidence> byCount = new HashMap<>();
        try (InputStream in = NamedInput.open(input)) {
            ListLineScanner.scan(in, new ListLineScanner.Lines() {
                @Override
                public void line(byte[] b, int from, int to, long lineNo) {
                    from = ListLineParser.skipBlanks(b, from, to);
                    if (from < to && b[from] == '#') {
                        if (published[0] == null) {
                            published[0] = lastUpdate(b, from + 1, to);
                        }
                        return;
                    }
                    if (ListLineParser.isCommentOrBlank(b, from, to)) {
                        return;
                    }
                    dataLines[0]++;
                    int ipEnd = from;
                    while (ipEnd < to && !ListLineParser.isBlank(b[ipEnd])) {
                        ipEnd++;
                    }
                    Cidr network = AddressToken.parse(b, from, ipEnd, scratch);
                    if (network == null) {
                        context.badLine(file, lineNo, AddressToken.why(b, from, ipEnd));
                        return;
                    }
                    int countFrom = ListLineParser.skipBlanks(b, ipEnd, to);
                    int countTo = countFrom;
                    while (countTo < to && !ListLineParser.isBlank(b[countTo])) {
                        countTo++;
                    }
                    int count = parseCount(b, countFrom, countTo);
                    if (count < 0) {
                        context.badLine(file, lineNo, countFrom == countTo
                                ? "missing list count after " + network
                                : "list count is not a number 0-" + MAX_COUNT + ": " + AddressToken.quote(
                                new String(b, countFrom, Math.min(countTo - countFrom, 64), StandardCharsets.UTF_8)));
                        return;
                    }
                    sink.accept(new FeedEntry(network, byCount.computeIfAbsent(count, Evidence::ofListCount), lineNo));
                }

                @Override
                public void overlong(byte[] b, int from, int to, long lineNo) {
                    dataLines[0]++;
                    context.badLine(file, lineNo, "line longer than " + ListLineScanner.MAX_LINE + " bytes");
                }
            });
        } finally {
            context.countLines(dataLines[0]);
        }
        return new FeedHeader(null, null, null, null, published[0], -1, null);
    }

    private static int parseCount(byte[] b, int from, int to) {
        if (to - from < 1 || to - from > 6) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v <= MAX_COUNT ? v : -1;
    }

    private static Instant lastUpdate(byte[] b, int from, int to) {
        from = ListLineParser.skipBlanks(b, from, to);
        if (to - from <= LAST_UPDATE.length) {
            return null;
        }
        for (int i = 0; i < LAST_UPDATE.length; i++) {
            if (b[from + i] != LAST_UPDATE[i]) {
                return null;
            }
        }
        String date = new String(b, from + LAST_UPDATE.length, to - from - LAST_UPDATE.length,
                StandardCharsets.US_ASCII).strip();
        try {
            return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
