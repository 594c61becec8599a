package dev.threatip.intel;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One feed as the snapshot remembers it: what the confidence model needs to weigh its
 * listings, and what an explanation names.
 *
 * @param name        the feed's name
 * @param family      the source the feed derives from; feeds of one family count as one source
 * @param source      the file or URL it was read from
 * @param format      its format
 * @param role        threat, allow or downgrade
 * @param reliability how much one listing in this feed counts, 0-1
 * @param categories  the categories its entries mean when they name none themselves
 * @param confidence  a confidence the operator fixed for the feed in its spec, or null
 * @param ttl         how long an entry stays valid after it was last seen, or null for "no expiry"
 * @param published   when the feed says this copy was produced, or null
 * @param fetchedAt   when threatip read or downloaded it, or null
 */
public record CompiledFeed(String name, String family, String source, FeedFormat format, FeedRole role, double reliability,
                           Set<Category> categories, Confidence confidence, Duration ttl, Instant published,
                           Instant fetchedAt) {
    public CompiledFeed {
        if (!(reliability >= 0 && reliability <= 1)) {
            throw new IllegalArgumentException("reliability of feed '" + name + "' must be within 0-1: " + reliability);
        }
        categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
    }

    /** When this feed's listings were last true, as far as the feed as a whole says. */
    public Instant asOf() {
        return published != null ? published : fetchedAt;
    }
}
