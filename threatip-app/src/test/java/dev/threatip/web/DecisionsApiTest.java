package dev.threatip.web;

import static dev.threatip.web.WebFixture.ADMIN;
import static dev.threatip.web.WebFixture.NOW;
import static dev.threatip.web.WebFixture.READER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.store.ProfileUpdate;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/decisions} on a real server and DuckDB store. The guard rails refuse
 * documentation space, so decisions are made on public addresses (each test its own).
 */
class DecisionsApiTest {
    @TempDir
    static Path dir;
    static WebFixture web;

    @BeforeAll
    static void start() throws Exception {
        web = new WebFixture(dir, null, null);
    }

    @AfterAll
    static void stop() {
        web.close();
    }

    private static WebFixture.Answer post(String json, String token) {
        return web.post("/api/v1/decisions", token, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static WebFixture.Answer delete(String path, String token) {
        return web.send(HttpRequest.newBuilder(URI.create(web.server.url() + path.substring(1))).DELETE()
                .header("Authorization", "Bearer " + token).build());
    }

    @Test
    void post_makesAManualBan_listedAndOnTheProfile() {
        IpAddress ip = IpAddress.parse("185.180.246.23");
        web.store.upsertProfile(new ProfileUpdate(ip, new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                List.of(new CategoryVerdict(Category.SCANNER, Confidence.HIGH, "behavior", List.of("probing-4xx"), List.of())),
                List.of(), null, null, false, List.of()), 12, NOW.minusSeconds(600), NOW.minusSeconds(60)));
        WebFixture.Answer a = post("{\"scope\": \"185.180.246.23\", \"type\": \"ban\", \"duration\": \"2h\", "
                + "\"reason\": \"probing /.env from a VPS\"}", ADMIN);
        assertEquals(201, a.status(), a.body());
        JsonNode d = a.json();
        assertEquals("185.180.246.23", d.get("scope").asText());
        assertEquals("ban", d.get("type").asText());
        assertEquals("manual", d.get("origin").asText());
        assertEquals("active", d.get("status").asText());
        assertEquals(7200, d.get("duration_seconds").asLong());
        assertEquals("2026-11-01T03:00:00Z", d.get("expires").asText());
        assertEquals("probing /.env from a VPS", d.get("reason").asText());
        assertEquals(1, d.get("offence").asInt());

        JsonNode list = web.ok("/api/v1/decisions?ip=185.180.246.23&active=true");
        assertEquals(1, list.get("total").asLong());
        assertEquals(d.get("id").asLong(), list.get("items").get(0).get("id").asLong());
        JsonNode profile = web.ok("/api/v1/ips/185.180.246.23");
        assertEquals(d.get("id").asLong(), profile.get("decisions").get(0).get("id").asLong());
        assertEquals(0, web.ok("/api/v1/decisions?ip=185.180.246.24").get("total").asLong());
    }

    @Test
    void post_guardRailsRefuseSpecialSpace_with422SayingWhy() {
        WebFixture.Answer a = post("{\"scope\": \"203.0.113.7\", \"force\": true}", ADMIN);
        assertEquals(422, a.status(), a.body());
        assertEquals("refused", a.code());
        assertEquals("203.0.113.7/32 is documentation space (special-purpose, RFC 6890): never decided", a.message());
        assertEquals(0, web.ok("/api/v1/decisions?ip=203.0.113.7").get("total").asLong());
    }

    @Test
    void post_badBodiesAndTokens_answerClearErrors() {
        assertEquals(403, post("{\"scope\": \"45.155.205.233\"}", READER).status());
        assertEquals(401, post("{\"scope\": \"45.155.205.233\"}", "nope-nope-nope-nope").status());
        WebFixture.Answer typo = post("{\"scope\": \"45.155.205.233\", \"durtion\": \"1h\"}", ADMIN);
        assertEquals(400, typo.status());
        assertEquals("durtion: unknown field; known: duration, force, reason, scope, type", typo.message());
        assertEquals("scope: '45.155.205.999' is not an IP address or CIDR",
                post("{\"scope\": \"45.155.205.999\"}", ADMIN).message());
        assertEquals("type: unknown value 'block'; allowed: ban, captcha",
                post("{\"scope\": \"45.155.205.233\", \"type\": \"block\"}", ADMIN).message());
        assertEquals("duration: '400d' is out of range; allowed 1s to 365d",
                post("{\"scope\": \"45.155.205.233\", \"duration\": \"400d\"}", ADMIN).message());
        assertTrue(post("{\"scope\": ", ADMIN).message().startsWith("the body is not valid JSON"));
        assertEquals("active: unknown value 'yes'; allowed: true, false",
                web.get("/api/v1/decisions?active=yes", READER).message());
    }

    @Test
    void postArray_importsEachCheckedOnItsOwn_reportingRefusalsByIndex() {
        WebFixture.Answer a = post("[{\"scope\": \"91.240.157.0/24\", \"duration\": \"7d\"},"
                + " {\"scope\": \"10.0.0.0/8\"},"
                + " {\"scope\": \"91.240.157.246\"},"
                + " {\"scope\": \"2a02:4780:12::/48\", \"type\": \"captcha\"}]", ADMIN);
        assertEquals(200, a.status(), a.body());
        JsonNode r = a.json();
        assertEquals(2, r.get("added").asInt());
        assertEquals("import", r.get("items").get(0).get("origin").asText());
        assertEquals(2, r.get("refused").size());
        assertEquals(1, r.get("refused").get(0).get("index").asInt());
        assertTrue(r.get("refused").get(0).get("why").asText().contains("private space"));
        assertEquals(2, r.get("refused").get(1).get("index").asInt());
        assertTrue(r.get("refused").get(1).get("why").asText().contains("already has a decision in force"),
                "the /24 ban before it covers it");
        assertEquals(2, web.ok("/api/v1/decisions?origin=import").get("total").asLong());
    }

    @Test
    void delete_byIdEndsTheDecision_andAllowDeletesWhatHoldsAnAddress() {
        long id = post("{\"scope\": \"45.95.168.0/24\", \"duration\": \"1h\"}", ADMIN).json().get("id").asLong();
        long other = post("{\"scope\": \"45.95.169.10\", \"type\": \"captcha\"}", ADMIN).json().get("id").asLong();
        WebFixture.Answer d = delete("/api/v1/decisions/" + id, ADMIN);
        assertEquals(200, d.status(), d.body());
        assertEquals("deleted", web.ok("/api/v1/decisions?ip=45.95.168.1").get("items").get(0).get("status").asText());
        assertEquals(404, delete("/api/v1/decisions/" + id, ADMIN).status(), "already deleted");
        assertEquals(403, delete("/api/v1/decisions/" + other, READER).status());

        WebFixture.Answer allow = delete("/api/v1/decisions?ip=45.95.169.10&allow=1h", ADMIN);
        assertEquals(200, allow.status(), allow.body());
        assertEquals(1, allow.json().get("deleted").asInt());
        assertEquals("2026-11-01T02:00:00Z", allow.json().get("allowed_until").asText());
        WebFixture.Answer again = post("{\"scope\": \"45.95.169.10\"}", ADMIN);
        assertEquals(422, again.status(), "allowed for an hour");
        assertTrue(again.message().contains("allowed by an operator"), again.message());
        assertEquals(201, post("{\"scope\": \"45.95.169.10\", \"force\": true}", ADMIN).status(), "unless forced");
    }
}
