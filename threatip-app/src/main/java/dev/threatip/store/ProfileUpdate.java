package dev.threatip.store;

import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * New aggregates for one IP, merged into its stored profile by {@link EventStore#upsertProfiles}:
 * the verdict replaces the stored one, hits are added, first/last seen widen the stored span, and
 * a non-null geo or ASN replaces the stored one field by field (a null field, or a null geo/ASN,
 * keeps what is stored).
 *
 * @param ip        the address
 * @param verdict   its current verdict
 * @param hits      requests seen since the last update, not negative
 * @param firstSeen event time of the earliest of them
 * @param lastSeen  event time of the latest of them
 * @param geo       where the address is, or null when unknown (keeps the stored geo)
 * @param asn       its autonomous system, or null when unknown (keeps the stored ASN)
 */
public record ProfileUpdate(IpAddress ip, Verdict verdict, long hits, Instant firstSeen, Instant lastSeen,
                            Geo geo, Asn asn) {
    public ProfileUpdate {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (hits < 0) {
            throw new IllegalArgumentException("hits must not be negative: " + hits);
        }
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
    }

    /** An update without geo or ASN: the stored ones are kept. */
    public ProfileUpdate(IpAddress ip, Verdict verdict, long hits, Instant firstSeen, Instant lastSeen) {
        this(ip, verdict, hits, firstSeen, lastSeen, null, null);
    }
}
