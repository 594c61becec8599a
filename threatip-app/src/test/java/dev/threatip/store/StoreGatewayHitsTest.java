package dev.threatip.store;

import static dev.threatip.store.StoreFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

/** Schema step 6: the gate's decisions stored with their events, listed as hits, counted on profiles and the overview. */
class StoreGatewayHitsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC);
    private static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    private static final IpAddress BOT = IpAddress.parse("198.51.100.9");
    private static final String HITS_LOG = "/var/log/threatip/gate-hits.log";

    @TempDir
    Path dir;

    /** The gate's hit-log line for a decision, as its event; and the decision. */
    record Line(AccessEvent event, GatewayHit hit) {
    }

    static Line line(Instant t, IpAddress ip, String path, int status, String rule, Category c, Confidence f, Action a,
                     boolean enforced, String id) {
        String raw = "{\"time\":\"" + t + "\",\"client_ip\":\"" + ip + "\",\"method\":\"GET\",\"host\":\"shop.example\","
                + "\"path\":\"" + path + "\",\"status\":" + status + ",\"rule\":\"" + rule + "\",\"action\":\"" + a.wireName()
                + "\",\"enforced\":" + enforced + ",\"request_id\":\"" + id + "\"}";
        return new Line(new AccessEvent(t, ip, "GET", "shop.example", path, null, status, -1, "zgrab/0.x", null, raw),
                new GatewayHit(t, ip, rule, c, f, a, enforced, id, status, "GET", "shop.example", path));
    }

    static List<Line> gateTraffic() {
        List<Line> out = new ArrayList<>();
        out.add(line(T0.plusSeconds(10), SCANNER, "/.env", 403, "reputation", Category.SCANNER, Confidence.HIGH, Action.BLOCK,
                true, "4c1f0a9e2b7d3e61"));
        out.add(line(T0.plusSeconds(20), SCANNER, "/.git/config", 403, "reputation", Category.SCANNER, Confidence.HIGH,
                Action.BLOCK, true, "4c1f0a9e2b7d3e62"));
        out.add(line(T0.plusSeconds(30), BOT, "/login", 403, "no-scripts", null, null, Action.JS_CHALLENGE, true,
                "00000000000000a1"));
        out.add(line(T0.plusSeconds(40), SCANNER, "/wp-login.php", 200, "reputation", Category.SCANNER, Confidence.HIGH,
                Action.BLOCK, false, "4c1f0a9e2b7d3e63"));
        return out;
    }

    static void append(EventStore store, List<Line> lines) {
        List<AccessEvent> events = lines.stream().map(Line::event).toList();
        store.appendEvents(events, HITS_LOG, null, lines.stream().map(Line::hit).toList());
    }

    @Test
    void hits_gatewayHitsListedWithActionAndRequest_filtersAndTrendCountThem() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            append(store, gateTraffic());
            store.appendEvents(StoreFixtures.events(0, 5), "/var/log/nginx/access.log");
            assertEquals(9, store.countEvents(), "the gate's lines are events too");

            Hits all = store.hits(HitFilter.window(T0, T0.plus(Duration.ofHours(1)), 50));
            assertEquals(4, all.page().total());
            Hit latest = all.page().items().get(0);
            assertEquals(Hit.GATEWAY, latest.source());
            assertEquals("block", latest.action());
            assertFalse(latest.gateway().enforced());
            assertEquals("/wp-login.php", latest.gateway().path());
            assertEquals(200, latest.gateway().status());
            assertEquals("4c1f0a9e2b7d3e63", latest.gateway().requestId());
            assertEquals(SCANNER, latest.ip());
            assertEquals(1, latest.count());
            Hit challenged = all.page().items().get(1);
            assertEquals("no-scripts", challenged.rule());
            assertNull(challenged.category(), "a custom rule decides without a category");
            assertEquals(4, all.trend().stream().mapToLong(HitTrendPoint::gateway).sum());
            assertEquals(4, all.trend().stream().mapToLong(HitTrendPoint::hits).sum());

            HitFilter blocks = new HitFilter(T0, T0.plus(Duration.ofHours(1)), null, null, null, "block", null, 50, 0);
            assertEquals(3, store.hits(blocks).page().total());
            HitFilter byRule = new HitFilter(T0, T0.plus(Duration.ofHours(1)), "no-scripts", null, null, null, null, 50, 0);
            assertEquals(List.of("00000000000000a1"),
                    store.hits(byRule).page().items().stream().map(h -> h.gateway().requestId()).toList());
            HitFilter scannerHigh = new HitFilter(T0, T0.plus(Duration.ofHours(1)), null, Category.SCANNER, Confidence.HIGH,
                    null, Hit.GATEWAY, 50, 0);
            assertEquals(3, store.hits(scannerHigh).page().total());
            HitFilter behaviourOnly = new HitFilter(T0, T0.plus(Duration.ofHours(1)), null, null, null, null, Hit.BEHAVIOR, 50, 0);
            assertEquals(0, store.hits(behaviourOnly).page().total());
            assertThrows(IllegalArgumentException.class,
                    () -> new HitFilter(T0, T0.plusSeconds(1), null, null, null, null, "edge", 10, 0));
        }
    }

    @Test
    void profileAndStats_countTheGatesActions_andRetentionDeletesOldHits() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            append(store, gateTraffic());
            store.upsertProfile(new ProfileUpdate(SCANNER, StoreFixtures.malicious(ThreatLevel.HIGH, Category.SCANNER,
                    Confidence.HIGH, "probing-4xx"), 3, T0.plusSeconds(10), T0.plusSeconds(40)));

            GatewayActivity a = store.profile(SCANNER).orElseThrow().gateway();
            assertEquals(3, a.hits());
            assertEquals(Map.of("block", 3L), a.actions());
            assertEquals(1, a.notEnforced());
            assertEquals("4c1f0a9e2b7d3e63", a.last().requestId());
            assertFalse(a.last().enforced());
            assertEquals(Map.of("js_challenge", 1L), store.profile(BOT).orElseThrow().gateway().actions());
            assertEquals(GatewayActivity.NONE, store.profile(IpAddress.parse("192.0.2.200")).map(IpProfile::gateway)
                    .orElse(GatewayActivity.NONE));

            Stats s = store.stats(T0, T0.plus(Duration.ofHours(1)));
            assertEquals(Map.of("block", 3L, "js_challenge", 1L), s.byGatewayAction());
            assertEquals(Map.of("block", 1L), s.gatewayNotEnforced());
            assertEquals(Map.of(), store.stats(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))).byGatewayAction());

            store.deleteOlderThan(T0.plusSeconds(25));
            assertEquals(2, store.hits(HitFilter.window(T0, T0.plus(Duration.ofHours(1)), 50)).page().total());
        }
    }

    @Test
    void appendEvents_refusedBatch_storesNeitherEventsNorGatewayHits() {
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            List<Line> lines = gateTraffic();
            List<AccessEvent> events = new ArrayList<>(lines.stream().map(Line::event).toList());
            events.add(new AccessEvent(T0, null, "GET", null, "/", null, 200, 1, null, null, "no client"));
            assertThrows(RuntimeException.class,
                    () -> store.appendEvents(events, HITS_LOG, null, lines.stream().map(Line::hit).toList()));
            assertEquals(0, store.countEvents());
            assertEquals(0, store.hits(HitFilter.window(T0, T0.plus(Duration.ofHours(1)), 50)).page().total());
        }
    }

    @Test
    void open_version5File_upgradesKeepingItsRows_thenStoresGatewayHits() throws Exception {
        Path file = dir.resolve(EventStore.FILE_NAME);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TIMESTAMP NOT NULL)");
            for (int v = 0; v < 5; v++) {
                st.execute(Schema.MIGRATIONS.get(v));
                st.execute("INSERT INTO schema_version VALUES (" + (v + 1) + ", now()::TIMESTAMP)");
            }
            // what a version-5 serve had stored from a gate hit log: an event, the decision members ignored
            st.execute("INSERT INTO events VALUES (TIMESTAMP '2026-11-01 00:00:05', '203.0.113.7', 0, 0, 'GET', "
                    + "'shop.example', '/.env', NULL, 403, NULL, 'zgrab/0.x', NULL, '{\"client_ip\":\"203.0.113.7\"}', "
                    + "'" + HITS_LOG + "', 1)");
            st.execute("INSERT INTO detections VALUES (TIMESTAMP '2026-11-01 00:11:00', '203.0.113.7', 0, 0, 'probing-4xx', "
                    + "'scanner', 'high', '203.0.113.7', 12, 60, NULL, NULL, NULL)");
            st.execute("INSERT INTO bouncers VALUES ('fw-edge-1', 'abc', now()::TIMESTAMP, NULL, 0, NULL, NULL)");
        }
        try (EventStore store = EventStore.open(dir, CLOCK)) {
            assertEquals(Schema.currentVersion(), store.schemaVersion());
            assertEquals(1, store.countEvents());
            assertEquals(1, new BouncerStore(store).list().size());
            append(store, gateTraffic());
            Hits hits = store.hits(HitFilter.window(T0, T0.plus(Duration.ofHours(1)), 50));
            assertEquals(5, hits.page().total(), "the old detection and the new gateway hits");
            assertTrue(hits.page().items().stream().anyMatch(h -> h.source().equals(Hit.BEHAVIOR) && h.rule().equals("probing-4xx")));
        }
        try (EventStore again = EventStore.open(dir, CLOCK)) {
            assertEquals(Schema.currentVersion(), again.schemaVersion(), "re-opening is a no-op");
            assertEquals(4, again.hits(new HitFilter(T0, T0.plus(Duration.ofHours(1)), null, null, null, null, Hit.GATEWAY,
                    50, 0)).page().total());
        }
    }
}
