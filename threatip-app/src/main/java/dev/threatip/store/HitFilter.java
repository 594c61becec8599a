package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import java.time.Instant;
import java.util.Objects;

/**
 * The filter and page of {@code GET /api/v1/hits} over {@code [from, to)}. Every criterion but
 * the window is optional (null). A rule selects detections and gateway hits, an action gateway
 * hits (detections carry none): intel hits have neither.
 *
 * @param from       start of the window, inclusive
 * @param to         end of the window, exclusive; after {@code from}
 * @param rule       only detections and gateway hits of this rule id
 * @param category   only hits of this category
 * @param confidence only hits at this confidence
 * @param action     only hits the gateway answered with this policy action ({@code allow},
 *                   {@code monitor}, {@code js_challenge}, {@code managed_challenge}, {@code block})
 * @param source     only {@link Hit#BEHAVIOR}, {@link Hit#INTEL} or {@link Hit#GATEWAY} hits
 * @param limit      page size, 1 to {@value IpFilter#MAX_LIMIT}
 * @param offset     items to skip, not negative
 */
public record HitFilter(Instant from, Instant to, String rule, Category category, Confidence confidence,
                        String action, String source, int limit, int offset) {
    public HitFilter {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to " + to + " must be after from " + from);
        }
        if (source != null && !Hit.SOURCES.contains(source)) {
            throw new IllegalArgumentException("source must be one of " + Hit.SOURCES + ": " + source);
        }
        if (limit < 1 || limit > IpFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + IpFilter.MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (rule != null && rule.isEmpty()) {
            rule = null;
        }
    }

    /** Every hit of the window, the first {@code limit} of them. */
    public static HitFilter window(Instant from, Instant to, int limit) {
        return new HitFilter(from, to, null, null, null, null, null, limit, 0);
    }
}
