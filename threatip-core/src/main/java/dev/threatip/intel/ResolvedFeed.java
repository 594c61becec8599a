package dev.threatip.intel;

import java.time.Instant;
import java.util.Objects;

/**
 * A feed on local disk, ready to read, as {@link FeedSource#resolve} found or fetched it.
 *
 * @param name      the feed's name (from its spec, or inferred; a directory's children each have their own)
 * @param spec      the spec it came from; its format, categories and options apply
 * @param input     the local file, or the directory of a MISP feed
 * @param fetchedAt when the data was last confirmed current: a file's mtime, or the last
 *                  successful download or 304 answer
 * @param origin    how the data was obtained this time
 * @param problem   why the last fetch failed when a cached copy stands in for it, else null
 */
public record ResolvedFeed(String name, FeedSpec spec, FeedInput input, Instant fetchedAt, Origin origin,
                           String problem) {

    /** How a feed's data was obtained. */
    public enum Origin {
        /** A local file or directory, read in place. */
        FILE,
        /** Downloaded now: the server sent a new copy. */
        DOWNLOADED,
        /** The server answered 304: the cached copy is current. */
        NOT_MODIFIED,
        /** The download failed; the last good cached copy is used and {@code problem} says why. */
        CACHED_AFTER_FAILURE,
        /** The cached copy is younger than the feed's minimum refresh interval: no request was made. */
        CACHED_TOO_SOON
    }

    public ResolvedFeed {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(origin, "origin");
        if ((origin == Origin.CACHED_AFTER_FAILURE) != (problem != null)) {
            throw new IllegalArgumentException("a problem is given exactly when the origin is CACHED_AFTER_FAILURE");
        }
    }
}
