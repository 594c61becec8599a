package dev.threatip.web;

import static dev.threatip.web.WebFixture.ADMIN;
import static dev.threatip.web.WebFixture.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hits, feeds, ingest, metrics and the OpenAPI document, through real HTTP. */
class WebServerWriteAndOpsTest {
    /** One ingest call as the handler saw it. */
    record Batch(String source, boolean json, List<String> lines) {
    }

    /** A real handler that records what it is given, accepts lines that are not "bad", or is busy. */
    static final class RecordingIngest implements IngestHandler {
        final List<Batch> batches = new CopyOnWriteArrayList<>();
        final AtomicBoolean busy = new AtomicBoolean();

        @Override
        public int ingest(String source, boolean json, List<byte[]> lines) throws IngestBusyException {
            if (busy.get()) {
                throw new IngestBusyException("the ingest queue is full (10000 lines waiting)", Duration.ofMillis(2500));
            }
            List<String> text = new ArrayList<>();
            lines.forEach(l -> text.add(new String(l, StandardCharsets.UTF_8)));
            batches.add(new Batch(source, json, text));
            return (int) text.stream().filter(l -> !l.contains("garbage")).count();
        }
    }

    @TempDir
    static Path dir;

    static WebFixture web;
    static final RecordingIngest INGEST = new RecordingIngest();
    static final Instant FETCHED = Instant.parse("2026-11-01T00:30:00Z");

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(dir, INGEST, () -> List.of(
                new FeedFetchStatus("tor_exits", null, FETCHED, "GET https://check.torproject.org/torbulkexitlist: 503", true),
                new FeedFetchStatus("spamhaus_drop", "https://www.spamhaus.org/drop/drop.txt", null,
                        "connect timed out", false)));
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    @BeforeEach
    void reset() {
        INGEST.batches.clear();
        INGEST.busy.set(false);
    }

    @Test
    void hits_window_listsDetectionsAndIntelWithTrend() {
        JsonNode h = web.ok("/api/v1/hits?from=2026-11-01T00:00:00Z&to=2026-11-01T01:00:00Z");
        assertEquals(3, h.get("total").asLong());
        assertEquals(60, h.get("bucket_seconds").asLong());
        assertEquals(60, h.get("trend").size());
        assertEquals("{\"t\":\"2026-11-01T00:00:00Z\",\"hits\":1,\"behavior\":1,\"intel\":0,\"gateway\":0}", h.get("trend").get(0).toString());
        assertEquals("{\"t\":\"2026-11-01T00:30:00Z\",\"hits\":3,\"behavior\":0,\"intel\":3,\"gateway\":0}", h.get("trend").get(30).toString());
        JsonNode intel = h.get("items").get(0);
        assertEquals("{\"ts\":\"2026-11-01T00:30:02Z\",\"ip\":\"2001:db8::5\",\"rule\":null,\"category\":\"network_proxy\","
                + "\"confidence\":\"high\",\"group\":\"2001:db8::5\",\"count\":3,\"window_seconds\":null,"
                + "\"first_seen\":\"2026-11-01T00:30:00Z\",\"last_seen\":\"2026-11-01T00:30:02Z\",\"source\":\"intel\","
                + "\"feeds\":[\"tor_exits\"],\"action\":null,\"enforced\":null,\"request_id\":null,\"status\":null,"
                + "\"method\":null,\"host\":null,\"path\":null}", intel.toString());
        JsonNode login = h.get("items").get(1);
        assertEquals("{\"ts\":\"2026-11-01T00:10:04Z\",\"ip\":\"192.0.2.10\",\"rule\":\"login-fail\",\"category\":\"brute_force\","
                + "\"confidence\":\"moderate\",\"group\":\"192.0.2.10\",\"count\":5,\"window_seconds\":60,"
                + "\"first_seen\":\"2026-11-01T00:10:00Z\",\"last_seen\":\"2026-11-01T00:10:04Z\",\"source\":\"behavior\","
                + "\"feeds\":[],\"action\":null,\"enforced\":null,\"request_id\":null,\"status\":null,\"method\":null,"
                + "\"host\":null,\"path\":null}", login.toString());
    }

