package dev.threatip.block;

import dev.threatip.net.Cidr;
import java.util.List;

/**
 * An {@code ipset restore} file: a {@code hash:net} set per family ({@code NAME-ban4},
 * {@code NAME-ban6}, {@code maxelem} = the capacity) whose members carry their own timeout.
 * Each set is filled as {@code NAME-ban4-new} and swapped in, so a reload is atomic for the
 * iptables rules that reference the set and deletions take effect; every {@code create} is safe
 * to repeat under {@code -exist}.
 */
final class IpsetFormat implements ExportFormat {
    /** The kernel's longest set timeout, in seconds (ipset refuses more). */
    static final long MAX_TIMEOUT = 2_147_483;
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "ipset",
            "ipset restore file: a hash:net set per family with per-member timeouts, swapped in atomically",
            "text/plain; charset=utf-8",
            ".ipset",
            new Capacity(65_536, true, "ipset's default maxelem"),
            "a firewall cannot challenge (use nginx-geo, haproxy-map or the bouncer API)").withMaxTimeout(MAX_TIMEOUT);

    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public Fit fit(Cidr scope) {
        return scope.prefix() == 0 ? Fit.refused("ipset hash:net cannot hold a /0") : Fit.as(scope);
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String name = s.options().name();
        FileHeader.write(s, "#", List.of("ipset restore -exist < " + name + TARGET.extension(),
                "once: iptables -I INPUT -m set --match-set " + name + "-ban4 src -j DROP; ip6tables -I INPUT -m set --match-set "
                        + name + "-ban6 src -j DROP"), out);
        long maxelem = s.capacity().limit();
        set(out, name + "-ban4", "inet", maxelem, s.entries(true));
        set(out, name + "-ban6", "inet6", maxelem, s.entries(false));
    }

    private static void set(StringBuilder out, String live, String family, long maxelem, List<Selection.Entry> entries) {
        String fresh = live + "-new";
        String create = " hash:net family " + family + " maxelem " + maxelem + " timeout 0 comment\n";
        out.append("create ").append(live).append(create);
        out.append("create ").append(fresh).append(create);
        out.append("flush ").append(fresh).append('\n');
        for (Selection.Entry e : entries) {
            out.append("add ").append(fresh).append(' ').append(e.address()).append(" timeout ").append(e.timeoutSeconds());
            String comment = e.reasonComment();
            if (!comment.isEmpty()) {
                out.append(" comment \"").append(comment).append('"');
            }
            out.append('\n');
        }
        out.append("swap ").append(fresh).append(' ').append(live).append('\n');
        out.append("destroy ").append(fresh).append('\n');
    }
}
