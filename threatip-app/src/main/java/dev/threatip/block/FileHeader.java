package dev.threatip.block;

import java.util.List;
import java.util.Map;

/**
 * The comment block at the top of the formats that allow comments: what the file holds, what was
 * left out and why (the first {@value #LISTED} decisions by rank), notes, and how to load it.
 * Everything in it is threatip's own text (scopes, counts, reasons it wrote itself), never a
 * decision's reason; line breaks are still taken out, so no line can leave the comment.
 */
final class FileHeader {
    /** Left-out decisions listed by scope; the rest are counted. */
    static final int LISTED = 10;

    private FileHeader() {
    }

    /** Writes the header with {@code mark} ({@code #}) starting each line. */
    static void write(Selection s, String mark, List<String> howToLoad, StringBuilder out) {
        int total = s.entries().size() + s.leftOut().size();
        line(out, mark, "threatip decisions export: " + s.format().target().name() + ", generated " + s.options().now());
        line(out, mark, s.entries().size() + " exported of " + total + (total == 1 ? " decision" : " decisions")
                + "; capacity " + s.capacity().describe());
        Map<LeftOut.Reason, Integer> counts = s.leftOutCounts();
        if (!counts.isEmpty()) {
            line(out, mark, "left out: " + String.join(", ", counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().wireName()).toList()));
            List<LeftOut> shown = s.leftOut().subList(0, Math.min(LISTED, s.leftOut().size()));
            for (LeftOut l : shown) {
                line(out, mark, "  " + l.decision().scope() + " " + l.decision().type().wireName() + ", "
                        + l.reason().wireName() + ": " + l.detail());
            }
            if (s.leftOut().size() > shown.size()) {
                line(out, mark, "  and " + (s.leftOut().size() - shown.size()) + " more");
            }
        }
        for (String note : s.notes()) {
            line(out, mark, "note: " + note);
        }
        for (String how : howToLoad) {
            line(out, mark, "load: " + how);
        }
    }

    private static void line(StringBuilder out, String mark, String text) {
        StringBuilder safe = new StringBuilder(text.length());
        text.codePoints().forEach(c -> safe.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c));
        while (safe.length() > 0 && safe.charAt(safe.length() - 1) == '\\') {
            safe.setLength(safe.length() - 1); // Apache would continue the comment on the next line
        }
        out.append(mark).append(' ').append(safe).append('\n');
    }
}
