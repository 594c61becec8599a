package dev.threatip.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /api/v1/stats} for {@code [from, to)}. An IP is flagged when its
 * profile's verdict is malicious or suspicious.
 *
 * @param from            start of the window, inclusive
 * @param to              end of the window, exclusive
 * @param requests        events in the window
 * @param flaggedRequests events in the window from flagged IPs
 * @param flaggedIps      distinct flagged IPs with events in the window
 * @param byCategory      category wire name → flagged IPs in the window with that category
 * @param byConfidence    confidence wire name → flagged IPs with at least one category at it
 * @param byLevel         level wire name → flagged IPs
 * @param byCountry       ISO country code → flagged IPs, {@value #UNKNOWN_COUNTRY} for those whose profile has no country
 * @param byGatewayAction action wire name → gateway hits in the window (what the edge did, or in monitor
 *                        mode would have done)
 * @param gatewayNotEnforced action wire name → of those, the hits monitor mode passed to the origin instead
 * @param bucket          the trend's bucket width
 * @param trend           one point per bucket from {@code from}, empty buckets included
 */
public record Stats(Instant from, Instant to, long requests, long flaggedRequests, long flaggedIps,
                    Map<String, Long> byCategory, Map<String, Long> byConfidence, Map<String, Long> byLevel,
                    Map<String, Long> byCountry, Map<String, Long> byGatewayAction, Map<String, Long> gatewayNotEnforced,
                    Duration bucket, List<TrendPoint> trend) {
    /** The {@code by_country} key of flagged IPs whose country is not known. */
    public static final String UNKNOWN_COUNTRY = "unknown";

    public Stats {
        byCountry = Map.copyOf(byCountry);
        byCategory = Map.copyOf(byCategory);
        byConfidence = Map.copyOf(byConfidence);
        byLevel = Map.copyOf(byLevel);
        byGatewayAction = Map.copyOf(byGatewayAction);
        gatewayNotEnforced = Map.copyOf(gatewayNotEnforced);
        trend = List.copyOf(trend);
    }
}
