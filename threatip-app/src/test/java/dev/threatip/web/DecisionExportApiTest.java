package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.block.ExportOptions;
import dev.threatip.block.ExportResult;
import dev.threatip.block.Exporter;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/decisions/export} on a real server over a real DuckDB store holding
 * decisions made through the store (so documentation ranges pass): the body is the exporter's
 * file for the decisions in force, what was left out is in the headers, bad parameters are 400s.
 */
class DecisionExportApiTest {
    static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static EventStore store;
    static WebServer server;
    static List<Decision> inForce;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = EventStore.open(dir, clock);
        DecisionStore decisions = new DecisionStore(store);
        List<Decision> made = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            made.add(new Decision(0, Cidr.parse("203.0.113." + i), DecisionType.BAN, NOW.minusSeconds(60L * i),
                    NOW.plusSeconds(3600), "scanner high: probing-4xx " + i, DecisionOrigin.AUTO, "ban-high", Category.SCANNER,
                    i % 2 == 0 ? Confidence.HIGH : Confidence.MODERATE, i, 1));
        }
        made.add(new Decision(0, Cidr.parse("2001:db8:5::/64"), DecisionType.CAPTCHA, NOW.minusSeconds(30),
                NOW.plusSeconds(600), "malicious_bot moderate: scraping", DecisionOrigin.AUTO, "challenge", Category.MALICIOUS_BOT,
                Confidence.MODERATE, 40, 1));
        made.add(new Decision(0, Cidr.parse("198.51.100.7"), DecisionType.BAN, NOW.minusSeconds(7200), NOW.minusSeconds(60),
                "ended a minute ago", DecisionOrigin.MANUAL, null, null, null, 0, 1));
        decisions.addAll(made, false);
        inForce = decisions.active(NOW);
        server = WebServer.builder().port(0).store(store).tokens(ApiTokens.of(ADMIN, List.of(READER))).clock(clock).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void export_withReadToken_answersTheExportersFileAndSaysWhatWasLeftOut() throws Exception {
        HttpResponse<byte[]> r = get("api/v1/decisions/export?format=aws-sg", READER);
        assertEquals(200, r.statusCode());
        ExportResult expected = Exporter.forTarget("aws-sg").export(inForce, ExportOptions.at(NOW));
        assertArrayEquals(expected.content(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"threatip.json\"", r.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("20", r.headers().firstValue("X-Threatip-Exported").orElseThrow());
        assertEquals("11", r.headers().firstValue("X-Threatip-Left-Out").orElseThrow());
        assertEquals("type=1, capacity=10", r.headers().firstValue("X-Threatip-Left-Out-By-Reason").orElseThrow());
        assertEquals(expected.summary(), r.headers().firstValue("X-Threatip-Summary").orElseThrow());
        assertEquals(20, JSON.readTree(r.body()).get("NetworkAclEntries").size());
        assertEquals(31, inForce.size(), "the ended decision is not in force");
    }

    @Test
    void export_limitNameAndBansOnly_reachTheExporter() throws Exception {
        HttpResponse<byte[]> r = get("api/v1/decisions/export?format=nftables&limit=5&name=edge", ADMIN);
        assertEquals(200, r.statusCode());
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(text.contains("table inet edge {"), text);
        assertEquals("5", r.headers().firstValue("X-Threatip-Exported").orElseThrow());
        assertEquals("edge.nft", r.headers().firstValue("Content-Disposition").orElseThrow().replaceAll(".*filename=\"(.*)\"", "$1"));

        HttpResponse<byte[]> csv = get("api/v1/decisions/export?format=csv&bans_only=true", READER);
        assertEquals("30", csv.headers().firstValue("X-Threatip-Exported").orElseThrow());
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> both = get("api/v1/decisions/export?format=csv", READER);
        assertEquals("31", both.headers().firstValue("X-Threatip-Exported").orElseThrow());
    }

    @Test
    void export_badParameters_answer400NamingTheProblem() throws Exception {
        assertEquals("format: unknown format 'pf'; known: nftables, ipset, iptables, ip6tables, nginx, nginx-geo, haproxy,"
                + " haproxy-map, apache, plain, csv, json, stix, aws-sg, aws-waf, tencent-sg, cloudflare",
                error(get("api/v1/decisions/export?format=pf", READER), 400));
        assertTrue(error(get("api/v1/decisions/export", READER), 400).startsWith("format: missing; one of: nftables, "));
        assertEquals("limit: 0 is out of range; allowed 1 or more", error(get("api/v1/decisions/export?format=plain&limit=0", READER), 400));
        assertTrue(error(get("api/v1/decisions/export?format=plain&name=Bad%22name", READER), 400).startsWith("name: bad export name"));
        assertTrue(error(get("api/v1/decisions/export?format=plain&ip=1.2.3.4", READER), 400).startsWith("unknown query parameter 'ip'"));
        assertEquals(401, get("api/v1/decisions/export?format=plain", null).statusCode());
    }

    private static String error(HttpResponse<byte[]> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertEquals("bad_request", e.get("code").asText());
        return e.get("message").asText();
    }

    private static HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
