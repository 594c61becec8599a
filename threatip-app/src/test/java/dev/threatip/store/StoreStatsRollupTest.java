package dev.threatip.store;

import static dev.threatip.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minute rollups behind {@link EventStore#stats} must answer exactly what the event scan
 * ({@link EventStore#statsByEventScan}) answers, whatever happened to the store: windows off the
 * minute, IPs flagged after their requests were stored, profiles turned clean by a feed refresh,
 * retention, and a data dir upgraded from schema version 6.
 */
class StoreStatsRollupTest {
    /** Ingest time of lines without a time: inside the traffic, so they count in windows. */
    private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofMinutes(200)).plusMillis(123), ZoneOffset.UTC);
    private static final Duration TRAFFIC = Duration.ofHours(6);
    private static final int EVENTS = 24_000;
    private static final int BATCH = 800;
    private static final int CLIENTS = 300;

    @TempDir
    Path dir;

    @Test
    void stats_lateFlaggedAndRefreshedToClean_rollupsEqualEventScan() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            ingestWithProfileChanges(store);
            assertSameStatsEverywhere(store, "after ingest");
        }
    }

    @Test
    void stats_afterRetentionCutoffInsideAMinute_rollupsEqualEventScan() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            ingestWithProfileChanges(store);
            Instant cutoff = T0.plus(Duration.ofMinutes(95)).plusMillis(17_250);
            long deleted = store.deleteOlderThan(cutoff);
            assertTrue(deleted > 1000, "deleted " + deleted);
            assertSameStatsEverywhere(store, "after retention");
            // a client whose profile retention dropped (flagged at minute 60, not seen since) comes
            // back and is flagged again: its minutes are backfilled anew
            IpAddress early = client(0);
            assertTrue(store.profile(early).isEmpty() || store.profile(early).get().summary().verdict() == Verdict.Kind.CLEAN,
                    "retention dropped the profile of " + early);
            store.appendEvents(List.of(StoreFixtures.event(T0.plus(Duration.ofMinutes(300)).plusMillis(5), early, "/.git/HEAD", 404)),
                    "access.log");
            store.upsertProfiles(List.of(new ProfileUpdate(early, scanner(), 1, T0, T0.plus(Duration.ofMinutes(300)))));
            assertSameStatsEverywhere(store, "after re-flagging");
            // retention exactly on a minute
            store.deleteOlderThan(T0.plus(Duration.ofMinutes(180)));
            assertSameStatsEverywhere(store, "after retention on a minute");
        }
    }

    @Test
    void open_version6StoreWithData_fillsRollupsThatEqualEventScan_andKeepsThemAfterwards() throws Exception {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            ingestWithProfileChanges(store);
        }
        // back to exactly what a version-6 build left: no rollup tables, version 6
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(EventStore.FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE minute_requests");
            st.execute("DROP TABLE flagged_minutes");
            st.execute("DELETE FROM schema_version WHERE version > 6");
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(Schema.currentVersion(), store.schemaVersion());
            assertEquals(EVENTS + 10, rollupRequests(store), "every stored request is in a minute");
            assertSameStatsEverywhere(store, "after the upgrade");
            // the profiled set is loaded at open: new requests of profiled IPs count as flagged
            List<AccessEvent> more = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                more.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(330)).plusMillis(i * 997L), client(i % 40), "/after", 200));
            }
            store.appendEvents(more, "access.log");
            assertSameStatsEverywhere(store, "after the upgrade and more traffic");
        }
    }

    /**
     * Six hours of traffic from {@value #CLIENTS} clients (a few heavy, most light), roughly in
     * time order with some lines up to 40 s late, appended in batches; profiles change between
     * batches the way flushes and feed refreshes change them.
     */
    private static void ingestWithProfileChanges(EventStore store) {
        Random random = new Random(20261101);
        List<AccessEvent> events = new ArrayList<>(EVENTS);
        long stepMicros = TRAFFIC.toNanos() / 1000 / EVENTS;
        for (int i = 0; i < EVENTS; i++) {
            long jitter = random.nextInt(10) == 0 ? -random.nextInt(40_000_000) : random.nextInt(1_000_000);
            Instant t = T0.plusNanos(Math.max(0, i * stepMicros + jitter) * 1000);
            int c = (int) (Math.pow(random.nextDouble(), 3) * CLIENTS);
            String path = c < 40 && random.nextBoolean() ? "/wp-login.php" : "/products/" + random.nextInt(500);
            events.add(StoreFixtures.event(t, client(c), path, c < 40 ? 404 : 200));
        }
        for (int b = 0; b * BATCH < EVENTS; b++) {
            List<AccessEvent> batch = events.subList(b * BATCH, Math.min(EVENTS, (b + 1) * BATCH));
            store.appendEvents(batch, "access.log");
            Instant seen = batch.get(batch.size() - 1).time();
            if (b == 4) {
                // first flush that flags: 25 clients, each starting from its stored requests
                List<ProfileUpdate> first = new ArrayList<>();
                for (int c = 0; c < 25; c++) {
                    first.add(new ProfileUpdate(client(c), c % 3 == 0 ? StoreFixtures.suspicious(Category.NETWORK_ATTACK)
                            : scanner(), 1, T0, seen));
                }
                store.upsertProfiles(first);
            } else if (b == 16) {
                // later flags (late-flagged IPs, a repeat in one call) and a feed refresh clearing ten
                List<ProfileUpdate> later = new ArrayList<>();
                for (int c = 25; c < 45; c++) {
                    later.add(new ProfileUpdate(client(c), scanner(), 2, T0, seen));
                }
                later.add(new ProfileUpdate(client(30), scanner(), 1, T0, seen));
                for (int c = 5; c < 15; c++) {
                    later.add(new ProfileUpdate(client(c), Verdict.clean(), 1, T0, seen));
                }
                store.upsertProfiles(later);
            } else if (b == 24) {
                // three cleared ones flagged again; a clean profile for a never-flagged client
                store.upsertProfiles(List.of(new ProfileUpdate(client(5), scanner(), 1, T0, seen),
                        new ProfileUpdate(client(6), scanner(), 1, T0, seen),
                        new ProfileUpdate(client(7), scanner(), 1, T0, seen),
                        new ProfileUpdate(client(200), Verdict.clean(), 1, T0, seen)));
            }
        }
        // lines without a time: stored at the store clock's now
        List<AccessEvent> untimed = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            untimed.add(new AccessEvent(null, client(i * 7), "GET", null, "/", null, 200, 10, null, null, "no time " + i));
        }
        store.appendEvents(untimed, "stdin");
    }

    /** Windows on and off the minute, of every bucket width up to a day, inside and around the traffic. */
    private static void assertSameStatsEverywhere(EventStore store, String when) {
        List<Instant[]> windows = new ArrayList<>();
        windows.add(new Instant[] {T0, T0.plus(TRAFFIC)});
        windows.add(new Instant[] {T0.minus(Duration.ofHours(3)), T0.plus(Duration.ofHours(21))});
        windows.add(new Instant[] {T0.plusMillis(1), T0.plus(Duration.ofDays(1)).plusMillis(1)});
        windows.add(new Instant[] {T0.plus(Duration.ofMinutes(200)), T0.plus(Duration.ofMinutes(201))});
        windows.add(new Instant[] {T0.plus(Duration.ofMinutes(200)).plusMillis(123), T0.plus(Duration.ofMinutes(200)).plusMillis(124)});
        Random random = new Random(7);
        List<Duration> spans = List.of(Duration.ofSeconds(30), Duration.ofSeconds(61), Duration.ofMinutes(5),
                Duration.ofMinutes(90), Duration.ofMinutes(119), Duration.ofHours(2), Duration.ofMinutes(211),
                Duration.ofHours(6), Duration.ofHours(10), Duration.ofHours(24), Duration.ofDays(2));
        for (Duration span : spans) {
            for (int k = 0; k < 3; k++) {
                Instant from = T0.minus(Duration.ofMinutes(20)).plus(Duration.ofMinutes(random.nextInt(400)));
                if (k > 0) {
                    from = from.plusNanos(random.nextInt(60_000_000) * 1000L); // off the minute, µs precision
                }
                Instant to = from.plus(span);
                if (k == 2) {
                    to = to.plusNanos(random.nextInt(60_000_000) * 1000L);
                }
                windows.add(new Instant[] {from, to});
            }
        }
        for (Instant[] w : windows) {
            Stats expected = store.statsByEventScan(w[0], w[1]);
            assertEquals(expected, store.stats(w[0], w[1]), when + ": window " + w[0] + " .. " + w[1]);
        }
        Stats whole = store.stats(T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(9)));
        assertTrue(whole.flaggedRequests() > 0 && whole.flaggedRequests() < whole.requests(), when + ": " + whole);
    }

    private static long rollupRequests(EventStore store) {
        return store.read("sum the minute rollups", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sum(n) FROM minute_requests")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static IpAddress client(int i) {
        return i % 5 == 4 || i >= 200 ? IpAddress.parse("2001:db8::" + Integer.toHexString(i + 1))
                : IpAddress.parse((i % 2 == 0 ? "198.51.100." : "203.0.113.") + (i + 1));
    }

    private static Verdict scanner() {
        return StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "probing-4xx");
    }
}
