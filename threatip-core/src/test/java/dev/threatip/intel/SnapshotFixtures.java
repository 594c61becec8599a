package dev.threatip.intel;

import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Small real snapshots for tests, built with the same builder the compiler uses. */
final class SnapshotFixtures {
    static final Instant COMPILED = Instant.parse("2026-11-20T00:00:00Z");

    private SnapshotFixtures() {
    }

    static CompiledFeed feed(String name, FeedRole role, double reliability, Category... categories) {
        return new CompiledFeed(name, name, "test:" + name, FeedFormat.PLAIN, role, reliability, Set.of(categories), null,
                null, COMPILED.minusSeconds(3600), COMPILED);
    }

    /** A snapshot with a scanner feed, a brute-force feed with a network, and an IPv6 entry. */
    static Path small(Path dir) throws IOException {
        SnapshotBuilder b = new SnapshotBuilder();
        int scan = b.addFeed(feed("dshield", FeedRole.THREAT, 0.6, Category.SCANNER));
        int brute = b.addFeed(feed("blocklist_de_ssh", FeedRole.THREAT, 0.8, Category.BRUTE_FORCE));
        for (int i = 0; i < 300; i++) {
            b.add(scan, new FeedEntry(Cidr.parse("198.51.100." + (i % 250)), Evidence.ofListCount(1 + i % 5), i + 1));
        }
        b.add(brute, new FeedEntry(Cidr.parse("203.0.113.0/24"), Evidence.NONE, 1));
        b.add(brute, new FeedEntry(Cidr.parse("198.51.100.7"), Evidence.NONE, 2));
        b.add(brute, new FeedEntry(Cidr.parse("2001:db8::/48"), Evidence.NONE, 3));
        Path file = dir.resolve("small.tis");
        b.write(file, COMPILED, c -> new SnapshotManifest(1, COMPILED, c.ipv4Addresses(), c.ipv4Ranges(),
                c.ipv6Ranges(), c.listingSets(), List.of(), List.of()));
        return file;
    }
}
