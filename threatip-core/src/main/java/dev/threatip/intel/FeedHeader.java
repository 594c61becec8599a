package dev.threatip.intel;

import java.time.Instant;

/**
 * What a feed says about itself in its header or metadata (FireHOL's comment header, a STIX
 * bundle's identity, a MISP event's info). Every field may be absent.
 *
 * @param title           the feed's own name for itself, or null
 * @param description     what the feed lists, or null
 * @param maintainer      who publishes it, or null
 * @param category        the feed's own category text (FireHOL's {@code Category : attacks}), or null
 * @param published       when this copy of the feed was produced, or null
 * @param declaredEntries how many entries the feed says it has, or -1
 * @param sourceUrl       where the feed says it comes from, or null
 */
public record FeedHeader(String title, String description, String maintainer, String category, Instant published,
                         long declaredEntries, String sourceUrl) {
    /** A feed that says nothing about itself. */
    public static final FeedHeader EMPTY = new FeedHeader(null, null, null, null, null, -1, null);
}
