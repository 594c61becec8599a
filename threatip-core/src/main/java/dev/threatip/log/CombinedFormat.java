package dev.threatip.log;

/**
 * The nginx / Apache {@code combined} and {@code common} access-log formats:
 *
 * <pre>
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 * </pre>
 *
 * {@code common} is the same without referer and user agent. One tolerant parser serves both
 * names, because real servers append to these layouts:
 * <ul>
 *   <li>trailing extra fields after the user agent (or after the size in {@code common}) are
 *       accepted; the first quoted one is taken as nginx's {@code "$http_x_forwarded_for"}
 *       ({@code -} meaning absent), unquoted ones such as a request time {@code 0.123} are
 *       skipped;</li>
 *   <li>a prepended virtual host, Apache's {@code vhost_combined} ({@code %v:%p %h %l %u %t ...})
 *       and nginx's {@code $host:$server_port $remote_addr ...}: recognised when the first token
 *       contains {@code ':'} and the second token is shaped like an IP address (an IPv6 client
 *       alone is followed by the ident {@code -}, never by an address); the part before the last
 *       {@code ':'} becomes the host;</li>
 *   <li>backslash-escaped quotes ({@code \"}) inside quoted fields do not end them;</li>
 *   <li>a size of {@code -} is 0 (Apache's {@code %b} writes {@code -} for an empty body);
 *       a status of {@code -} is absent;</li>
 *   <li>a referer, user agent or forwarded-for of {@code -} is absent;</li>
 *   <li>a user agent whose closing quote was lost (a truncated write) runs to the end of the line.</li>
 * </ul>
 * A request line that is not {@code METHOD target [protocol]} (TLS handshakes, {@code "-"})
 * leaves method and path empty but the line is still an event: the client is real. A bad time,
 * status or size makes the line {@link LineParser.Outcome#MALFORMED}.
 */
public final class CombinedFormat implements LogFormat {
    private static final CombinedFormat COMBINED = new CombinedFormat("combined");
    private static final CombinedFormat COMMON = new CombinedFormat("common");

    private final String name;

    private CombinedFormat(String name) {
        this.name = name;
    }

    /** The {@code combined} format (with referer and user agent). */
    public static CombinedFormat combined() {
        return COMBINED;
    }

    /** The {@code common} format (without referer and user agent; lines that have them parse too). */
    public static CombinedFormat common() {
        return COMMON;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LineParser newParser() {
        return new CombinedParser();
    }

    @Override
    public String toString() {
        return name;
    }
}
