package dev.threatip.store;

import java.time.Instant;

/**
 * One bucket of the hits trend. A detection counts once at its time; an intel hit counts each of
 * its requests at the request's time; a gateway hit is one request; so
 * {@code hits = behavior + intel + gateway}.
 *
 * @param t        the bucket's start
 * @param hits     behaviour, intel and gateway hits in the bucket
 * @param behavior detections in the bucket
 * @param intel    requests of intel-listed IPs in the bucket
 * @param gateway  requests the gateway decided in the bucket
 */
public record HitTrendPoint(Instant t, long hits, long behavior, long intel, long gateway) {
}
