package dev.threatip.store;

import static dev.threatip.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.detect.Detection;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC);
    private static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    private static final IpAddress BRUTE = IpAddress.parse("192.0.2.10");
    private static final IpAddress LISTED = IpAddress.parse("2001:db8::5");
    private static final IpAddress BENIGN = IpAddress.parse("198.51.100.20");

    @TempDir
    Path dir;

    @Test
    void open_emptyDir_createsFileAtCurrentSchemaVersion() {
        try (EventStore store = EventStore.open(dir.resolve("data"), CLOCK)) {
            assertEquals(dir.resolve("data").resolve("threatip.duckdb"), store.file());
            assertEquals(Schema.currentVersion(), store.schemaVersion());
            assertEquals(0, store.countEvents());
        }
    }

    @Test
    void open_twice_isIdempotentAndKeepsOneVersionRow() throws Exception {
        EventStore.open(dir, CLOCK).close();
        EventStore.open(dir, CLOCK).close();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(EventStore.FILE_NAME));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), max(version) FROM schema_version")) {
            rs.next();
            assertEquals(Schema.currentVersion(), rs.getInt(1));
            assertEquals(Schema.currentVersion(), rs.getInt(2));
        }
    }

    @Test
    void open_newerSchemaVersion_refusesNamingBothVersions() throws Exception {
        EventStore.open(dir, CLOCK).close();
        int newer = Schema.currentVersion() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve(EventStore.FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO schema_version VALUES (" + newer + ", now()::TIMESTAMP)");
        }
        StoreException e = assertThrows(StoreException.class, () -> EventStore.open(dir, CLOCK));
        assertTrue(e.getMessage().contains("schema version " + newer + " is newer than this build knows ("
                + Schema.currentVersion() + ")"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve(EventStore.FILE_NAME).toString()), e.getMessage());
        EventStore.open(dir.resolve("other"), CLOCK).close(); // the refused file's connection was released
    }

    @Test
    void appendEvents_100kInBatches_countsAllAndSurvivesReopen() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            for (int b = 0; b < 100; b++) {
                store.appendEvents(StoreFixtures.events(b * 1000L, 1000), "access.log");
            }
            assertEquals(100_000, store.countEvents());
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(100_000, store.countEvents());
            Page<StoredEvent> logs = store.logs(IpAddress.parse("198.51.100.0"), 2, 0);
            assertEquals(391, logs.total()); // 100000 / 256, rounded up for the first 160 addresses
            assertEquals(T0.plusSeconds(99_840), logs.items().get(0).event().time());
        }
    }

    @Test
    void appendEvents_processKilledAfterAck_losesNothingAcknowledged() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(),
                dir.toString(), "20", "500")
                .redirectErrorStream(true).start();
        long acked = 0;
        List<String> output = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("acked ")) {
                    acked = Long.parseLong(line.substring(6));
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(10_000, acked, String.join("\n", output));
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(acked, store.countEvents());
        }
    }

    @Test
    void appendEvents_batchWithBadEvent_storesNoneOfIt() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            List<AccessEvent> batch = new ArrayList<>(StoreFixtures.events(0, 10));
            batch.add(new AccessEvent(T0, null, "GET", null, "/", null, 200, 1, null, null, "no client"));
            assertThrows(NullPointerException.class, () -> store.appendEvents(batch, "access.log"));
            assertEquals(0, store.countEvents());
            store.appendEvents(StoreFixtures.events(0, 10), "access.log");
            assertEquals(10, store.countEvents());
        }
    }

    @Test
    void appendEvents_withoutTimeOrOptionalFields_storesIngestTimeAndNulls() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            store.appendEvents(List.of(new AccessEvent(null, LISTED, null, null, null, null, -1, -1, null, null, "x")),
                    "stdin", new long[] {7});
            StoredEvent e = store.logs(LISTED, 10, 0).items().get(0);
            assertEquals(CLOCK.instant(), e.event().time());
            assertEquals(-1, e.event().status());
            assertEquals(-1, e.event().bytes());
            assertNull(e.event().path());
            assertEquals("stdin", e.source());
            assertEquals(7, e.line());
            assertEquals(LISTED, e.event().client());
        }
    }

    @Test
    void queries_smallDataset_answerStatsIpsProfileAndLogs() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);

            Stats s = store.stats(T0, T0.plus(Duration.ofHours(1)));
            assertEquals(60 + 20 + 5 + 3, s.requests());
            assertEquals(20 + 5 + 3, s.flaggedRequests());
            assertEquals(3, s.flaggedIps());
            assertEquals(Map.of("scanner", 1L, "brute_force", 1L, "network_attack", 1L), s.byCategory());
            assertEquals(Map.of("high", 1L, "moderate", 1L, "general", 1L), s.byConfidence());
            assertEquals(Map.of("high", 1L, "medium", 1L, "low", 1L), s.byLevel());
            assertEquals(Duration.ofMinutes(1), s.bucket());
            assertEquals(60, s.trend().size());
            assertEquals(s.requests(), s.trend().stream().mapToLong(TrendPoint::requests).sum());
            assertEquals(s.flaggedRequests(), s.trend().stream().mapToLong(TrendPoint::flaggedRequests).sum());
            assertEquals(new TrendPoint(T0, 1 + 20, 20), s.trend().get(0));

            Stats later = store.stats(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)));
            assertEquals(0, later.requests());
            assertEquals(Duration.ofMinutes(15), later.bucket());

            Page<IpSummary> all = store.ips(IpFilter.all(10));
            assertEquals(3, all.total());
            assertEquals(List.of(SCANNER, BRUTE, LISTED), all.items().stream().map(IpSummary::ip).toList());
            IpSummary top = all.items().get(0);
            assertEquals(Verdict.Kind.MALICIOUS, top.verdict());
            assertEquals(ThreatLevel.HIGH, top.level());
            assertEquals(List.of("probing-4xx"), top.categories().get(0).rules());
            assertEquals(20, top.hits());

            assertEquals(List.of(BRUTE), ips(store, new IpFilter(Category.BRUTE_FORCE, null, null, null, 10, 0)));
            assertEquals(List.of(SCANNER), ips(store, new IpFilter(null, Confidence.HIGH, null, null, 10, 0)));
            assertEquals(List.of(), ips(store, new IpFilter(Category.SCANNER, Confidence.GENERAL, null, null, 10, 0)));
            assertEquals(List.of(LISTED), ips(store, new IpFilter(null, null, ThreatLevel.LOW, null, 10, 0)));
            assertEquals(List.of(SCANNER), ips(store, new IpFilter(null, null, null, "203.0.113.", 10, 0)));
            assertEquals(List.of(LISTED), ips(store, new IpFilter(null, null, null, "2001:DB8:", 10, 0)));
            Page<IpSummary> second = store.ips(new IpFilter(null, null, null, null, 1, 1));
            assertEquals(3, second.total());
            assertEquals(List.of(BRUTE), second.items().stream().map(IpSummary::ip).toList());

            IpProfile p = store.profile(SCANNER).orElseThrow();
            assertEquals(20, p.events());
            assertEquals("/.env", p.topPaths().get(0).path());
            assertEquals(10, p.topPaths().get(0).count());
            assertEquals(Map.of(404, 20L), p.statuses());
            assertEquals(List.of("curl/8.0"), p.userAgents());
            assertEquals(5, p.samples().size());
            assertTrue(p.samples().get(0).contains(T0.plusSeconds(19).toString()), p.samples().get(0));

            IpProfile benign = store.profile(BENIGN).orElseThrow();
            assertEquals(Verdict.Kind.CLEAN, benign.summary().verdict());
            assertEquals(60, benign.summary().hits());
            assertFalse(store.profile(IpAddress.parse("192.0.2.200")).isPresent());

            Page<StoredEvent> logs = store.logs(SCANNER, 3, 18);
            assertEquals(20, logs.total());
            assertEquals(2, logs.items().size());
            assertEquals(T0.plusSeconds(1), logs.items().get(0).event().time());
            assertEquals("access.log", logs.items().get(0).source());
        }
    }

    @Test
    void upsertProfile_again_replacesVerdictAddsHitsAndWidensSpan() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            store.upsertProfile(new ProfileUpdate(BRUTE, StoreFixtures.suspicious(Category.BRUTE_FORCE), 3,
                    T0.plusSeconds(10), T0.plusSeconds(20)));
            store.upsertProfile(new ProfileUpdate(BRUTE, StoreFixtures.malicious(ThreatLevel.MEDIUM, Category.BRUTE_FORCE,
                    Confidence.MODERATE, "ssh-fail"), 4, T0, T0.plusSeconds(15)));
            IpSummary s = store.ips(IpFilter.all(10)).items().get(0);
            assertEquals(Verdict.Kind.MALICIOUS, s.verdict());
            assertEquals(ThreatLevel.MEDIUM, s.level());
            assertEquals(7, s.hits());
            assertEquals(T0, s.firstSeen());
            assertEquals(T0.plusSeconds(20), s.lastSeen());
        }
    }

    @Test
    void upsertProfiles_sameIpTwiceInOneCall_mergesBothInListOrder() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            store.upsertProfiles(List.of(
                    new ProfileUpdate(BRUTE, StoreFixtures.suspicious(Category.BRUTE_FORCE), 3, T0.plusSeconds(10),
                            T0.plusSeconds(20)),
                    new ProfileUpdate(SCANNER, StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH,
                            "probing-4xx"), 20, T0, T0.plusSeconds(19)),
                    new ProfileUpdate(BRUTE, StoreFixtures.malicious(ThreatLevel.MEDIUM, Category.BRUTE_FORCE,
                            Confidence.MODERATE, "ssh-fail"), 4, T0, T0.plusSeconds(15))));
            IpSummary brute = store.ips(new IpFilter(null, null, null, "192.0.2.10", 10, 0)).items().get(0);
            assertEquals(Verdict.Kind.MALICIOUS, brute.verdict());
            assertEquals(ThreatLevel.MEDIUM, brute.level());
            assertEquals(7, brute.hits());
            assertEquals(T0, brute.firstSeen());
            assertEquals(T0.plusSeconds(20), brute.lastSeen());
            assertEquals(2, store.ips(IpFilter.all(10)).total());
        }
    }

    @Test
    void upsertProfiles_flushOfThousandsOfIps_storesEveryOneAndAddsToExisting() {
        List<ProfileUpdate> first = new ArrayList<>();
        List<ProfileUpdate> second = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // 198.18.0.0/15 (benchmarking space): 5,000 distinct addresses
            IpAddress ip = IpAddress.parse("198.18." + (i >> 8) + "." + (i & 0xff));
            Verdict v = StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "probing-4xx");
            first.add(new ProfileUpdate(ip, v, 2, T0, T0.plusSeconds(1)));
            if (i % 2 == 0) {
                second.add(new ProfileUpdate(ip, v, 3, T0.plusSeconds(5), T0.plusSeconds(9)));
            }
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            store.upsertProfiles(first);
            store.upsertProfiles(second);
            assertEquals(5000, store.ips(IpFilter.all(10)).total());
            IpSummary grown = store.ips(new IpFilter(null, null, null, "198.18.19.134", 10, 0)).items().get(0);
            assertEquals(5, grown.hits()); // 19 * 256 + 134 = 4998, even: in both calls
            assertEquals(T0, grown.firstSeen());
            assertEquals(T0.plusSeconds(9), grown.lastSeen());
            IpSummary once = store.ips(new IpFilter(null, null, null, "198.18.19.135", 10, 0)).items().get(0);
            assertEquals(2, once.hits());
        }
    }

    @Test
    void appendDetections_survivesReopen() {
        Detection d = new Detection("probing-4xx", Category.SCANNER, Confidence.HIGH, SCANNER.toString(), SCANNER, 20,
                Duration.ofMinutes(5), T0.toEpochMilli(), T0.plusSeconds(19).toEpochMilli(), List.of(), List.of(1L));
        Detection site = new Detection("site-flood", Category.NETWORK_ATTACK, Confidence.MODERATE, "example.com", null, 900,
                Duration.ofMinutes(1), -1, -1, List.of(), List.of());
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            store.appendDetections(List.of(d, site));
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(2, store.countDetections());
        }
    }

    @Test
    void deleteOlderThan_removesOldEventsDetectionsAndProfiles() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);
            store.appendEvents(List.of(StoreFixtures.event(T0.plus(Duration.ofDays(8)), BENIGN, "/", 200)), "access.log");
            long deleted = store.deleteOlderThan(T0.plus(Duration.ofDays(1)));
            assertEquals(88, deleted);
            assertEquals(1, store.countEvents());
            assertEquals(0, store.ips(IpFilter.all(10)).total());
            assertEquals(0, store.logs(SCANNER, 10, 0).total());
        }
    }

    @Test
    void reads_whileAppending_seeOnlyWholeCommittedBatches() throws Exception {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            int batches = 40;
            int size = 2_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int b = 0; b < batches; b++) {
                        store.appendEvents(StoreFixtures.events((long) b * size, size), "access.log");
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            writer.start();
            long last = 0;
            int reads = 0;
            while (writer.isAlive() || reads == 0) {
                long n = store.countEvents();
                assertEquals(0, n % size, "a read saw part of a batch: " + n);
                assertTrue(n >= last, "count went back from " + last + " to " + n);
                Stats s = store.stats(T0, T0.plus(Duration.ofDays(1)));
                assertTrue(s.requests() >= n);
                last = n;
                reads++;
            }
            writer.join();
            assertNull(failure.get());
            assertEquals((long) batches * size, store.countEvents());
            assertTrue(reads > 1, "reads: " + reads);
        }
    }

    @Test
    void close_thenWrite_refusesClearly() {
        EventStore store = EventStore.open(dir, CLOCK);
        store.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.appendEvents(StoreFixtures.events(0, 1), "x"));
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    }

    @Test
    void ipFilter_badPage_refusedWithRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpFilter.all(0));
        assertEquals("limit must be 1 to 1000: 0", e.getMessage());
    }

    private static List<IpAddress> ips(EventStore store, IpFilter f) {
        return store.ips(f).items().stream().map(IpSummary::ip).toList();
    }

    /**
     * One hour from T0: a benign visitor once a minute (no profile); a scanner, 20 probes in the
     * first 20 s (high, scanner:high); a brute-forcer, 5 logins in minute 10 (medium,
     * brute_force:moderate); a listed IPv6 address, 3 requests in minute 30 (low,
     * network_attack:general).
     */
    private static void seed(EventStore store) {
        List<AccessEvent> events = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            events.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(m)), BENIGN, "/", 200));
        }
        for (int i = 0; i < 20; i++) {
            events.add(StoreFixtures.event(T0.plusSeconds(i), SCANNER, i % 2 == 0 ? "/.env" : "/wp-login.php?" + i, 404));
        }
        for (int i = 0; i < 5; i++) {
            events.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(10)).plusSeconds(i), BRUTE, "/login", 401));
        }
        for (int i = 0; i < 3; i++) {
            events.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(30)).plusSeconds(i), LISTED, "/", 200));
        }
        store.appendEvents(events.subList(0, 40), "access.log");
        store.appendEvents(events.subList(40, events.size()), "access.log");
        store.upsertProfiles(List.of(
                new ProfileUpdate(SCANNER, StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH,
                        "probing-4xx"), 20, T0, T0.plusSeconds(19)),
                new ProfileUpdate(BRUTE, StoreFixtures.malicious(ThreatLevel.MEDIUM, Category.BRUTE_FORCE,
                        Confidence.MODERATE, "login-fail"), 5, T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(10))),
                new ProfileUpdate(LISTED, StoreFixtures.suspicious(Category.NETWORK_ATTACK), 3,
                        T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(30)))));
    }
}
