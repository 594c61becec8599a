package dev.threatip.intel;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The snapshot's table of contents: when it was compiled, what it holds, and each feed's report.
 *
 * @param formatVersion  the file format version
 * @param compiledAt     when it was compiled
 * @param ipv4Addresses  distinct single IPv4 addresses
 * @param ipv4Ranges     disjoint IPv4 ranges left after merging networks
 * @param ipv6Ranges     disjoint IPv6 ranges (single IPv6 addresses included)
 * @param listingSets    distinct listing sets (the shared attribute table's size)
 * @param allowedSpecial special-purpose address classes the operator allowed into the snapshot
 * @param feeds          one report per feed, in compile order
 */
public record SnapshotManifest(int formatVersion, Instant compiledAt, long ipv4Addresses, long ipv4Ranges,
                               long ipv6Ranges, long listingSets, List<String> allowedSpecial,
                               List<FeedReport> feeds) {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SnapshotManifest {
        allowedSpecial = List.copyOf(allowedSpecial);
        feeds = List.copyOf(feeds);
    }

    byte[] toJson() throws IOException {
        return JSON.writeValueAsBytes(this);
    }

    static SnapshotManifest fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, SnapshotManifest.class);
    }
}
