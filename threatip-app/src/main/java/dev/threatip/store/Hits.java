package dev.threatip.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code GET /api/v1/hits}: a trend over the whole filtered window and one page of
 * hits, latest first.
 *
 * @param from   start of the window, inclusive
 * @param to     end of the window, exclusive
 * @param bucket the trend's bucket width (as for {@link Stats})
 * @param trend  one point per bucket from {@code from}, empty buckets included
 * @param page   the matching hits: {@code total} and this page's items
 */
public record Hits(Instant from, Instant to, Duration bucket, List<HitTrendPoint> trend, Page<Hit> page) {
    public Hits {
        trend = List.copyOf(trend);
    }
}
