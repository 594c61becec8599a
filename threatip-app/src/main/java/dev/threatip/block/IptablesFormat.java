package dev.threatip.block;

import dev.threatip.net.Cidr;
import java.util.List;
import java.util.Locale;

/**
 * An {@code iptables-restore} (or {@code ip6tables-restore}) fragment: table {@code filter},
 * a chain {@code NAME} (upper-cased) with one {@code DROP} rule per scope. Loaded with
 * {@code --noflush}, it replaces that chain's rules and leaves every other chain alone; the jump
 * into it is added once by hand. iptables rules have no timeouts, so expiry happens when the
 * next export is loaded. One family per file, as the restore tools are: {@code iptables} takes
 * the IPv4 decisions, {@code ip6tables} the IPv6 ones.
 */
final class IptablesFormat implements ExportFormat {
    private final boolean ipv4;
    private final ExportTarget target;

    IptablesFormat(boolean ipv4) {
        this.ipv4 = ipv4;
        this.target = ExportTarget.enforcing(
                ipv4 ? "iptables" : "ip6tables",
                (ipv4 ? "iptables" : "ip6tables") + "-restore fragment: a chain of DROP rules (" + (ipv4 ? "IPv4" : "IPv6") + " decisions)",
                "text/plain; charset=utf-8",
                ipv4 ? ".rules" : ".rules6",
                Capacity.unlimited("rules are matched one by one: past a few thousand, prefer ipset"),
                "a firewall cannot challenge (use nginx-geo, haproxy-map or the bouncer API)");
    }

    @Override
    public ExportTarget target() {
        return target;
    }

    @Override
    public Fit fit(Cidr scope) {
        if (scope.isIpv4() != ipv4) {
            return Fit.refused(ipv4 ? "IPv6: export it with --format ip6tables" : "IPv4: export it with --format iptables");
        }
        return Fit.as(scope);
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String chain = s.options().name().toUpperCase(Locale.ROOT);
        String tool = ipv4 ? "iptables" : "ip6tables";
        FileHeader.write(s, "#", List.of(tool + "-restore --noflush < " + s.options().name() + target.extension()
                        + "  (replaces the rules of chain " + chain + " only)",
                "once: " + tool + " -I INPUT -j " + chain), out);
        out.append("*filter\n");
        out.append(':').append(chain).append(" - [0:0]\n");
        for (Selection.Entry e : s.entries()) {
            out.append("-A ").append(chain).append(" -s ").append(e.scope())
                    .append(" -m comment --comment \"").append(e.comment()).append("\" -j DROP\n");
        }
        out.append("COMMIT\n");
    }
}
