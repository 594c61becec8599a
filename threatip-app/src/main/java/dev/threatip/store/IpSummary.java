package dev.threatip.store;

import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
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
 * @param geo        where the address is as stored with the profile, or null when unknown
 * @param asn        its autonomous system as stored, or null when unknown
 */
public record IpSummary(IpAddress ip, Verdict.Kind verdict, ThreatLevel level, List<CategoryVerdict> categories,
                        long hits, Instant firstSeen, Instant lastSeen, Geo geo, Asn asn) {
    public IpSummary {
        categories = List.copyOf(categories);
    }

    /** A summary without geo or ASN. */
    public IpSummary(IpAddress ip, Verdict.Kind verdict, ThreatLevel level, List<CategoryVerdict> categories,
                     long hits, Instant firstSeen, Instant lastSeen) {
        this(ip, verdict, level, categories, hits, firstSeen, lastSeen, null, null);
    }

    /** The ISO 3166-1 alpha-2 country code, or null when unknown. */
    public String country() {
        return geo == null ? null : geo.country();
    }
}
