package dev.threatip.store;

import java.util.List;
import java.util.Map;

/**
 * The stored part of {@code GET /api/v1/ips/{ip}}: the profile row (or a clean one built from
 * the events when the IP has no profile) and aggregates over its stored events.
 *
 * @param summary    verdict, level, categories, hits, first/last seen
 * @param events     stored events of the IP
 * @param topPaths   the most requested paths, most first
 * @param statuses   status → requests
 * @param userAgents distinct user agents, most frequent first
 * @param samples    raw lines of the latest events, latest first
 * @param gateway    what {@code threatip gate} did with its requests ({@link GatewayActivity#NONE} when nothing)
 */
public record IpProfile(IpSummary summary, long events, List<PathCount> topPaths, Map<Integer, Long> statuses,
                        List<String> userAgents, List<String> samples, GatewayActivity gateway) {
    public IpProfile {
        topPaths = List.copyOf(topPaths);
        statuses = Map.copyOf(statuses);
        userAgents = List.copyOf(userAgents);
        samples = List.copyOf(samples);
        java.util.Objects.requireNonNull(gateway, "gateway");
    }
}
