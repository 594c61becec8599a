package dev.threatip.block;

import java.util.List;

/**
 * An nginx include file of {@code deny} directives (ngx_http_access_module), for the http,
 * server or location context. nginx checks them in order and has no timeouts: expiry happens
 * when the next export is loaded ({@code nginx -s reload}).
 */
final class NginxDenyFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "nginx",
            "nginx include file of deny directives",
            "text/plain; charset=utf-8",
            ".conf",
            Capacity.unlimited("deny lists are matched one by one: past tens of thousands, prefer nginx-geo"),
            "deny cannot challenge (use nginx-geo)");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        FileHeader.write(s, "#", List.of("include /etc/nginx/" + s.options().name() + "-deny.conf;"
                + "  in http, server or location; then nginx -t && nginx -s reload"), out);
        for (Selection.Entry e : s.entries()) {
            out.append("deny ").append(e.address()).append(";  # ").append(e.comment()).append('\n');
        }
    }
}
