package dev.threatip.block;

import java.util.List;

/**
 * One banned scope per line (a bare address or a CIDR) under a {@code #} header, the form feed
 * readers and {@code grepcidr -f} take.
 */
final class PlainFormat implements ExportFormat {

    @Override
    public String name() {
        return "plain";
    }

    @Override
    public String description() {
        return "plain list: one banned address or CIDR per line";
    }

    @Override
    public Capacity capacity() {
        return Capacity.unlimited("a plain list has no limit");
    }

    @Override
    public Layout layout() {
        return Layout.ENFORCEMENT;
    }

    @Override
    public boolean carriesType() {
        return false;
    }

    @Override
    public String typeRefusal() {
        return "a plain list carries no type (use csv or json)";
    }

    @Override
    public String mediaType() {
        return "text/plain; charset=utf-8";
    }

    @Override
    public String extension() {
        return ".txt";
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        FileHeader.write(s, "#", List.of("any reader of plain address lists, e.g. threatip feeds compile --feed FILE"), out);
        for (Selection.Entry e : s.entries()) {
            out.append(e.address()).append('\n');
        }
    }
}
