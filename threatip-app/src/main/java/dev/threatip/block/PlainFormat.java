package dev.threatip.block;

import java.util.List;

/**
 * One banned scope per line (a bare address or a CIDR) under a {@code #} header, the form feed
 * readers and {@code grepcidr -f} take.
 */
final class PlainFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "plain",
            "plain list: one banned address or CIDR per line",
            "text/plain; charset=utf-8",
            ".txt",
            Capacity.unlimited("a plain list has no limit"),
            "a plain list carries no type (use csv or json)");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        FileHeader.write(s, "#", List.of("any reader of plain address lists, e.g. threatip feeds compile --feed FILE"), out);
        for (Selection.Entry e : s.entries()) {
            out.append(e.address()).append('\n');
        }
    }
}
