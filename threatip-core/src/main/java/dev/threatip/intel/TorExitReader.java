package dev.threatip.intel;

import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads Tor exit lists in either of their published shapes.
 *
 * <p>The TorDNSEL exit list ({@code check.torproject.org/exit-addresses}):
 * <pre>
 * Downloaded 2024-02-27 12:00:00
 * ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E
 * Published 2024-02-27 11:48:03
 * LastStatus 2024-02-27 12:00:00
 * ExitAddress 192.0.2.201 2024-02-27 12:05:13
 * </pre>
 * Each {@code ExitAddress} is an entry whose date (UTC) is its {@link Evidence#lastSeen()};
 * {@code Downloaded} is the header's published time; the other keyword lines and {@code @type}
 * lines carry nothing per address. Any other line is read as a plain list line (see
 * {@link ListLineParser}), so the one-IP-per-line lists also published for Tor read the same.
 */
final class TorExitReader implements FeedReader {
    /** Distinct {@code ExitAddress} times whose Evidence is shared; a list has a few thousand. */
    private static final int MAX_INTERNED = 65_536;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final byte[] EXIT_ADDRESS = ascii("ExitAddress");
    private static final byte[] DOWNLOADED = ascii("Downloaded");
    private static final List<byte[]> IGNORED = List.of(ascii("ExitNode"), ascii("Published"), ascii("LastStatus"));

    /** A stateless reader. */
    TorExitReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        ListLineParser plain = new ListLineParser(file, context, sink);
        Instant[] downloaded = new Instant[1];
        long[] exitLines = new long[1];
        long[] scratch = new long[2];
        Map<Instant, Evidence> byTime = new HashMap<>();
        try (InputStream in = NamedInput.open(input)) {
            ListLineScanner.scan(in, new ListLineScanner.Lines() {
                @Override
                public void line(byte[] b, int from, int to, long lineNo) {
                    int start = ListLineParser.skipBlanks(b, from, to);
                    if (start < to && b[start] == '@') {
                        return;
                    }
                    if (keyword(b, start, to, DOWNLOADED)) {
                        downloaded[0] = parseTime(text(b, start + DOWNLOADED.length, to));
                        return;
                    }
                    for (byte[] k : IGNORED) {
                        if (keyword(b, start, to, k)) {
                            return;
                        }
                    }
                    if (!keyword(b, start, to, EXIT_ADDRESS)) {
                        plain.line(b, from, to, lineNo);
                        return;
                    }
                    exitLines[0]++;
                    int ipFrom = ListLineParser.skipBlanks(b, start + EXIT_ADDRESS.length, to);
                    int ipTo = ipFrom;
                    while (ipTo < to && !ListLineParser.isBlank(b[ipTo])) {
                        ipTo++;
                    }
                    Cidr network = AddressToken.parse(b, ipFrom, ipTo, scratch);
                    if (network == null) {
                        context.badLine(file, lineNo, AddressToken.why(b, ipFrom, ipTo));
                        return;
                    }
                    String when = text(b, ipTo, to);
                    Instant seen = when.isEmpty() ? null : parseTime(when);
                    if (seen == null && !when.isEmpty()) {
                        context.badLine(file, lineNo, "bad ExitAddress time (want yyyy-MM-dd HH:mm:ss): "
                                + AddressToken.quote(when));
                        return;
                    }
                    sink.accept(new FeedEntry(network, evidenceSeen(seen, byTime), lineNo));
                }

                @Override
                public void overlong(byte[] b, int from, int to, long lineNo) {
                    plain.overlong(b, from, to, lineNo);
                }
            });
        } finally {
            context.countLines(plain.dataLines() + exitLines[0]);
        }
        return downloaded[0] == null ? FeedHeader.EMPTY
                : new FeedHeader(null, null, null, null, downloaded[0], -1, null);
    }

    private static Evidence evidenceSeen(Instant seen, Map<Instant, Evidence> byTime) {
        if (seen == null) {
            return Evidence.NONE;
        }
        Evidence e = byTime.get(seen);
        if (e == null) {
            e = new Evidence(Set.of(), Evidence.NO_SCORE, 0, null, seen, null, List.of());
            if (byTime.size() < MAX_INTERNED) {
                byTime.put(seen, e);
            }
        }
        return e;
    }

    /** Whether the line starts with {@code word} followed by a blank or its end. */
    private static boolean keyword(byte[] b, int from, int to, byte[] word) {
        if (to - from < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[from + i] != word[i]) {
                return false;
            }
        }
        return to - from == word.length || ListLineParser.isBlank(b[from + word.length]);
    }

    private static String text(byte[] b, int from, int to) {
        return new String(b, from, Math.min(to - from, 256), StandardCharsets.UTF_8).strip();
    }

    private static Instant parseTime(String s) {
        try {
            return LocalDateTime.parse(s, TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
