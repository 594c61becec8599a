package dev.threatip.intel;

import dev.threatip.net.Cidr;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the lines of a plain IP list, the body shared by plain lists, FireHOL sets and plain Tor
 * lists. A line holds one address or CIDR, optionally followed by more columns (separated by
 * blanks or a comma, as maltrail's {@code worst_asns.txt} writes {@code 198.51.100.0/24,linode})
 * and a trailing comment. Lines starting with {@code #}, {@code ;} or {@code //} and blank lines
 * are skipped.
 *
 * <p>The text of a trailing {@code #} comment ({@code 192.0.2.7 # scanner.example}, maltrail's
 * way of naming a scanner) becomes a tag of the entry's {@link Evidence}. Evidence objects are
 * interned per distinct tag, so a feed of many lines and few distinct comments costs few objects;
 * past {@value #MAX_TAGS} distinct tags new tags are dropped rather than costing an object per
 * entry. One instance serves one read.
 */
final class ListLineParser {
    /** The longest tag kept, in characters; longer comments are cut. */
    static final int MAX_TAG = 64;

    /** How many distinct tags one feed may carry. */
    static final int MAX_TAGS = 65_536;

    private final String file;
    private final FeedContext context;
    private final Consumer<FeedEntry> sink;
    private final long[] scratch = new long[2];
    private final Map<String, Evidence> byTag = new HashMap<>();
    private long dataLines;

    ListLineParser(String file, FeedContext context, Consumer<FeedEntry> sink) {
        this.file = file;
        this.context = context;
        this.sink = sink;
    }

    /** Whether {@code b[from, to)}, trimmed, is blank or a whole-line comment. */
    static boolean isCommentOrBlank(byte[] b, int from, int to) {
        from = skipBlanks(b, from, to);
        if (from == to) {
            return true;
        }
        byte c = b[from];
        return c == '#' || c == ';' || (c == '/' && from + 1 < to && b[from + 1] == '/');
    }

    /** Reads one line: an entry, a bad line, or nothing for a comment or blank line. */
    void line(byte[] b, int from, int to, long lineNo) {
        if (isCommentOrBlank(b, from, to)) {
            return;
        }
        from = skipBlanks(b, from, to);
        dataLines++;
        int end = from;
        while (end < to && !isBlank(b[end]) && b[end] != '#' && b[end] != ';' && b[end] != ',') {
            end++;
        }
        Cidr network = AddressToken.parse(b, from, end, scratch);
        if (network == null) {
            context.badLine(file, lineNo, AddressToken.why(b, from, end > from ? end : to));
            return;
        }
        sink.accept(new FeedEntry(network, evidenceFromComment(b, end, to), lineNo));
    }

    /** Reports a line longer than {@link ListLineScanner#MAX_LINE} bytes. */
    void overlong(byte[] b, int from, int to, long lineNo) {
        dataLines++;
        context.badLine(file, lineNo, "line longer than " + ListLineScanner.MAX_LINE + " bytes, starting "
                + AddressToken.quote(new String(b, from, Math.min(to - from, AddressToken.QUOTE_LIMIT),
                StandardCharsets.UTF_8)));
    }

    /** How many data lines (not blank, not comments) were read. */
    long dataLines() {
        return dataLines;
    }

    private Evidence evidenceFromComment(byte[] b, int from, int to) {
        from = skipBlanks(b, from, to);
        if (from == to || b[from] != '#') {
            return Evidence.NONE;
        }
        int start = skipBlanks(b, from + 1, to);
        int end = to;
        while (end > start && isBlank(b[end - 1])) {
            end--;
        }
        if (start == end) {
            return Evidence.NONE;
        }
        // MAX_TAG characters take at most 4 bytes each in UTF-8.
        String tag = new String(b, start, Math.min(end - start, MAX_TAG * 4), StandardCharsets.UTF_8);
        if (tag.length() > MAX_TAG) {
            tag = tag.substring(0, MAX_TAG).strip();
        }
        Evidence known = byTag.get(tag);
        if (known != null) {
            return known;
        }
        if (byTag.size() >= MAX_TAGS) {
            return Evidence.NONE;
        }
        Evidence e = new Evidence(Set.of(), Evidence.NO_SCORE, 0, null, null, null, List.of(tag));
        byTag.put(tag, e);
        return e;
    }

    static int skipBlanks(byte[] b, int from, int to) {
        while (from < to && isBlank(b[from])) {
            from++;
        }
        return from;
    }

    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\f' || c == 0x0B || c == '\r';
    }
}
