package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import java.util.Locale;
import java.util.Objects;

/**
 * The filter, order and page of {@code GET /api/v1/ips}. Every criterion is optional (null);
 * category and confidence together mean "that category at that confidence".
 *
 * @param category   only IPs with this category
 * @param confidence only IPs with a category at this confidence
 * @param level      only IPs at this threat level
 * @param q          only IPs whose text form starts with this
 * @param limit      page size, 1 to {@value #MAX_LIMIT}
 * @param offset     items to skip, not negative
 * @param sort       the order's key
 * @param ascending  smallest first instead of largest first
 */
public record IpFilter(Category category, Confidence confidence, ThreatLevel level, String q, int limit, int offset,
                       Sort sort, boolean ascending) {
    /** The largest page. */
    public static final int MAX_LIMIT = 1000;

    /**
     * What {@code ips} orders by; ties are broken by more hits, then by address.
     */
    public enum Sort {
        /** Threat level (then hits); the default, largest first. */
        LEVEL,
        /** Requests counted into the profile. */
        HITS,
        /** Event time of the latest request. */
        LAST_SEEN,
        /** Address order (IPv4 before IPv6). */
        IP;

        /** The {@code sort} parameter value, e.g. {@code last_seen}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public IpFilter {
        Objects.requireNonNull(sort, "sort");
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

    /** A filter in the default order: highest level first, then most hits, then by address. */
    public IpFilter(Category category, Confidence confidence, ThreatLevel level, String q, int limit, int offset) {
        this(category, confidence, level, q, limit, offset, Sort.LEVEL, false);
    }

    /** No criteria, the first {@code limit} IPs. */
    public static IpFilter all(int limit) {
        return new IpFilter(null, null, null, null, limit, 0);
    }
}
