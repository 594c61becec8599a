package dev.threatip.policy;

import dev.threatip.net.IpAddress;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of one HTTP request a policy reads. The gateway adapts its own request object to this
 * view without copying; {@link #of} builds one from plain values (tests, {@code explain}).
 * Values are as the client sent them: the policy normalises hosts and paths itself.
 */
public interface RequestView {
    /** The real client address (after trusted-proxy resolution). */
    IpAddress client();

    /** The method, e.g. {@code GET}. */
    String method();

    /** The {@code Host} header (or HTTP/2 {@code :authority}), possibly with a port; empty when absent. */
    String host();

    /** The request target's path, without the query string, as sent (not decoded). */
    String path();

    /** The {@code User-Agent} header, empty when absent. */
    String userAgent();

    /** The value of a header (name matched case-insensitively), or null when absent. */
    String header(String name);

    /** A view of plain values; header names are matched case-insensitively. */
    static RequestView of(IpAddress client, String method, String host, String path, Map<String, String> headers) {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        String ua = h.getOrDefault("User-Agent", "");
        return new RequestView() {
            @Override
            public IpAddress client() {
                return client;
            }

            @Override
            public String method() {
                return method;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String userAgent() {
                return ua;
            }

            @Override
            public String header(String name) {
                return h.get(name);
            }

            @Override
            public String toString() {
                return method + " " + host + path + " from " + client + " " + h.keySet().toString().toLowerCase(Locale.ROOT);
            }
        };
    }
}
