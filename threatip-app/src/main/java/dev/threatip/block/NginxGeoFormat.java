package dev.threatip.block;

import java.util.List;

/**
 * An nginx {@code geo} block (ngx_http_geo_module, http context) that sets
 * {@code $NAME_decision} to {@code ban} or {@code captcha} for the client address, by longest
 * prefix, and to the empty string otherwise: one lookup in a radix tree, whatever the size, and
 * the challenge is the operator's to implement (a redirect, an auth_request).
 */
final class NginxGeoFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "nginx-geo",
            "nginx geo block setting $NAME_decision to ban or captcha",
            "text/plain; charset=utf-8",
            ".conf",
            Capacity.unlimited("a geo block is a radix tree"),
            null);


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String variable = "$" + s.options().name() + "_decision";
        FileHeader.write(s, "#", List.of("include /etc/nginx/" + s.options().name() + "-geo.conf;  in the http context",
                "in a server: if (" + variable + " = ban) { return 403; }"), out);
        out.append("geo ").append(variable).append(" {\n");
        out.append("    default \"\";\n");
        for (Selection.Entry e : s.entries()) {
            out.append("    ").append(e.scope()).append(' ').append(e.decision().type().wireName())
                    .append(";  # ").append(e.comment()).append('\n');
        }
        out.append("}\n");
    }
}
