package dev.threatip.web;

import java.util.List;

/**
 * What {@code serve}'s feed refresher knows about each feed beyond the snapshot's manifest: when
 * it was last fetched and the last fetch error. {@code GET /api/v1/feeds} merges it by feed name
 * into the snapshot's feed list; a feed only this source knows (never compiled, e.g. its first
 * download failed) is listed with zero entries.
 */
@FunctionalInterface
public interface FeedStatusSource {
    /** The current fetch status of every configured feed; never null. */
    List<FeedFetchStatus> feedStatuses();
}
