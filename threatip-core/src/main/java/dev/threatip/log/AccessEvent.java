package dev.threatip.log;

import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One access-log request, materialised: what flagged lines, behaviour rules with memory, the
 * store and the web views work with. The hot path keeps {@link LineFields} instead.
 *
 * @param time      event time from the line, or null when the line has none
 * @param client    the resolved client address
 * @param method    request method, or null
 * @param host      requested host, or null
 * @param path      request path as logged, or null
 * @param query     query string without {@code ?}, or null
 * @param status    HTTP status, or -1
 * @param bytes     response bytes, or -1
 * @param userAgent user agent, or null
 * @param referer   referer, or null
 * @param raw       the raw line
 */
public record AccessEvent(Instant time, IpAddress client, String method, String host, String path, String query,
                          int status, long bytes, String userAgent, String referer, String raw) {

    /**
     * Materialises a parsed line whose client was resolved ({@code fields.clientValid}); empty
     * fields become null, as absent ones are.
     */
    public static AccessEvent of(LineFields fields, byte[] line, int start, int end) {
        if (!fields.clientValid) {
            throw new IllegalArgumentException("the line's client address is not resolved");
        }
        return new AccessEvent(fields.timeMillis == LineFields.NONE ? null : Instant.ofEpochMilli(fields.timeMillis),
                new IpAddress(fields.clientHi, fields.clientLo), text(fields.method), text(fields.host),
                text(fields.path), text(fields.query), fields.status, fields.bytes, text(fields.userAgent),
                text(fields.referer), new String(line, start, end - start, StandardCharsets.UTF_8));
    }

    private static String text(Slice s) {
        return s.isEmpty() ? null : s.asString();
    }
}