    @Test
    void hits_filters_selectRuleCategorySourceAndAction() {
        String w = "from=2026-11-01T00:00:00Z&to=2026-11-01T01:00:00Z";
        assertEquals(List.of("probing-4xx"), field(web.ok("/api/v1/hits?rule=probing-4xx&" + w), "rule"));
        assertEquals(List.of("intel"), field(web.ok("/api/v1/hits?category=network_proxy&" + w), "source"));
        assertEquals(List.of("intel", "behavior"), field(web.ok("/api/v1/hits?confidence=high&" + w), "source"));
        assertEquals(List.of("behavior", "behavior"), field(web.ok("/api/v1/hits?source=behavior&" + w), "source"));
        JsonNode blocked = web.ok("/api/v1/hits?action=block&" + w);
        assertEquals(0, blocked.get("total").asLong());
        JsonNode paged = web.ok("/api/v1/hits?limit=1&offset=2&" + w);
        assertEquals(3, paged.get("total").asLong());
        assertEquals(List.of("probing-4xx"), field(paged, "rule"));
        assertEquals(3, web.ok("/api/v1/hits").get("total").asLong(), "the default window is the last 24 h");
    }

    @Test
    void feeds_snapshotManifestMergedWithFetchStatus() {
        JsonNode f = web.ok("/api/v1/feeds");
        assertTrue(f.get("snapshot").get("path").asText().endsWith("intel.tis"));
        assertTrue(f.get("snapshot").get("last_error").isNull());
        assertEquals(2, f.get("total").asLong());
        JsonNode tor = f.get("items").get(0);
        assertEquals("tor_exits", tor.get("name").asText());
        assertTrue(tor.get("source").asText().endsWith("tor-exit-nodes.lst"), tor.toString());
        assertTrue(tor.get("format").isTextual(), tor.toString());
        assertEquals("network_proxy", tor.get("category").asText());
        assertEquals(2, tor.get("entries").asLong());
        assertEquals(FETCHED.toString(), tor.get("last_refresh").asText());
        assertEquals("GET https://check.torproject.org/torbulkexitlist: 503", tor.get("last_error").asText());
        assertTrue(tor.get("stale").asBoolean());
        JsonNode drop = f.get("items").get(1);
        assertEquals("spamhaus_drop", drop.get("name").asText());
        assertEquals(0, drop.get("entries").asLong());
        assertEquals("connect timed out", drop.get("last_error").asText());
        assertTrue(drop.get("last_refresh").isNull());
        assertEquals(1, web.ok("/api/v1/feeds?limit=1&offset=1").get("items").size());
    }

    @Test
    void ingest_rawLines_deliveredWithSourceAndCounted() {
        String body = "203.0.113.50 - - [01/Nov/2026:00:59:00 +0000] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"curl/8.0\"\r\n"
                + "\n"
                + "garbage line\n"
                + "198.51.100.20 - - [01/Nov/2026:00:59:01 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"\n";
        double accepted = counter("threatip_http_ingest_lines_total{outcome=\"accepted\"}");
        double rejected = counter("threatip_http_ingest_lines_total{outcome=\"rejected\"}");
        WebFixture.Answer a = web.post("/api/v1/ingest?source=edge-1", ADMIN, "text/plain; charset=utf-8", utf8(body));
        assertEquals(200, a.status(), a.body());
        assertEquals("{\"accepted\":2,\"lines\":3}", a.body());
        assertEquals(1, INGEST.batches.size());
        Batch b = INGEST.batches.get(0);
        assertEquals("edge-1", b.source());
        assertEquals(false, b.json());
        assertEquals(3, b.lines().size());
        assertTrue(b.lines().get(0).endsWith("\"curl/8.0\""), "CR dropped: " + b.lines().get(0));
        assertEquals("garbage line", b.lines().get(1));
        assertEquals(accepted + 2, counter("threatip_http_ingest_lines_total{outcome=\"accepted\"}"));
        assertEquals(rejected + 1, counter("threatip_http_ingest_lines_total{outcome=\"rejected\"}"));
    }

