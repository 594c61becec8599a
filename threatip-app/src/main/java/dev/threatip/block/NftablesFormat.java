package dev.threatip.block;

import java.util.List;

/**
 * A complete nftables file: {@code table inet NAME} with one interval set per family (so CIDRs
 * work) whose elements carry their own {@code timeout}, and an input-hook chain that drops what
 * the sets hold. It starts by creating and deleting the table, so {@code nft -f} replaces the
 * previous export atomically in one transaction, and a decision deleted in threatip disappears.
 * Interval sets refuse overlapping elements; {@link Selection} has merged them already.
 */
final class NftablesFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "nftables",
            "nftables: table inet with an interval set per family, element timeouts, and a drop rule",
            "text/plain; charset=utf-8",
            ".nft",
            Capacity.unlimited("nftables sets have no practical size limit"),
            "a firewall cannot challenge (use nginx-geo, haproxy-map or the bouncer API)");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String table = s.options().name();
        FileHeader.write(s, "#", List.of("nft -f " + table + TARGET.extension()
                + "  (replaces table inet " + table + " atomically; nft -c -f checks it first)"), out);
        out.append("table inet ").append(table).append('\n');
        out.append("delete table inet ").append(table).append('\n');
        out.append("table inet ").append(table).append(" {\n");
        set(out, "ban_v4", "ipv4_addr", s.entries(true));
        set(out, "ban_v6", "ipv6_addr", s.entries(false));
        out.append("\tchain input {\n");
        out.append("\t\ttype filter hook input priority filter - 10; policy accept;\n");
        out.append("\t\tip saddr @ban_v4 counter drop\n");
        out.append("\t\tip6 saddr @ban_v6 counter drop\n");
        out.append("\t}\n");
        out.append("}\n");
    }

    private static void set(StringBuilder out, String name, String type, List<Selection.Entry> entries) {
        out.append("\tset ").append(name).append(" {\n");
        out.append("\t\ttype ").append(type).append('\n');
        out.append("\t\tflags interval, timeout\n");
        if (!entries.isEmpty()) {
            out.append("\t\telements = {\n");
            for (int i = 0; i < entries.size(); i++) {
                Selection.Entry e = entries.get(i);
                out.append("\t\t\t").append(e.address()).append(" timeout ").append(e.timeoutSeconds()).append('s');
                String comment = e.reasonComment();
                if (!comment.isEmpty()) {
                    out.append(" comment \"").append(comment).append('"');
                }
                out.append(i + 1 < entries.size() ? ",\n" : "\n");
            }
            out.append("\t\t}\n");
        }
        out.append("\t}\n");
    }
}
