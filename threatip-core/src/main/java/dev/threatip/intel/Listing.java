package dev.threatip.intel;

import java.util.Set;

/**
 * One feed's claim about an address: the feed and what its entry said. Listings are shared
 * by every address whose entries said the same thing in the same feed.
 *
 * @param feed     the feed
 * @param evidence what the entry said
 */
public record Listing(CompiledFeed feed, Evidence evidence) {
    /** The categories this listing asserts: the entry's own, else the feed's. */
    public Set<Category> categories() {
        return evidence.categories().isEmpty() ? feed.categories() : evidence.categories();
    }
}
