package dev.threatip.store;

import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.List;

/**
 * One row of {@code GET /api/v1/ips}: a stored profile.
 *
 * @param ip         the address
 * @param verdict    malicious, suspicious or clean
 * @param level      the threat level, null when clean
 * @param categories the categories, as the verdict gave them
 * @param hits       requests counted into the profile
 * @param firstSeen  event time of the earliest
 * @param lastSeen   event time of the latest
 */
public record IpSummary(IpAddress ip, Verdict.Kind verdict, ThreatLevel level, List<CategoryVerdict> categories,
                        long hits, Instant firstSeen, Instant lastSeen) {
    public IpSummary {
        categories = List.copyOf(categories);
    }
}
