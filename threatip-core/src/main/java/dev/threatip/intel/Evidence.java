package dev.threatip.intel;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one feed entry itself says about the addresses it lists, beyond the feed's defaults.
 * Readers share one instance across all entries that say nothing of their own (a plain list),
 * so most feeds cost one object, not one per entry.
 *
 * @param categories categories the entry names (AbuseIPDB categories, STIX indicator types,
 *                   MISP tags); empty means "the feed's categories"
 * @param score      the feed's own strength for the entry, 0-100 (AbuseIPDB confidence score,
 *                   STIX confidence), or {@link #NO_SCORE}
 * @param listCount  how many independent lists name the entry according to the feed (ipsum's
 *                   second column), or 0 when the feed does not say
 * @param firstSeen  when the entry was first reported, or null when the feed does not say
 * @param lastSeen   when the entry was last reported, or null when the feed does not say
 * @param validUntil when the entry stops being valid (STIX {@code valid_until}), or null
 * @param tags       free-form labels worth showing in an explanation (a scanner's name, a MISP
 *                   tag), never null
 */
public record Evidence(Set<Category> categories, int score, int listCount, Instant firstSeen, Instant lastSeen,
                       Instant validUntil, List<String> tags) {
    /** The value of {@link #score} when the feed gives none. */
    public static final int NO_SCORE = -1;

    /** Evidence that adds nothing to the feed's defaults: what plain lists carry. */
    public static final Evidence NONE = new Evidence(Set.of(), NO_SCORE, 0, null, null, null, List.of());

    public Evidence {
        categories = Set.copyOf(categories);
        tags = List.copyOf(tags);
        if (score != NO_SCORE && (score < 0 || score > 100)) {
            throw new IllegalArgumentException("score " + score + " out of range 0-100");
        }
        if (listCount < 0) {
            throw new IllegalArgumentException("list count must not be negative: " + listCount);
        }
    }

    /** Evidence with only a list count, as ipsum gives. */
    public static Evidence ofListCount(int listCount) {
        return new Evidence(Set.of(), NO_SCORE, listCount, null, null, null, List.of());
    }
}
