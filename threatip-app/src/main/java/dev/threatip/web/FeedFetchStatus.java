package dev.threatip.web;

import java.time.Instant;
import java.util.Objects;

/**
 * The fetch status of one feed, as the feed refresher of {@code serve} reports it.
 *
 * @param name        the feed's name, as in the snapshot's manifest
 * @param source      the file or URL, or null when the manifest's is to be shown
 * @param lastRefresh when the feed was last read successfully, or null when never
 * @param lastError   the last fetch or parse error, or null when the last attempt succeeded
 * @param stale       whether the feed's copy is older than its refresh interval allows
 */
public record FeedFetchStatus(String name, String source, Instant lastRefresh, String lastError, boolean stale) {
    public FeedFetchStatus {
        Objects.requireNonNull(name, "name");
    }
}
