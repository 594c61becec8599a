package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/bouncers}: what {@code threatip bouncers} uses while {@code serve} holds the store. */
class BouncerKeysApiTest {
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
    void add_answersTheKeyOnce_andItOpensTheBouncerProtocol() {
        BouncerFixture.Answer a = f.api("POST", "/api/v1/bouncers", BouncerFixture.ADMIN, "{\"name\": \"fw-edge-1\"}");
        assertEquals(201, a.status(), a.body());
        JsonNode added = a.json();
        assertEquals("fw-edge-1", added.get("name").asText());
        assertEquals("2026-11-01T00:00:00Z", added.get("created").asText());
        assertTrue(added.get("key_generated").asBoolean());
        String key = added.get("key").asText();
        assertEquals(43, key.length());
        assertEquals(4, f.bouncer("/v1/decisions/stream?startup=true", key).json().get("new").size());

        JsonNode list = f.api("GET", "/api/v1/bouncers", BouncerFixture.READER, null).json();
        assertEquals(1, list.get("total").asInt());
        JsonNode item = list.get("items").get(0);
        assertEquals("fw-edge-1", item.get("name").asText());
        assertEquals("2026-11-01T00:00:00Z", item.get("last_pull").asText());
        assertEquals("crowdsec-firewall-bouncer/v0.0.31", item.get("user_agent").asText());
        assertFalse(item.has("key"), "a key is never listed");
        assertFalse(list.toString().contains(key));
    }

    @Test
    void add_withTheOperatorsKey_andConflicts() {
        String key = "from-ansible-vault-0123456789";
        BouncerFixture.Answer a = f.api("POST", "/api/v1/bouncers", BouncerFixture.ADMIN,
                "{\"name\": \"haproxy-1\", \"key\": \"" + key + "\"}");
        assertEquals(201, a.status());
        assertFalse(a.json().get("key_generated").asBoolean());
        assertEquals(200, f.bouncer("/v1/decisions?ip=203.0.113.7", key).status());
        BouncerFixture.Answer again = f.api("POST", "/api/v1/bouncers", BouncerFixture.ADMIN, "{\"name\": \"haproxy-1\"}");
        assertEquals(409, again.status());
        assertEquals("conflict", again.json().get("error").get("code").asText());
        assertEquals(409, f.api("POST", "/api/v1/bouncers", BouncerFixture.ADMIN,
                "{\"name\": \"haproxy-2\", \"key\": \"" + key + "\"}").status(), "same key, other name");
    }

    @Test
    void add_refusesBadBodies_naming_theProblem() {
        String[][] cases = {
            {"{}", "name: missing; give the bouncer a name, e.g. {\"name\": \"fw-edge-1\"}"},
            {"{\"name\": \"fw 1\"}", "bouncer name 'fw 1' has characters other than letters, digits and . _ @ - (or does not start with a letter or digit)"},
            {"{\"name\": \"fw-1\", \"ttl\": 3}", "unknown member 'ttl'; a bouncer takes: key, name"},
            {"{\"name\": 7}", "name: must be a string"},
            {"[\"fw-1\"]", "the body must be a JSON object, e.g. {\"name\": \"fw-edge-1\"}"},
            {"name=fw-1", "the body is not JSON; send {\"name\": \"fw-edge-1\"}"},
            {"{\"name\": \"fw-1\", \"key\": \"short\"}", "a bouncer key needs at least 16 characters; this one has 5"},
        };
        for (String[] c : cases) {
            BouncerFixture.Answer a = f.api("POST", "/api/v1/bouncers", BouncerFixture.ADMIN, c[0]);
            assertEquals(400, a.status(), c[0]);
            assertEquals(c[1], a.json().get("error").get("message").asText(), c[0]);
        }
        assertEquals(0, f.bouncers.list().size());
    }

    @Test
    void writes_needTheAdminToken() {
        assertEquals(401, f.api("GET", "/api/v1/bouncers", null, null).status());
        assertEquals(403, f.api("POST", "/api/v1/bouncers", BouncerFixture.READER, "{\"name\": \"fw-1\"}").status());
        f.key("fw-1");
        assertEquals(403, f.api("DELETE", "/api/v1/bouncers/fw-1", BouncerFixture.READER, null).status());
        assertEquals(1, f.bouncers.list().size());
    }

    @Test
    void delete_revokesTheKey_andAnUnknownNameIs404() {
        String key = f.key("cloudflare");
        assertEquals(200, f.bouncer("/v1/decisions/stream?startup=true", key).status());
        BouncerFixture.Answer d = f.api("DELETE", "/api/v1/bouncers/cloudflare", BouncerFixture.ADMIN, null);
        assertEquals(200, d.status());
        assertEquals("{\"deleted\":\"cloudflare\"}", d.body());
        assertEquals(403, f.bouncer("/v1/decisions/stream", key).status());
        BouncerFixture.Answer again = f.api("DELETE", "/api/v1/bouncers/cloudflare", BouncerFixture.ADMIN, null);
        assertEquals(404, again.status());
        assertEquals("no bouncer named 'cloudflare'", again.json().get("error").get("message").asText());
    }
}
