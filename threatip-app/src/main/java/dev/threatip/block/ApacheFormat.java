package dev.threatip.block;

import java.util.List;

/**
 * An Apache httpd 2.4 include file (mod_authz_host): {@code <RequireAll>} granting everyone
 * except each banned scope ({@code Require not ip}). Apache takes comments only on lines of
 * their own, so each reason sits above its scope.
 */
final class ApacheFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "apache",
            "Apache httpd include file: Require not ip inside RequireAll",
            "text/plain; charset=utf-8",
            ".conf",
            Capacity.unlimited("Require lines are matched one by one: past tens of thousands, prefer a firewall set"),
            "Require cannot challenge");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        FileHeader.write(s, "#", List.of("Include /etc/apache2/" + s.options().name() + "-deny.conf"
                + "  inside <Location />, <Directory> or <VirtualHost> (needs mod_authz_host); apachectl -t && apachectl graceful"), out);
        out.append("<RequireAll>\n");
        out.append("    Require all granted\n");
        for (Selection.Entry e : s.entries()) {
            out.append("    # ").append(e.comment()).append('\n');
            out.append("    Require not ip ").append(e.address()).append('\n');
        }
        out.append("</RequireAll>\n");
    }
}
