package dev.threatip.intel;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.util.List;

/**
 * A lookup with its full explanation: the verdict, the entry that matched, and every feed
 * listing behind it with the weight the confidence model gave it.
 *
 * @param address  the address looked up
 * @param verdict  the verdict
 * @param matched  the most specific feed entry (address or network) that matched, or null
 * @param line     the line of that entry in the first feed listing it, or 0
 * @param listings the listings that name the address, with their weights
 */
public record IntelMatch(IpAddress address, Verdict verdict, Cidr matched, long line,
                         List<ConfidenceModel.WeighedListing> listings) {
    public IntelMatch {
        listings = List.copyOf(listings);
    }
}
