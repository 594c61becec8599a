package dev.threatip.demo;

/**
 * One request of the sample traffic, before a service writes it in its log format.
 *
 * @param millis    event time, epoch milliseconds
 * @param ip        the client address
 * @param method    the HTTP method
 * @param target    path and query as sent (percent-encoded, no spaces), or {@code host:port} for CONNECT
 * @param status    the response status
 * @param bytes     response body bytes
 * @param referer   the referer, or {@code -}
 * @param userAgent the user agent, or {@code -}
 */
record Request(long millis, String ip, String method, String target, int status, long bytes, String referer,
               String userAgent) {
}
