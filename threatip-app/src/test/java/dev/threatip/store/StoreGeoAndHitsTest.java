package dev.threatip.store;

import static dev.threatip.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.detect.Detection;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema version 2: geo/ASN on profiles, by-country stats, IP ordering and the hits query. */
class StoreGeoAndHitsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC);
    private static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    private static final IpAddress BRUTE = IpAddress.parse("192.0.2.10");
    private static final IpAddress TOR = IpAddress.parse("2001:db8::5");
    private static final Geo AMSTERDAM = new Geo("NL", "Amsterdam", 52.37, 4.89);
    private static final Asn HOSTER = new Asn(64_500L, "Example Hosting B.V.");

    @TempDir
    Path dir;

    @Test
    void open_version1File_migratesKeepingRowsWithNullGeo() throws Exception {
        Path file = dir.resolve(EventStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TIMESTAMP NOT NULL)");
            st.execute(Schema.MIGRATIONS.get(0));
            st.execute("INSERT INTO schema_version VALUES (1, now()::TIMESTAMP)");
            st.execute("INSERT INTO ip_profiles VALUES ('192.0.2.10', 0, 0, 'malicious', 'medium', 2, ',brute_force:moderate,', "
                    + "'[{\"category\":\"brute_force\",\"confidence\":\"moderate\",\"source\":\"behavior\",\"rules\":[\"login-fail\"],"
                    + "\"feeds\":[]}]', 5, TIMESTAMP '2026-11-01 00:10:00', TIMESTAMP '2026-11-01 00:10:04', now()::TIMESTAMP)");
            st.execute("INSERT INTO detections VALUES (TIMESTAMP '2026-11-01 00:11:00', '192.0.2.10', 0, 0, 'login-fail', "
                    + "'brute_force', 'moderate', '192.0.2.10', 5, 60, NULL, NULL)");
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(Schema.currentVersion(), store.schemaVersion(), "migrated to this build's version");
            IpSummary s = store.ips(IpFilter.all(10)).items().get(0);
            assertEquals(BRUTE, s.ip());
            assertNull(s.geo());
            assertNull(s.asn());
            Hit h = store.hits(HitFilter.window(T0, T0.plus(Duration.ofDays(1)), 10)).page().items().get(0);
            assertEquals("login-fail", h.rule());
            assertNull(h.action());
            assertEquals(Instant.parse("2026-11-01T00:11:00Z"), h.ts());
        }
    }

    @Test
    void upsertProfiles_withGeo_storesItAndNullGeoLaterKeepsIt() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            Verdict v = StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "probing-4xx");
            store.upsertProfile(new ProfileUpdate(SCANNER, v, 3, T0, T0, AMSTERDAM, HOSTER));
            store.upsertProfile(new ProfileUpdate(SCANNER, v, 2, T0, T0.plusSeconds(5)));
            IpSummary s = store.ips(IpFilter.all(10)).items().get(0);
            assertEquals(AMSTERDAM, s.geo());
            assertEquals("NL", s.country());
            assertEquals(HOSTER, s.asn());
            assertEquals(5, s.hits());
            assertEquals(AMSTERDAM, store.profile(SCANNER).orElseThrow().summary().geo());

            Geo moved = new Geo("DE", "Frankfurt am Main", 50.11, 8.68);
            store.upsertProfile(new ProfileUpdate(SCANNER, v, 1, T0, T0, moved, null));
            IpSummary after = store.ips(IpFilter.all(10)).items().get(0);
            assertEquals(moved, after.geo());
            assertEquals(HOSTER, after.asn());
        }
    }

    @Test
    void stats_flaggedIpsByCountry_countsUnknownSeparately() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);
            Stats s = store.stats(T0, T0.plus(Duration.ofHours(1)));
            assertEquals(3, s.flaggedIps());
            assertEquals(Map.of("NL", 1L, "DE", 1L, Stats.UNKNOWN_COUNTRY, 1L), s.byCountry());
            assertEquals(Map.of(), store.stats(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2))).byCountry());
        }
    }

    @Test
    void ips_eachSortAndOrder_ordersAsAsked() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);
            assertEquals(List.of(SCANNER, BRUTE, TOR), ips(store, IpFilter.Sort.LEVEL, false));
            assertEquals(List.of(TOR, BRUTE, SCANNER), ips(store, IpFilter.Sort.LEVEL, true));
            assertEquals(List.of(SCANNER, BRUTE, TOR), ips(store, IpFilter.Sort.HITS, false));
            assertEquals(List.of(TOR, BRUTE, SCANNER), ips(store, IpFilter.Sort.HITS, true));
            assertEquals(List.of(TOR, BRUTE, SCANNER), ips(store, IpFilter.Sort.LAST_SEEN, false));
            assertEquals(List.of(BRUTE, SCANNER, TOR), ips(store, IpFilter.Sort.IP, true));
            assertEquals(List.of(TOR, SCANNER, BRUTE), ips(store, IpFilter.Sort.IP, false));
            IpSummary scanner = store.ips(IpFilter.all(1)).items().get(0);
            assertEquals("NL", scanner.country());
            assertEquals(HOSTER, scanner.asn());
        }
    }

    @Test
    void hits_detectionsAndIntel_trendAndLatestFirstPage() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);
            Hits all = store.hits(HitFilter.window(T0, T0.plus(Duration.ofHours(1)), 50));
            // two detections, and the listed address's 3 requests as one intel hit
            assertEquals(3, all.page().total());
            List<Hit> items = all.page().items();
            Hit intel = items.get(0);
            assertEquals(Hit.INTEL, intel.source());
            assertEquals(TOR, intel.ip());
            assertEquals(Category.NETWORK_PROXY, intel.category());
            assertEquals(Confidence.HIGH, intel.confidence());
            assertEquals(List.of("tor_exits", "firehol_anonymous"), intel.feeds());
            assertEquals(3, intel.count());
            assertNull(intel.rule());
            assertNull(intel.windowSeconds());
            assertEquals(T0.plus(Duration.ofMinutes(30)), intel.firstSeen());
            assertEquals(T0.plus(Duration.ofMinutes(30)).plusSeconds(2), intel.ts());
            assertEquals(TOR.toString(), intel.group());

            Hit login = items.get(1);
            assertEquals(Hit.BEHAVIOR, login.source());
            assertEquals("login-fail", login.rule());
            assertEquals(BRUTE, login.ip());
            assertEquals(5, login.count());
            assertEquals(60L, login.windowSeconds());
            assertEquals(List.of(), login.feeds());
            assertEquals("probing-4xx", items.get(2).rule());

            assertEquals(Duration.ofMinutes(1), all.bucket());
            assertEquals(60, all.trend().size());
            assertEquals(new HitTrendPoint(T0, 1, 1, 0, 0), all.trend().get(0));
            assertEquals(new HitTrendPoint(T0.plus(Duration.ofMinutes(30)), 3, 0, 3, 0), all.trend().get(30));
            assertEquals(1 + 1 + 3, all.trend().stream().mapToLong(HitTrendPoint::hits).sum());
        }
    }

    @Test
    void hits_filters_selectTheMatchingSourceOnly() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            seed(store);
            Instant to = T0.plus(Duration.ofHours(1));
            assertEquals(List.of("login-fail"), rules(store, new HitFilter(T0, to, "login-fail", null, null, null, null, 50, 0)));
            assertEquals(List.of("intel"), sources(store, new HitFilter(T0, to, null, Category.NETWORK_PROXY, null, null, null, 50, 0)));
            assertEquals(List.of("intel", "behavior"), sources(store, new HitFilter(T0, to, null, null, Confidence.HIGH, null, null, 50, 0)));
            assertEquals(List.of("behavior", "behavior"), sources(store, new HitFilter(T0, to, null, null, null, null, Hit.BEHAVIOR, 50, 0)));
            assertEquals(List.of("intel"), sources(store, new HitFilter(T0, to, null, null, null, null, Hit.INTEL, 50, 0)));
            // no stored hit has an action yet: the gateway records them
            Hits blocked = store.hits(new HitFilter(T0, to, null, null, null, "block", null, 50, 0));
            assertEquals(0, blocked.page().total());
            assertEquals(0, blocked.trend().stream().mapToLong(HitTrendPoint::hits).sum());
            Hits page = store.hits(new HitFilter(T0, to, null, null, null, null, null, 1, 1));
            assertEquals(3, page.page().total());
            assertEquals(List.of("login-fail"), page.page().items().stream().map(Hit::rule).toList());
            assertEquals(0, store.hits(HitFilter.window(T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)), 10)).page().total());
        }
    }

    @Test
    void hitFilter_badValues_refusedNamingThem() {
        Instant to = T0.plusSeconds(1);
        assertEquals("source must be one of [behavior, intel, gateway]: edge", assertThrows(IllegalArgumentException.class,
                () -> new HitFilter(T0, to, null, null, null, null, "edge", 10, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HitFilter.window(to, T0, 10))
                .getMessage().contains("must be after"));
    }

    private static List<IpAddress> ips(EventStore store, IpFilter.Sort sort, boolean ascending) {
        return store.ips(new IpFilter(null, null, null, null, 10, 0, sort, ascending)).items().stream()
                .map(IpSummary::ip).toList();
    }

    private static List<String> rules(EventStore store, HitFilter f) {
        return store.hits(f).page().items().stream().map(Hit::rule).toList();
    }

    private static List<String> sources(EventStore store, HitFilter f) {
        return store.hits(f).page().items().stream().map(Hit::source).toList();
    }

    /**
     * One hour from T0: a scanner in NL (20 probes in the first 20 s, scanner:high, detection
     * probing-4xx), a brute-forcer in DE (5 logins in minute 10, brute_force:moderate, detection
     * login-fail), and a Tor exit of unknown country listed by two feeds (3 requests in minute 30,
     * network_proxy:high from intel).
     */
    static void seed(EventStore store) {
        List<AccessEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(StoreFixtures.event(T0.plusSeconds(i), SCANNER, i % 2 == 0 ? "/.env" : "/wp-login.php", 404));
        }
        for (int i = 0; i < 5; i++) {
            events.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(10)).plusSeconds(i), BRUTE, "/login", 401));
        }
        for (int i = 0; i < 3; i++) {
            events.add(StoreFixtures.event(T0.plus(Duration.ofMinutes(30)).plusSeconds(i), TOR, "/", 200));
        }
        store.appendEvents(events, "access.log");
        Verdict tor = new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.LOW,
                List.of(new CategoryVerdict(Category.NETWORK_PROXY, Confidence.HIGH, CategoryVerdict.INTEL, List.of(),
                        List.of("tor_exits", "firehol_anonymous"))), List.of(), null, null, false, List.of());
        store.upsertProfiles(List.of(
                new ProfileUpdate(SCANNER, StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH,
                        "probing-4xx"), 20, T0, T0.plusSeconds(19), AMSTERDAM, HOSTER),
                new ProfileUpdate(BRUTE, StoreFixtures.malicious(ThreatLevel.MEDIUM, Category.BRUTE_FORCE,
                        Confidence.MODERATE, "login-fail"), 5, T0.plus(Duration.ofMinutes(10)),
                        T0.plus(Duration.ofMinutes(10)).plusSeconds(4), new Geo("DE", null, null, null), null),
                new ProfileUpdate(TOR, tor, 3, T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(30)).plusSeconds(2))));
        store.appendDetections(List.of(
                new Detection("probing-4xx", Category.SCANNER, Confidence.HIGH, SCANNER.toString(), SCANNER, 20,
                        Duration.ofMinutes(5), T0.toEpochMilli(), T0.plusSeconds(19).toEpochMilli(), List.of(), List.of()),
                new Detection("login-fail", Category.BRUTE_FORCE, Confidence.MODERATE, BRUTE.toString(), BRUTE, 5,
                        Duration.ofMinutes(1), T0.plus(Duration.ofMinutes(10)).toEpochMilli(),
                        T0.plus(Duration.ofMinutes(10)).plusSeconds(4).toEpochMilli(), List.of(), List.of())));
    }
}
