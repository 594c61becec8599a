package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.detect.Detector;
import dev.threatip.intel.Category;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import dev.threatip.net.AddressClass;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.Hit;
import dev.threatip.store.HitFilter;
import dev.threatip.store.Hits;
import dev.threatip.store.IpFilter;
import dev.threatip.store.IpProfile;
import dev.threatip.store.IpSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve pipeline on a real DuckDB store, a real compiled snapshot and the built-in rules. */
class IngestPipelineTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final String LISTED = "203.0.113.8";
    static final String PROBER = "198.51.100.77";
    static final String SHOPPER = "192.0.2.10";

    @TempDir
    Path dir;
    EventStore store;
    IngestPipeline pipeline;

    @BeforeEach
    void setUp() throws IOException {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, LISTED + "\t8\n");
        Path intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withClock(CLOCK).withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(new FeedSource(dir.resolve("cache"), CLOCK, FeedSource.FetchSettings.defaults())
                        .resolve(FeedSpec.parse(feed.toString())), intel);
        store = EventStore.open(dir.resolve("data"), CLOCK);
        LiveReputation reputation = LiveReputation.open(intel, ReputationIndex.OpenOptions.defaults().withClock(CLOCK));
        pipeline = IngestPipeline.builder(store, reputation).detector(Detector.builtin()).clock(CLOCK).build();
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    static byte[] line(String ip, int second, String path, int status, String ua) {
        return (ip + " - - [" + CLF.format(NOW.minusSeconds(3600).plusSeconds(second)) + "] \"GET " + path
                + " HTTP/1.1\" " + status + " 512 \"-\" \"" + ua + "\"").getBytes(StandardCharsets.UTF_8);
    }

    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    @Test
    void storesEveryEventAndProfilesOnlyTheFlaggedIps() throws Exception {
        int stored = pipeline.ingest("/var/log/nginx/access.log", List.of(
                line(SHOPPER, 0, "/", 200, FIREFOX),
                line(LISTED, 1, "/", 200, "curl/8.4.0"),
                line(SHOPPER, 2, "/products/wool-scarf", 200, FIREFOX),
                line(LISTED, 3, "/cart", 200, "curl/8.4.0")), 1);
        assertEquals(4, stored);
        assertEquals(4, store.countEvents());

        IngestPipeline.FlushResult r = pipeline.flush();
        assertEquals(1, r.profiles().size());
        List<IpSummary> ips = store.ips(new IpFilter(null, null, null, null, 50, 0)).items();
        assertEquals(List.of(LISTED), ips.stream().map(s -> s.ip().toString()).toList());
        IpSummary listed = ips.get(0);
        assertEquals(Verdict.Kind.MALICIOUS, listed.verdict());
        assertEquals(2, listed.hits());
        assertEquals(NOW.minusSeconds(3599), listed.firstSeen());
        assertEquals(NOW.minusSeconds(3597), listed.lastSeen());
    }

    @Test
    void anIpFlaggedByBehaviourLaterCountsItsEarlierRequestsOnce() throws Exception {
        pipeline.ingest("access.log", List.of(line(PROBER, 0, "/", 200, FIREFOX), line(PROBER, 1, "/about", 200, FIREFOX)), 1);
        pipeline.flush();
        assertTrue(store.profile(IpAddress.parse(PROBER)).orElseThrow().summary().verdict() == Verdict.Kind.CLEAN,
                "not flagged after two ordinary requests");

        List<byte[]> probes = new ArrayList<>();
        String[] paths = {"/.env", "/.git/config", "/backup.sql", "/wp-config.php", "/.aws/credentials", "/phpinfo.php",
            "/server-status", "/.ssh/id_rsa", "/dump.sql", "/site.zip", "/db.zip", "/.htpasswd"};
        for (int i = 0; i < paths.length; i++) {
            probes.add(line(PROBER, 10 + i, paths[i], 404, FIREFOX));
        }
        pipeline.ingest("access.log", probes, 3);
        IngestPipeline.FlushResult r = pipeline.flush();
        assertTrue(r.detections().stream().anyMatch(d -> d.ruleId().equals("scanner-sensitive-files")), "the probing rule fired: " + r);

        IpProfile p = store.profile(IpAddress.parse(PROBER)).orElseThrow();
        assertEquals(Verdict.Kind.MALICIOUS, p.summary().verdict());
        assertTrue(p.summary().categories().stream().anyMatch(c -> c.category() == Category.SCANNER));
        assertEquals(14, p.summary().hits(), "the two requests before the flag are counted, and nothing twice");
        assertEquals(NOW.minusSeconds(3600), p.summary().firstSeen());

        pipeline.ingest("access.log", List.of(line(PROBER, 40, "/", 200, FIREFOX)), 15);
        pipeline.flush();
        assertEquals(15, store.profile(IpAddress.parse(PROBER)).orElseThrow().summary().hits());
        IngestPipeline.FlushResult again = pipeline.flush();
        assertEquals(List.of(), again.detections(), "an unchanged detection is stored once");
    }

    @Test
    void badLinesAreCountedWithSamplesAndNeverStored() throws Exception {
        int stored = pipeline.ingest("syslog", List.of(
                line(SHOPPER, 0, "/", 200, FIREFOX),
                "garbage that is no log line".getBytes(StandardCharsets.UTF_8),
                line("999.1.2.3", 1, "/", 200, FIREFOX),
                line(SHOPPER, 2, "/", 200, FIREFOX)), 100);
        assertEquals(2, stored);
        InputStats s = pipeline.stats().get("syslog");
        assertEquals("combined", s.format());
        assertEquals(4, s.lines());
        assertEquals(2, s.events());
        assertEquals(2, s.badLines());
        assertEquals(101, s.badLineSamples().get(0).line());
        assertTrue(s.badLineSamples().get(0).excerpt().startsWith("garbage"));
        assertEquals(NOW.minusSeconds(3598), s.newestEvent());
        assertEquals(3598, s.lag().toSeconds());
    }

    @Test
    void eachInputGetsItsOwnDetectedFormat() throws Exception {
        pipeline.ingest("nginx", List.of(line(SHOPPER, 0, "/", 200, FIREFOX)), 1);
        pipeline.ingest("http", List.of(("{\"timestamp\":\"2026-11-20T11:00:00Z\",\"remote_addr\":\"" + LISTED
                + "\",\"request_method\":\"GET\",\"request_uri\":\"/api/v1/cart\",\"status\":200}")
                .getBytes(StandardCharsets.UTF_8)), -1);
        assertEquals("combined", pipeline.stats().get("nginx").format());
        InputStats http = pipeline.stats().get("http");
        assertEquals(1, http.events(), "json line parsed: " + http);
        assertTrue(http.format().startsWith("json"), http.format());
    }

    @Test
    void aBatchTheStoreRefusesIsNeitherCountedNorDetected() throws Exception {
        store.close();
        assertThrows(RuntimeException.class, () -> pipeline.ingest("access.log", List.of(line(LISTED, 0, "/", 200, "x")), 1));
        InputStats s = pipeline.stats().get("access.log");
        assertEquals(0, s.events());
        assertEquals(0, s.lines());
        assertFalse(pipeline.trackedKeys() > 0);
    }

    @Test
    void gateHitLines_storedAsEventsAndGatewayHits_appLinesWithAnActionMemberStayEvents_badDecisionsCountedAndSampled()
            throws Exception {
        String source = "/var/log/threatip/gate-hits.log";
        List<byte[]> lines = List.of(
                ("{\"time\":\"2026-11-20T11:00:01Z\",\"client_ip\":\"" + LISTED + "\",\"method\":\"GET\",\"host\":\"shop.example\","
                        + "\"path\":\"/.env\",\"status\":403,\"user_agent\":\"zgrab/0.x\",\"rule\":\"reputation\","
                        + "\"category\":\"scanner\",\"confidence\":\"high\",\"action\":\"block\",\"enforced\":true,"
                        + "\"request_id\":\"4c1f0a9e2b7d3e61\",\"verdict\":\"malicious\"}").getBytes(StandardCharsets.UTF_8),
                // an application's own JSON log line that happens to have an action member: just an event
                ("{\"time\":\"2026-11-20T11:00:02Z\",\"client_ip\":\"" + SHOPPER + "\",\"method\":\"POST\",\"path\":\"/cart\","
                        + "\"status\":200,\"action\":\"add_to_cart\"}").getBytes(StandardCharsets.UTF_8),
                // a gate line whose decision is not the policy vocabulary (a hand-edited or foreign file)
                ("{\"time\":\"2026-11-20T11:00:03Z\",\"client_ip\":\"" + PROBER + "\",\"method\":\"GET\",\"path\":\"/admin\","
                        + "\"status\":403,\"rule\":\"reputation\",\"category\":\"scanner\",\"confidence\":\"high\","
                        + "\"action\":\"deny\",\"request_id\":\"77\"}").getBytes(StandardCharsets.UTF_8));
        assertEquals(3, pipeline.ingest(source, lines, 1));
        assertEquals(3, store.countEvents(), "every line is a request: visits count");
        Hits hits = store.hits(new HitFilter(NOW.minusSeconds(7200), NOW, null, null, null, null, Hit.GATEWAY, 10, 0));
        assertEquals(1, hits.page().total());
        assertEquals("4c1f0a9e2b7d3e61", hits.page().items().get(0).gateway().requestId());

        InputStats st = pipeline.stats().get(source);
        assertEquals(1, st.gatewayHits());
        assertEquals(1, st.gatewayRefused());
        assertEquals(0, st.badLines(), "the refused line's event is stored: it is not a bad line");
        assertEquals(3L, st.gatewayRefusedSamples().get(0).line());
        assertTrue(st.gatewayRefusedSamples().get(0).reason().contains("unknown action 'deny'"),
                st.gatewayRefusedSamples().get(0).reason());
    }
}
