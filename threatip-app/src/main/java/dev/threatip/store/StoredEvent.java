package dev.threatip.store;

import dev.threatip.log.AccessEvent;

/**
 * An access event as stored, for {@code GET /api/v1/ips/{ip}/logs}.
 *
 * @param event  the event; its time is the ingest time when the line had none
 * @param source the input it came from
 * @param line   its line number in that input, or -1 when unknown
 */
public record StoredEvent(AccessEvent event, String source, long line) {
}