    @Test
    void ingest_fluentBitAndVectorRecords_deliverTheirLogLines() {
        String fluentBit = "{\"date\":1793491140.0,\"log\":\"203.0.113.50 - - [01/Nov/2026:00:59:00 +0000] \\\"GET /.env HTTP/1.1\\\" 404 153 \\\"-\\\" \\\"curl/8.0\\\"\\n\"}\n"
                + "{\"date\":1793491141.0,\"log\":\"203.0.113.50 - - [01/Nov/2026:00:59:01 +0000] \\\"GET /.git/config HTTP/1.1\\\" 404 153 \\\"-\\\" \\\"curl/8.0\\\"\"}\n";
        WebFixture.Answer a = web.post("/api/v1/ingest", ADMIN, "application/x-ndjson", utf8(fluentBit));
        assertEquals(200, a.status(), a.body());
        assertEquals(2, a.json().get("accepted").asInt());
        Batch b = INGEST.batches.get(0);
        assertEquals("http", b.source());
        assertEquals(false, b.json());
        assertEquals("203.0.113.50 - - [01/Nov/2026:00:59:00 +0000] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"curl/8.0\"",
                b.lines().get(0));

        String vector = "[{\"message\":\"198.51.100.20 - - [01/Nov/2026:00:59:02 +0000] \\\"GET / HTTP/1.1\\\" 200 512 \\\"-\\\" \\\"Mozilla/5.0\\\"\","
                + "\"host\":\"web-1\",\"source_type\":\"file\"}]";
        WebFixture.Answer v = web.post("/api/v1/ingest?source=vector", ADMIN, "application/json", utf8(vector));
        assertEquals(200, v.status(), v.body());
        assertEquals(List.of("198.51.100.20 - - [01/Nov/2026:00:59:02 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\""),
                INGEST.batches.get(1).lines());
    }

    @Test
    void ingest_jsonAccessRecords_deliveredAsJsonLines() {
        String line1 = "{\"time\":\"2026-11-01T00:59:00Z\",\"remote_addr\":\"203.0.113.50\",\"request\":\"GET /.env HTTP/1.1\",\"status\":404}";
        String line2 = "{\"time\":\"2026-11-01T00:59:01Z\",\"remote_addr\":\"203.0.113.51\",\"request\":\"GET / HTTP/1.1\",\"status\":200}";
        WebFixture.Answer a = web.post("/api/v1/ingest", ADMIN, "application/x-ndjson", utf8(line1 + "\n" + line2 + "\n\n"));
        assertEquals(200, a.status(), a.body());
        Batch b = INGEST.batches.get(0);
        assertEquals(true, b.json());
        assertEquals(List.of(line1, line2), b.lines());
    }

    @Test
    void ingest_badNdjson_refusesWholeBodyNamingTheLine() {
        String good = "{\"log\":\"203.0.113.50 - - [01/Nov/2026:00:59:00 +0000] \\\"GET / HTTP/1.1\\\" 200 1 \\\"-\\\" \\\"x\\\"\"}";
        assertIngestBad("application/x-ndjson", good + "\n\n" + good + "\n", "line 2: empty");
        assertIngestBad("application/x-ndjson", good + "\n{\"log\": \"unterminated\n", "line 2: not valid JSON");
        assertIngestBad("application/x-ndjson", good + "\n[1, 2]\n", "line 2: not a JSON object");
        assertIngestBad("application/x-ndjson", good + "\n{\"remote_addr\":\"192.0.2.1\"}\n",
                "line 2: a JSON access-log record after line 1 was the other kind");
        assertIngestBad("application/json", "[" + good + ", 42]", "array element 2: not a JSON object");
        assertIngestBad("text/plain", "", "the body is empty");
        assertIngestBad("text/plain", "\n \n", "the body has only blank lines");
        assertIngestBad("application/x-www-form-urlencoded", "a=b", "Content-Type: 'application/x-www-form-urlencoded' "
                + "is not accepted; allowed: text/plain, application/x-ndjson, application/json");
        assertEquals(0, INGEST.batches.size(), "nothing of a refused body reaches the handler");
    }

    @Test
    void ingest_readOnlyTokenOrNone_refused() {
        WebFixture.Answer ro = web.post("/api/v1/ingest", READER, "text/plain", utf8("x\n"));
        assertEquals(403, ro.status());
        assertEquals("forbidden", ro.code());
        assertEquals("a read-only token cannot POST /api/v1/ingest; use the admin token", ro.message());
        assertEquals(401, web.post("/api/v1/ingest", null, "text/plain", utf8("x\n")).status());
        assertEquals(0, INGEST.batches.size());
    }

