package dev.threatip.store;

import java.time.Instant;

/**
 * How many events of one IP are stored, and their event-time span: what a profile starts from
 * when an IP is flagged after it was first seen.
 *
 * @param events    stored events of the IP, at least one
 * @param firstSeen event time of the earliest
 * @param lastSeen  event time of the latest
 */
public record EventSpan(long events, Instant firstSeen, Instant lastSeen) {
}
