package dev.threatip.log;

import dev.threatip.net.IpAddress;
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
}