    @Test
    void ingest_bodyOver16MiB_answers413() {
        byte[] big = new byte[(16 << 20) + 1];
        java.util.Arrays.fill(big, (byte) 'a');
        WebFixture.Answer a = web.post("/api/v1/ingest", ADMIN, "text/plain", big);
        assertEquals(413, a.status(), a.body());
        assertEquals("payload_too_large", a.code());
        assertEquals(0, INGEST.batches.size());
    }

    @Test
    void ingest_busyPipeline_answers503WithRetryAfter() {
        INGEST.busy.set(true);
        WebFixture.Answer a = web.post("/api/v1/ingest", ADMIN, "text/plain", utf8("203.0.113.50 - - x\n"));
        assertEquals(503, a.status(), a.body());
        assertEquals("unavailable", a.code());
        assertEquals("3", a.header("Retry-After"));
        assertEquals("ingest is busy: the ingest queue is full (10000 lines waiting); retry after 3 s", a.message());
    }

    @Test
    void metrics_openPrometheusTextThatParses() {
        web.ok("/api/v1/stats");
        WebFixture.Answer a = web.get("/metrics", null);
        assertEquals(200, a.status());
        assertTrue(a.header("Content-Type").startsWith("text/plain; version=0.0.4"), a.header("Content-Type"));
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\})? "
                + "[-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|Inf)( [0-9]+)?");
        int samples = 0;
        for (String line : a.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            assertTrue(sample.matcher(line).matches(), "not a Prometheus sample line: " + line);
            samples++;
        }
        assertTrue(samples > 0, a.body());
        Matcher m = Pattern.compile("threatip_http_requests_total\\{method=\"GET\",route=\"/api/v1/stats\",status=\"200\"\\} "
                + "([0-9.]+)").matcher(a.body());
        assertTrue(m.find(), a.body());
        assertTrue(Double.parseDouble(m.group(1)) >= 1);
    }

    @Test
    void openApi_documentsExactlyTheRegisteredRoutes() throws Exception {
        JsonNode doc = web.ok("/api/v1/openapi.json");
        assertEquals("3.1.0", doc.get("openapi").asText());
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = doc.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
                documented.add(methods.next().toUpperCase(java.util.Locale.ROOT) + " " + path);
            }
        }
        Set<String> registered = new TreeSet<>();
        for (WebServer.Route r : web.server.routes()) {
            registered.add(r.method().name() + " " + r.path());
        }
        assertEquals(registered, documented);
        for (WebServer.Route r : web.server.routes()) {
            JsonNode op = doc.get("paths").get(r.path()).get(r.method().name().toLowerCase(java.util.Locale.ROOT));
            boolean open = op.has("security") && op.get("security").isEmpty();
            assertEquals(r.open(), open, r + " open in the document and the server alike");
        }
    }

    @Test
    void ingestDisabled_answers503NotEnabled() throws Exception {
        try (WebServer bare = WebServer.builder().port(0).store(web.store).tokens(ApiTokens.of(ADMIN, List.of())).build().start()) {
            WebFixture.Answer a = web.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bare.url() + "api/v1/ingest"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x\n")).build());
            assertEquals(503, a.status());
            assertEquals("HTTP ingest is not enabled on this server", a.message());
            assertNull(a.header("Retry-After"));
            WebFixture.Answer feeds = web.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bare.url() + "api/v1/feeds"))
                    .header("Authorization", "Bearer " + ADMIN).build());
            assertEquals("{\"snapshot\":null,\"total\":0,\"items\":[]}", feeds.body());
        }
    }

    /** A sample's value in the current /metrics text, 0 when absent. */
    private static double counter(String sample) {
        for (String line : web.get("/metrics", null).body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        return 0;
    }

    private static void assertIngestBad(String type, String body, String messageStart) {
        WebFixture.Answer a = web.post("/api/v1/ingest", ADMIN, type, utf8(body));
        assertEquals(400, a.status(), a.body());
        assertEquals("bad_request", a.code());
        assertTrue(a.message().startsWith(messageStart), a.message());
    }

    private static List<String> field(JsonNode page, String name) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get(name).asText()));
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
