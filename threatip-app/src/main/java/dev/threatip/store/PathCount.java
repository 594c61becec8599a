package dev.threatip.store;

/**
 * A path an IP requested and how often.
 *
 * @param path  the path as logged
 * @param count requests
 */
public record PathCount(String path, long count) {
}
