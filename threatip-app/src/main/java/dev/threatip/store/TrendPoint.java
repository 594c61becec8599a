package dev.threatip.store;

import java.time.Instant;

/**
 * One bucket of the stats trend.
 *
 * @param t               the bucket's start
 * @param requests        events in the bucket
 * @param flaggedRequests of them, events from flagged IPs
 */
public record TrendPoint(Instant t, long requests, long flaggedRequests) {
}
