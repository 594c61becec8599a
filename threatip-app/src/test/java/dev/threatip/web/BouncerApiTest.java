package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.store.Bouncer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CrowdSec bouncer protocol over real HTTP, a real DuckDB store and a clock the test moves. */
class BouncerApiTest {
    @TempDir
    Path dir;

    BouncerFixture f;

    @BeforeEach
    void start() {
        f = new BouncerFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void stream_withoutKeyOrWithUnknownKey_answers403AsLapi() {
        for (String key : new String[] {null, "not-a-registered-key-0123456789"}) {
            BouncerFixture.Answer a = f.bouncer("/v1/decisions/stream?startup=true", key);
            assertEquals(403, a.status());
            assertEquals("{\"message\":\"access forbidden\"}", a.body());
            assertEquals(403, f.bouncer("/v1/decisions?ip=203.0.113.7", key).status());
        }
        // the admin token is no bouncer key
        assertEquals(403, f.bouncer("/v1/decisions/stream", BouncerFixture.ADMIN).status());
    }

    @Test
    void startup_listsEveryDecisionInForce_asLapiSerialisesThem() {
        String key = f.key("fw-edge-1");
        JsonNode body = f.bouncer("/v1/decisions/stream?startup=true", key).json();
        assertEquals(Set.of(f.scanner.id(), f.brute.id(), f.botnet.id(), f.v6.id()), ids(body.get("new")));
        assertEquals(0, body.get("deleted").size());
        JsonNode scanner = byId(body.get("new"), f.scanner.id());
        assertEquals("{\"duration\":\"4h0m0s\",\"id\":" + f.scanner.id() + ",\"origin\":\"auto\",\"scenario\":\"scanner high: probing-4xx\","
                + "\"scope\":\"Ip\",\"type\":\"ban\",\"until\":\"2026-11-01T04:00:00Z\",\"value\":\"203.0.113.7\"}", scanner.toString());
        JsonNode brute = byId(body.get("new"), f.brute.id());
        assertEquals("1h30m0s", brute.get("duration").asText());
        assertEquals("captcha", brute.get("type").asText());
        assertEquals("manual", brute.get("origin").asText());
        JsonNode botnet = byId(body.get("new"), f.botnet.id());
        assertEquals("Range", botnet.get("scope").asText());
        assertEquals("192.0.2.0/24", botnet.get("value").asText());
        assertEquals("168h0m0s", botnet.get("duration").asText());
        assertEquals("2001:db8:7::/64", byId(body.get("new"), f.v6.id()).get("value").asText());
    }

    @Test
    void durations_countDownWithTheClock_inGoFormat() {
        String key = f.key("fw-edge-1");
        f.clock.advance(Duration.ofMinutes(89).plusSeconds(58).plusMillis(300));
        JsonNode body = f.bouncer("/v1/decisions/stream?startup=true", key).json();
        assertEquals("2s", byId(body.get("new"), f.brute.id()).get("duration").asText(), "1.7 s left rounds up");
        assertEquals("2h30m2s", byId(body.get("new"), f.scanner.id()).get("duration").asText());
    }

    @Test
    void deltas_bringWhatWasAddedAndWhatEnded_sinceThisBouncersLastPull() {
        String key = f.key("fw-edge-1");
        assertEquals(4, f.bouncer("/v1/decisions/stream?startup=true", key).json().get("new").size());
        JsonNode quiet = f.bouncer("/v1/decisions/stream", key).json();
        assertEquals("{\"new\":[],\"deleted\":[]}", quiet.toString(), "nothing changed, nothing sent");

        f.clock.advance(Duration.ofMinutes(10));
        Decision fresh = f.decisions.add(f.decision("198.51.100.77", DecisionType.BAN, Duration.ofHours(2),
                "account_takeover high: credential-stuffing", DecisionOrigin.AUTO, Category.ACCOUNT_TAKEOVER, Confidence.HIGH));
        f.decisions.delete(f.scanner.id(), f.clock.instant());
        JsonNode delta = f.bouncer("/v1/decisions/stream", key).json();
        assertEquals(Set.of(fresh.id()), ids(delta.get("new")));
        assertEquals(Set.of(f.scanner.id()), ids(delta.get("deleted")));
        assertEquals("3h50m0s", delta.get("deleted").get(0).get("duration").asText(), "deleted early: time it had left");

        // the brute-forcer's challenge runs out at T0 + 90 min
        f.clock.advance(Duration.ofMinutes(81));
        JsonNode expiry = f.bouncer("/v1/decisions/stream", key).json();
        assertEquals(0, expiry.get("new").size());
        assertEquals(Set.of(f.brute.id()), ids(expiry.get("deleted")));
        assertEquals("-1m0s", expiry.get("deleted").get(0).get("duration").asText(), "expired a minute ago");
        assertEquals("{\"new\":[],\"deleted\":[]}", f.bouncer("/v1/decisions/stream", key).json().toString(), "told once");
    }

    @Test
    void eachKey_hasItsOwnCursor_andAFirstPullWithoutStartupGetsEverything() {
        String a = f.key("fw-edge-1");
        String b = f.key("nginx-1");
        f.bouncer("/v1/decisions/stream?startup=true", a);
        f.decisions.add(f.decision("198.51.100.77", DecisionType.BAN, Duration.ofHours(1), "scanner high: probing-4xx",
                DecisionOrigin.AUTO, Category.SCANNER, Confidence.HIGH));
        assertEquals(1, f.bouncer("/v1/decisions/stream", a).json().get("new").size());
        assertEquals(5, f.bouncer("/v1/decisions/stream", b).json().get("new").size(), "b never pulled: all five");
        assertEquals(0, f.bouncer("/v1/decisions/stream", b).json().get("new").size());
        // startup=true again (a restarted bouncer): the whole list, whatever its cursor
        assertEquals(5, f.bouncer("/v1/decisions/stream?startup=true", a).json().get("new").size());
        Bouncer stored = f.bouncers.get("fw-edge-1").orElseThrow();
        assertEquals(BouncerFixture.T0, stored.lastPull());
        assertEquals("crowdsec-firewall-bouncer/v0.0.31", stored.userAgent());
        assertEquals("127.0.0.1", stored.lastIp());
        assertTrue(stored.cursor() > 0);
    }

    @Test
    void filters_scopesOriginsAndScenarios_narrowTheStream() {
        String key = f.key("fw-edge-1");
        assertEquals(Set.of(f.scanner.id(), f.brute.id()), ids(f.bouncer("/v1/decisions/stream?startup=true&scopes=ip", key).json().get("new")));
        assertEquals(Set.of(f.botnet.id(), f.v6.id()), ids(f.bouncer("/v1/decisions/stream?startup=true&scopes=Range", key).json().get("new")));
        assertEquals(Set.of(), ids(f.bouncer("/v1/decisions/stream?startup=true&scopes=country", key).json().get("new")));
        assertEquals(Set.of(f.brute.id(), f.botnet.id()),
                ids(f.bouncer("/v1/decisions/stream?startup=true&origins=manual,import", key).json().get("new")));
        assertEquals(Set.of(f.scanner.id(), f.brute.id()),
                ids(f.bouncer("/v1/decisions/stream?startup=true&scenarios_containing=SCANNER,login", key).json().get("new")));
        assertEquals(Set.of(f.botnet.id(), f.v6.id()),
                ids(f.bouncer("/v1/decisions/stream?startup=true&scenarios_not_containing=scanner,brute", key).json().get("new")));
        // what current bouncers send besides (go-cs-bouncer's community_pull / additional_pull)
        assertEquals(4, f.bouncer("/v1/decisions/stream?startup=true&community_pull=false&additional_pull=false", key)
                .json().get("new").size());
    }

    @Test
    void badParameters_answer400WithLapisMessageShape() {
        String key = f.key("fw-edge-1");
        BouncerFixture.Answer a = f.bouncer("/v1/decisions/stream?startup=maybe", key);
        assertEquals(400, a.status());
        assertEquals("startup: 'maybe' is not a boolean; allowed: true, false", a.json().get("message").asText());
        BouncerFixture.Answer ip = f.bouncer("/v1/decisions?ip=203.0.113.999", key);
        assertEquals(400, ip.status());
        assertEquals("ip: '203.0.113.999' is not an IPv4 or IPv6 address", ip.json().get("message").asText());
        assertEquals(400, f.bouncer("/v1/decisions?range=192.0.2.0/33", key).status());
        assertEquals(400, f.bouncer("/v1/decisions/stream?scopes=ip&scopes=range", key).status());
        // a refused pull does not move the cursor: the next one is still the full list
        assertEquals(4, f.bouncer("/v1/decisions/stream", key).json().get("new").size());
    }

    @Test
    void decisionsByIp_answerWhatCoversTheAddress_orNullWhenNothingDoes() {
        String key = f.key("nginx-1");
        JsonNode scanner = f.bouncer("/v1/decisions?ip=203.0.113.7", key).json();
        assertEquals(Set.of(f.scanner.id()), ids(scanner));
        assertEquals("4h0m0s", scanner.get(0).get("duration").asText());
        assertEquals(Set.of(f.botnet.id()), ids(f.bouncer("/v1/decisions?ip=192.0.2.200", key).json()), "inside the /24");
        assertEquals(Set.of(f.v6.id()), ids(f.bouncer("/v1/decisions?ip=2001:db8:7::abcd", key).json()), "inside the /64");
        BouncerFixture.Answer none = f.bouncer("/v1/decisions?ip=198.51.100.1", key);
        assertEquals(200, none.status());
        assertEquals("null", none.body(), "LAPI answers a JSON null, not []");
        assertEquals("null", f.bouncer("/v1/decisions?ip=203.0.113.50", key).body(), "deleted");
        assertEquals("null", f.bouncer("/v1/decisions?ip=203.0.113.99", key).body(), "expired");
        assertEquals("null", f.bouncer("/v1/decisions?ip=203.0.113.60", key).body(), "simulated");
        assertEquals(Set.of(f.scanner.id()), ids(f.bouncer("/v1/decisions?scope=ip&value=203.0.113.7", key).json()));
        assertEquals("null", f.bouncer("/v1/decisions?scope=country&value=FR", key).body());
        assertEquals("null", f.bouncer("/v1/decisions?ip=203.0.113.7&type=captcha", key).body());
    }

    @Test
    void decisionsByRange_containsOrWithin() {
        String key = f.key("nginx-1");
        assertEquals(Set.of(f.botnet.id()), ids(f.bouncer("/v1/decisions?range=192.0.2.128/25", key).json()), "covered by the /24");
        assertEquals("null", f.bouncer("/v1/decisions?range=192.0.0.0/16", key).body(), "nothing holds all of a /16");
        assertEquals(Set.of(f.botnet.id()), ids(f.bouncer("/v1/decisions?range=192.0.0.0/16&contains=false", key).json()));
        assertEquals(Set.of(f.scanner.id()), ids(f.bouncer("/v1/decisions?range=203.0.113.0/24&contains=false", key).json()),
                "inside it: the scanner, not the deleted, expired or simulated ones");
        assertEquals(Set.of(f.scanner.id(), f.brute.id(), f.botnet.id(), f.v6.id()), ids(f.bouncer("/v1/decisions", key).json()),
                "no target: every decision in force");
    }

    @Test
    void head_checksTheKey_andLeavesTheStreamWhereItWas() {
        String key = f.key("fw-edge-1");
        HttpRequest.Builder head = HttpRequest.newBuilder(URI.create(f.server.url() + "v1/decisions/stream"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        assertEquals(403, f.send(head.build()).status());
        assertEquals(200, f.send(head.header(BouncerApi.KEY_HEADER, key).build()).status());
        assertEquals(0, f.bouncers.get("fw-edge-1").orElseThrow().cursor());
        assertEquals(4, f.bouncer("/v1/decisions/stream", key).json().get("new").size());
    }

    @Test
    void stream_isGzippedForClientsThatAcceptIt() throws Exception {
        String key = f.key("fw-edge-1");
        HttpResponse<byte[]> r = f.http.send(HttpRequest.newBuilder(URI.create(f.server.url() + "v1/decisions/stream?startup=true"))
                .header(BouncerApi.KEY_HEADER, key).header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
        String json;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode body = BouncerFixture.JSON.readTree(json);
        assertEquals(4, body.get("new").size());
        assertNull(f.bouncer("/v1/decisions/stream?startup=true", key).header("Content-Encoding"), "plain without Accept-Encoding");
    }

    @Test
    void pullCutShort_doesNotMoveTheCursor() throws Exception {
        String key = f.key("fw-edge-1");
        List<Decision> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add(f.decision("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), DecisionType.BAN,
                    Duration.ofHours(1), "imported: a long list", DecisionOrigin.IMPORT, null, null));
        }
        f.decisions.addAll(many, false);
        // a bouncer that reads the start of its startup list and goes away
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress("127.0.0.1", f.server.port()), 5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/decisions/stream?startup=true HTTP/1.1\r\nHost: 127.0.0.1\r\n" + BouncerApi.KEY_HEADER + ": " + key
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] head = s.getInputStream().readNBytes(2048);
            assertTrue(new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
        }
        // the next pull, startup or not, gets the whole list again: nothing was recorded for the broken one
        JsonNode again = f.bouncer("/v1/decisions/stream", key).json();
        assertEquals(40_004, again.get("new").size());
        assertEquals(0, f.bouncer("/v1/decisions/stream", key).json().get("new").size());
    }

    static Set<Long> ids(JsonNode array) {
        Set<Long> out = new TreeSet<>();
        if (array != null && array.isArray()) {
            array.forEach(d -> out.add(d.get("id").asLong()));
        }
        return out;
    }

    static JsonNode byId(JsonNode array, long id) {
        for (JsonNode d : array) {
            if (d.get("id").asLong() == id) {
                return d;
            }
        }
        throw new AssertionError("no decision " + id + " in " + array);
    }
}
