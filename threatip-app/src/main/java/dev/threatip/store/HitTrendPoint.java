package dev.threatip.store;

import java.time.Instant;

/**
 * One bucket of the hits trend. A detection counts once at its time; an intel hit counts each of
 * its requests at the request's time, so {@code hits = behavior + intel}.
 *
 * @param t        the bucket's start
 * @param hits     behaviour and intel hits in the bucket
 * @param behavior detections in the bucket
 * @param intel    requests of intel-listed IPs in the bucket
 */
public record HitTrendPoint(Instant t, long hits, long behavior, long intel) {
}
