package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The index against a naive oracle: a linear scan over every feed entry, most specific per feed. */
class ReputationIndexPropertyTest {
    private static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");

    @TempDir
    Path dir;

    private record Entry(int feed, Cidr cidr, Evidence evidence) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void lookup_randomRangesAndAddresses_matchesLinearScan(long seed) throws IOException {
        Random rnd = new Random(seed);
        List<CompiledFeed> feeds = new ArrayList<>();
        Category[] cats = Category.values();
        for (int f = 0; f < 6; f++) {
            FeedRole role = f == 5 ? FeedRole.DOWNGRADE : FeedRole.THREAT;
            feeds.add(new CompiledFeed("feed" + f, "feed" + f, "mem:" + f, FeedFormat.PLAIN, role, 0.2 + 0.15 * f,
                    Set.of(cats[f % cats.length]), null, null, NOW.minusSeconds(86400L * 10 * f), null));
        }
        Evidence[] evidences = {Evidence.NONE, Evidence.ofListCount(3), Evidence.ofListCount(7),
                new Evidence(Set.of(Category.SCANNER), 80, 0, null, NOW.minusSeconds(3600), null, List.of("zgrab"))};
        // Addresses cluster in a few /8s so networks and singles overlap a lot.
        int[] hubs = {0x0B000000, 0x2D000000, 0x59000000, 0xC6000000};
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            int feed = rnd.nextInt(feeds.size());
            Evidence ev = evidences[rnd.nextInt(evidences.length)];
            if (rnd.nextInt(10) < 3) {
                IpAddress base = new IpAddress(0x20010DB800000000L | rnd.nextInt(4), rnd.nextLong() & 0xFFFFL);
                entries.add(new Entry(feed, new Cidr(base, 64 + rnd.nextInt(65)), ev));
            } else {
                int address = hubs[rnd.nextInt(hubs.length)] | (rnd.nextInt() & 0x0003FFFF);
                int prefix = rnd.nextInt(3) == 0 ? 14 + rnd.nextInt(18) : 32;
                entries.add(new Entry(feed, new Cidr(IpAddress.ofIpv4(address), prefix), ev));
            }
        }
        SnapshotBuilder b = new SnapshotBuilder();
        for (CompiledFeed f : feeds) {
            b.addFeed(f);
        }
        // Entries arrive feed by feed, as the compiler adds them.
        for (int f = 0; f < feeds.size(); f++) {
            long line = 1;
            for (Entry e : entries) {
                if (e.feed == f) {
                    b.add(f, new FeedEntry(e.cidr, e.evidence, line++));
                }
            }
        }
        Path file = dir.resolve("p.tis");
        b.write(file, NOW, c -> new SnapshotManifest(1, NOW, c.ipv4Addresses(), c.ipv4Ranges(), c.ipv6Ranges(),
                c.listingSets(), List.of(), List.of()));
        ReputationIndex index = ReputationIndex.open(file,
                ReputationIndex.OpenOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        ConfidenceModel model = ConfidenceModel.defaults();

        List<IpAddress> probes = new ArrayList<>();
        for (Entry e : entries) {
            probes.add(e.cidr.network());
            probes.add(e.cidr.last());
        }
        for (int i = 0; i < 20000; i++) {
            probes.add(rnd.nextBoolean()
                    ? IpAddress.ofIpv4(hubs[rnd.nextInt(hubs.length)] | (rnd.nextInt() & 0x0007FFFF))
                    : new IpAddress(0x20010DB800000000L | rnd.nextInt(5), rnd.nextLong() & 0x1FFFFL));
        }
        int matched = 0;
        int networkMatches = 0;
        for (IpAddress probe : probes) {
            Set<Listing> expected = naive(entries, feeds, probe);
            matched += expected.isEmpty() ? 0 : 1;
            IntelMatch match = index.explain(probe);
            Set<Listing> actual = new HashSet<>();
            match.listings().forEach(w -> actual.add(w.listing()));
            assertEquals(expected, actual, "listings of " + probe);
            Verdict want = model.assess(new ArrayList<>(expected), NOW);
            Verdict got = index.lookup(probe);
            assertEquals(want.kind(), got.kind(), "verdict of " + probe);
            assertEquals(want.level(), got.level(), "level of " + probe);
            assertEquals(confidences(want), confidences(got), "categories of " + probe);
            if (match.matched() != null && !match.matched().isSingleAddress()) {
                networkMatches++;
            }
        }
        // The oracle must have had real work: many hits, through networks as well as singles.
        assertTrue(matched > probes.size() / 4, "matched " + matched + " of " + probes.size());
        assertTrue(networkMatches > 1000, "network matches " + networkMatches);
    }

    private static Set<Listing> naive(List<Entry> entries, List<CompiledFeed> feeds, IpAddress probe) {
        Set<Listing> out = new HashSet<>();
        for (int f = 0; f < feeds.size(); f++) {
            int bestPrefix = -1;
            List<Evidence> best = new ArrayList<>();
            for (Entry e : entries) {
                if (e.feed != f || !e.cidr.contains(probe)) {
                    continue;
                }
                if (e.cidr.prefix() > bestPrefix) {
                    bestPrefix = e.cidr.prefix();
                    best.clear();
                }
                if (e.cidr.prefix() == bestPrefix) {
                    best.add(e.evidence);
                }
            }
            if (bestPrefix == 32 && probe.isIpv4()) {
                for (Evidence ev : best) {
                    out.add(new Listing(feeds.get(f), ev));
                }
            } else if (!best.isEmpty()) {
                // For networks one entry stands for the feed: of equal networks, the last one read.
                out.add(new Listing(feeds.get(f), best.get(best.size() - 1)));
            }
        }
        return out;
    }

    private static Map<Category, Confidence> confidences(Verdict v) {
        Map<Category, Confidence> m = new EnumMap<>(Category.class);
        v.categories().forEach(c -> m.put(c.category(), c.confidence()));
        return m;
    }
}
