package dev.threatip.block;

import java.util.List;

/**
 * HAProxy pattern files: an ACL file of banned scopes ({@code haproxy}, for
 * {@code src -f FILE}) or a map from scope to {@code ban} or {@code captcha}
 * ({@code haproxy-map}, for {@code src,map_ip(FILE)}, longest prefix wins). Both are trees, so
 * size costs memory, not time. A pattern line is the whole line, so reasons go on comment lines
 * of their own.
 */
final class HaproxyFormat implements ExportFormat {
    private final boolean map;
    private final ExportTarget target;

    HaproxyFormat(boolean map) {
        this.map = map;
        this.target = ExportTarget.enforcing(
                map ? "haproxy-map" : "haproxy",
                map ? "HAProxy map file: scope -> ban or captcha, for map_ip" : "HAProxy ACL file of banned scopes, for src -f",
                "text/plain; charset=utf-8",
                map ? ".map" : ".acl",
                Capacity.unlimited("HAProxy keeps IP patterns in a tree"),
                map ? null : "an ACL file cannot challenge (use haproxy-map)");
    }

    @Override
    public ExportTarget target() {
        return target;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String file = "/etc/haproxy/" + s.options().name() + target.extension();
        FileHeader.write(s, "#", map
                ? List.of("http-request set-var(txn." + s.options().name() + ") src,map_ip(" + file + ")",
                        "http-request deny deny_status 403 if { var(txn." + s.options().name() + ") -m str ban }")
                : List.of("http-request deny deny_status 403 if { src -f " + file + " }"), out);
        for (Selection.Entry e : s.entries()) {
            out.append("# ").append(e.comment()).append('\n');
            out.append(map ? e.scope().toString() : e.address());
            if (map) {
                out.append(' ').append(e.decision().type().wireName());
            }
            out.append('\n');
        }
    }
}
