package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveReputationTest {
    @TempDir
    Path dir;

    private static final IpAddress LISTED_IN_A = IpAddress.parse("198.51.100.7");
    private static final IpAddress LISTED_IN_B = IpAddress.parse("198.51.100.8");

    private Path snapshot(String name, IpAddress listed) throws IOException {
        SnapshotBuilder b = new SnapshotBuilder();
        int f = b.addFeed(SnapshotFixtures.feed("tor-exit-nodes", FeedRole.THREAT, 1.0, Category.NETWORK_PROXY));
        b.add(f, new FeedEntry(Cidr.of(listed), Evidence.NONE, 1));
        Path p = dir.resolve(name);
        b.write(p, SnapshotFixtures.COMPILED, c -> new SnapshotManifest(SnapshotLayout.VERSION, SnapshotFixtures.COMPILED,
                c.ipv4Addresses(), c.ipv4Ranges(), c.ipv6Ranges(), c.listingSets(), List.of(), List.of()));
        return p;
    }

    private static ReputationIndex.OpenOptions options() {
        return ReputationIndex.OpenOptions.defaults().withClock(Clock.fixed(SnapshotFixtures.COMPILED, ZoneOffset.UTC));
    }

    @Test
    void refresh_validSnapshot_swapsIn() throws IOException {
        LiveReputation live = LiveReputation.open(snapshot("a.tis", LISTED_IN_A), options());
        assertTrue(live.lookup(LISTED_IN_A).isFlagged());
        assertTrue(live.refresh(snapshot("b.tis", LISTED_IN_B)).succeeded());
        assertFalse(live.lookup(LISTED_IN_A).isFlagged());
        assertTrue(live.lookup(LISTED_IN_B).isFlagged());
    }

    @Test
    void refresh_corruptOrMissingSnapshot_keepsLastGood() throws IOException {
        LiveReputation live = LiveReputation.open(snapshot("a.tis", LISTED_IN_A), options());
        ReputationIndex good = live.current();
        Path corrupt = dir.resolve("corrupt.tis");
        byte[] bytes = Files.readAllBytes(snapshot("b.tis", LISTED_IN_B));
        Files.write(corrupt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        LiveReputation.Refresh r = live.refresh(corrupt);
        assertFalse(r.succeeded());
        assertTrue(r.problem().contains("truncated"), r.problem());
        assertSame(good, live.current());
        assertTrue(live.lookup(LISTED_IN_A).isFlagged());
        assertFalse(live.refresh(dir.resolve("missing.tis")).succeeded());
        assertSame(good, live.current());
        assertEquals(dir.resolve("missing.tis"), live.lastRefresh().path());
    }

    @Test
    void refresh_whileLookupsRun_everyLookupSeesOneWholeSnapshot() throws Exception {
        Path a = snapshot("a.tis", LISTED_IN_A);
        Path b = snapshot("b.tis", LISTED_IN_B);
        LiveReputation live = LiveReputation.open(a, options());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                ReputationIndex index = live.current();
                // Within one snapshot exactly one of the two addresses is listed.
                if (index.lookup(LISTED_IN_A).isFlagged() == index.lookup(LISTED_IN_B).isFlagged()) {
                    torn.set("both or neither listed in " + index.path());
                }
                lookups.incrementAndGet();
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            assertTrue(live.refresh(i % 2 == 0 ? b : a).succeeded());
        }
        stop.set(true);
        reader.join(10_000);
        assertEquals(null, torn.get());
        assertTrue(lookups.get() > 0);
    }
}
