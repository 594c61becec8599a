package dev.threatip.intel;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a feed's listings mean, as {@link FeedCatalog} classifies it.
 *
 * @param categories  the categories a listing puts an address in (entries may add their own);
 *                    may be empty for allow and downgrade feeds
 * @param reliability how much one listing counts, 0.0-1.0
 * @param role        evidence of malice, known good, or known infrastructure
 * @param minRefresh  the shortest interval at which the feed may be fetched again (feed etiquette)
 * @param rationale   why the feed is classified so, shown when a verdict is explained
 * @param family      feeds derived from one source (ipsum and its levels, blocklist.de's lists, the
 *                    Tor lists) share a family and count as one source; null means the feed is its own
 */
public record FeedProfile(Set<Category> categories, double reliability, FeedRole role, Duration minRefresh,
                          String rationale, String family) {
    public FeedProfile {
        categories = Set.copyOf(categories);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(minRefresh, "minRefresh");
        Objects.requireNonNull(rationale, "rationale");
        if (!(reliability >= 0.0 && reliability <= 1.0)) {
            throw new IllegalArgumentException("reliability " + reliability + " out of range 0.0-1.0");
        }
        if (minRefresh.isNegative()) {
            throw new IllegalArgumentException("min refresh must not be negative: " + minRefresh);
        }
    }
}
