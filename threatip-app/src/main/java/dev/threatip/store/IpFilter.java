package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;

/**
 * The filter and page of {@code GET /api/v1/ips}. Every criterion is optional (null); category
 * and confidence together mean "that category at that confidence".
 *
 * @param category   only IPs with this category
 * @param confidence only IPs with a category at this confidence
 * @param level      only IPs at this threat level
 * @param q          only IPs whose text form starts with this
 * @param limit      page size, 1 to {@value #MAX_LIMIT}
 * @param offset     items to skip, not negative
 */
public record IpFilter(Category category, Confidence confidence, ThreatLevel level, String q, int limit, int offset) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    public IpFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (q != null && q.isEmpty()) {
            q = null;
        }
    }

    /** No criteria, the first {@code limit} IPs. */
    public static IpFilter all(int limit) {
        return new IpFilter(null, null, null, null, limit, 0);
    }
}
