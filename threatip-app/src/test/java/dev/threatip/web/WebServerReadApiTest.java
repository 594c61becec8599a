package dev.threatip.web;

import static dev.threatip.web.WebFixture.ADMIN;
import static dev.threatip.web.WebFixture.BENIGN;
import static dev.threatip.web.WebFixture.BRUTE;
import static dev.threatip.web.WebFixture.LISTED_UNSEEN;
import static dev.threatip.web.WebFixture.READER;
import static dev.threatip.web.WebFixture.SCANNER;
import static dev.threatip.web.WebFixture.TOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Auth, static files, errors and the read endpoints over stored traffic, through real HTTP. */
class WebServerReadApiTest {
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

    @Test
    void build_defaults_bindLoopbackOnly() {
        assertEquals("127.0.0.1", web.server.host());
        assertTrue(web.server.url().startsWith("http://127.0.0.1:" + web.server.port() + "/"), web.server.url());
    }

    @Test
    void api_withoutOrWithUnknownToken_answers401Json() {
        for (String token : new String[] {null, "not-a-token-at-all-xxxx", ADMIN + "x"}) {
            WebFixture.Answer a = web.get("/api/v1/stats", token);
            assertEquals(401, a.status(), a.body());
            assertEquals("unauthorized", a.code());
            assertTrue(a.header("WWW-Authenticate").startsWith("Bearer"), a.header("WWW-Authenticate"));
        }
        WebFixture.Answer unknownRoute = web.get("/api/v1/nope", null);
        assertEquals(401, unknownRoute.status(), "every /api/ call needs a token, even an unknown route");
        assertTrue(web.get("/api/v1/stats", null).message().contains("Authorization: Bearer"));
    }

    @Test
    void healthzAndStaticFiles_openWithoutToken() {
        WebFixture.Answer health = web.get("/healthz", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.json().get("status").asText());
        WebFixture.Answer index = web.get("/", null);
        assertEquals(200, index.status());
        assertTrue(index.header("Content-Type").startsWith("text/html"), index.header("Content-Type"));
        assertTrue(index.body().contains("threatip"), index.body());
        assertEquals("nosniff", index.header("X-Content-Type-Options"));
    }

    @Test
    void unknownRoute_answers404JsonNamingIt() {
        WebFixture.Answer a = web.get("/api/v1/nope", READER);
        assertEquals(404, a.status(), a.body());
        assertEquals("not_found", a.code());
        assertEquals("no such endpoint: GET /api/v1/nope", a.message());
        WebFixture.Answer page = web.get("/no-such-page.html", null);
        assertEquals(404, page.status());
        assertEquals("not_found", page.code());
    }

    @Test
    void stats_defaultWindow_countsSeededTraffic() {
        JsonNode s = web.ok("/api/v1/stats");
        assertEquals("2026-10-31T01:00:00Z", s.get("from").asText());
        assertEquals("2026-11-01T01:00:00Z", s.get("to").asText());
        assertEquals(20 + 5 + 3 + 60, s.get("requests").asLong());
        assertEquals(28, s.get("flagged_requests").asLong());
        assertEquals(3, s.get("flagged_ips").asLong());
        assertEquals(json("{\"brute_force\":1,\"network_proxy\":1,\"scanner\":1}"), s.get("by_category"));
        assertEquals(json("{\"high\":2,\"moderate\":1}"), s.get("by_confidence"));
        assertEquals(json("{\"high\":1,\"medium\":2}"), s.get("by_level"));
        assertEquals(json("{\"DE\":1,\"NL\":1,\"unknown\":1}"), s.get("by_country"));
        assertEquals(900, s.get("bucket_seconds").asLong());
        assertEquals(96, s.get("trend").size());
        long sum = 0;
        for (JsonNode p : s.get("trend")) {
            sum += p.get("requests").asLong();
        }
        assertEquals(88, sum);
    }

    @Test
    void stats_explicitWindow_usesMinuteBuckets() {
        JsonNode s = web.ok("/api/v1/stats?from=2026-11-01T00:00:00Z&to=2026-11-01T01:00:00%2B00:00");
        assertEquals(60, s.get("trend").size());
        JsonNode first = s.get("trend").get(0);
        assertEquals("2026-11-01T00:00:00Z", first.get("t").asText());
        assertEquals(21, first.get("requests").asLong());
        assertEquals(20, first.get("flagged_requests").asLong());
    }

    @Test
    void badParameters_answer400NamingParameterAndAllowedValues() {
        assertBad("/api/v1/stats?from=yesterday", "from: 'yesterday' is not an ISO-8601 time");
        assertBad("/api/v1/stats?from=2026-11-01T02:00:00Z&to=2026-11-01T01:00:00Z", "to: 2026-11-01T01:00:00Z must be after from");
        assertBad("/api/v1/ips?limit=0", "limit: 0 is out of range; allowed 1 to 1000");
        assertBad("/api/v1/ips?limit=1001", "limit: 1001 is out of range; allowed 1 to 1000");
        assertBad("/api/v1/ips?limit=ten", "limit: 'ten' is not a whole number; allowed 1 to 1000");
        assertBad("/api/v1/ips?offset=-1", "offset: -1 is out of range; allowed 0 or more");
        assertBad("/api/v1/ips?category=spam", "category: unknown value 'spam'; allowed: network_attack, exploit, web_attack, "
                + "brute_force, network_proxy, scanner, account_takeover, malicious_bot");
        assertBad("/api/v1/ips?confidence=certain", "confidence: unknown value 'certain'; allowed: general, moderate, high");
        assertBad("/api/v1/ips?level=critical", "level: unknown value 'critical'; allowed: low, medium, high");
        assertBad("/api/v1/ips?sort=country", "sort: unknown value 'country'; allowed: level, hits, last_seen, ip");
        assertBad("/api/v1/ips?order=up", "order: unknown value 'up'; allowed: asc, desc");
        assertBad("/api/v1/ips?q=1%27%20OR%201=1", "q: '1' OR 1=1' is not an address prefix");
        assertBad("/api/v1/ips?catgory=scanner", "unknown query parameter 'catgory'; this endpoint takes: category, confidence");
        assertBad("/api/v1/ips?level=high&level=low", "level: given 2 times; give it once");
        assertBad("/api/v1/ips/010.1.2.3", "ip: '010.1.2.3' is not an IPv4 or IPv6 address");
        assertBad("/api/v1/ips/not-an-ip/logs", "ip: 'not-an-ip' is not an IPv4 or IPv6 address");
        assertBad("/api/v1/hits?action=drop", "action: unknown value 'drop'; allowed: allow, monitor, js_challenge, "
                + "managed_challenge, block");
    }

    @Test
    void ips_defaultOrder_levelThenHitsWithCountryAndAsn() {
        JsonNode page = web.ok("/api/v1/ips");
        assertEquals(3, page.get("total").asLong());
        assertEquals(List.of(SCANNER.toString(), BRUTE.toString(), TOR.toString()), ips(page));
        JsonNode scanner = page.get("items").get(0);
        assertEquals("malicious", scanner.get("verdict").asText());
        assertEquals("high", scanner.get("level").asText());
        assertEquals(json("[{\"category\":\"scanner\",\"confidence\":\"high\",\"source\":\"behavior\","
                + "\"rules\":[\"probing-4xx\"],\"feeds\":[]}]"), scanner.get("categories"));
        assertEquals(20, scanner.get("hits").asLong());
        assertEquals("2026-11-01T00:00:19Z", scanner.get("last_seen").asText());
        assertEquals("NL", scanner.get("country").asText());
        assertEquals(json("{\"number\":64500,\"org\":\"Example Hosting B.V.\"}"), scanner.get("asn"));
        JsonNode tor = page.get("items").get(2);
        assertTrue(tor.get("country").isNull());
        assertTrue(tor.get("asn").isNull());
    }

    @Test
    void ips_filtersSortAndPaging_selectAndOrder() {
        assertEquals(List.of(BRUTE.toString()), ips(web.ok("/api/v1/ips?category=brute_force")));
        assertEquals(List.of(TOR.toString()), ips(web.ok("/api/v1/ips?category=network_proxy&confidence=high")));
        assertEquals(List.of(SCANNER.toString(), TOR.toString()), ips(web.ok("/api/v1/ips?confidence=high")));
        assertEquals(List.of(BRUTE.toString(), TOR.toString()), ips(web.ok("/api/v1/ips?level=medium")));
        assertEquals(List.of(TOR.toString()), ips(web.ok("/api/v1/ips?q=2001:DB8")));
        assertEquals(List.of(TOR.toString(), BRUTE.toString(), SCANNER.toString()), ips(web.ok("/api/v1/ips?sort=last_seen")));
        assertEquals(List.of(BRUTE.toString(), SCANNER.toString(), TOR.toString()), ips(web.ok("/api/v1/ips?sort=ip")));
        assertEquals(List.of(TOR.toString(), BRUTE.toString(), SCANNER.toString()),
                ips(web.ok("/api/v1/ips?sort=hits&order=asc")));
        JsonNode second = web.ok("/api/v1/ips?limit=1&offset=1&category=&q=");
        assertEquals(3, second.get("total").asLong());
        assertEquals(List.of(BRUTE.toString()), ips(second));
        assertEquals(0, web.ok("/api/v1/ips?offset=10").get("items").size());
    }

    @Test
    void profile_seenIp_mergesStoredAggregatesWithLookupFields() {
        JsonNode p = web.ok("/api/v1/ips/" + SCANNER);
        assertEquals(SCANNER.toString(), p.get("ip").asText());
        assertEquals("malicious", p.get("verdict").asText());
        assertEquals("high", p.get("level").asText());
        assertEquals("probing-4xx", p.get("categories").get(0).get("rules").get(0).asText());
        assertEquals(20, p.get("hits").asLong());
        assertEquals("2026-11-01T00:00:00Z", p.get("first_seen").asText());
        assertEquals("2026-11-01T00:00:19Z", p.get("last_seen").asText());
        assertEquals(json("[{\"path\":\"/.env\",\"count\":5},{\"path\":\"/.git/config\",\"count\":5},"
                + "{\"path\":\"/phpmyadmin/index.php\",\"count\":5},{\"path\":\"/wp-login.php\",\"count\":5}]"), p.get("top_paths"));
        assertEquals(json("{\"404\":20}"), p.get("statuses"));
        assertEquals(json("[\"Mozilla/5.0 zgrab/0.x\"]"), p.get("user_agents"));
        assertEquals(5, p.get("samples").size());
        assertTrue(p.get("samples").get(0).asText().startsWith("203.0.113.7 - - [01/Nov/2026:00:00:19 +0000] \"GET"),
                p.get("samples").get(0).asText());
        assertEquals(json("{\"country\":\"NL\",\"city\":\"Amsterdam\",\"lat\":52.37,\"lon\":4.89}"), p.get("geo"));
        assertEquals(64500, p.get("asn").get("number").asLong());
        assertEquals(json("[]"), p.get("decisions"));
        // lookup fields from the live index: not listed
        assertTrue(p.get("matched").isNull());
        assertTrue(p.has("tags") && p.has("explanation") && p.has("stale"), p.toString());
        assertFalse(p.get("stale").asBoolean());
    }

    @Test
    void profile_listedIp_explainsTheFeedMatch() {
        JsonNode p = web.ok("/api/v1/ips/2001:DB8:0:0::5");
        assertEquals(TOR.toString(), p.get("ip").asText());
        assertEquals(TOR.toString(), p.get("matched").asText());
        assertEquals("tor_exits", p.get("explanation").get("listings").get(0).get("feed").asText());
        assertEquals(3, p.get("hits").asLong());
        assertTrue(p.get("geo").isNull());
    }

    @Test
    void profile_listedButUnseen_answersLookupWithZeroHits() {
        JsonNode p = web.ok("/api/v1/ips/" + LISTED_UNSEEN);
        assertEquals("malicious", p.get("verdict").asText());
        assertEquals("network_proxy", p.get("categories").get(0).get("category").asText());
        assertEquals("intel", p.get("categories").get(0).get("source").asText());
        assertEquals(LISTED_UNSEEN.toString(), p.get("matched").asText());
        assertEquals(0, p.get("hits").asLong());
        assertEquals(0, p.get("top_paths").size());
        assertEquals(0, p.get("samples").size());
        assertEquals(json("[]"), p.get("decisions"));
    }

    @Test
    void profile_seenButClean_answersCleanWithItsTraffic() {
        JsonNode p = web.ok("/api/v1/ips/" + BENIGN);
        assertEquals("clean", p.get("verdict").asText());
        assertTrue(p.get("level").isNull());
        assertEquals(60, p.get("hits").asLong());
        assertEquals(json("{\"200\":60}"), p.get("statuses"));
    }

    @Test
    void profile_unknownIp_answers404() {
        WebFixture.Answer a = web.get("/api/v1/ips/192.0.2.200", READER);
        assertEquals(404, a.status());
        assertEquals("not_found", a.code());
        assertEquals("nothing is known about 192.0.2.200: no stored requests and no intel listing", a.message());
    }

    @Test
    void logs_pagedLatestFirst_withEveryField() {
        JsonNode page = web.ok("/api/v1/ips/" + BRUTE + "/logs?limit=2&offset=1");
        assertEquals(5, page.get("total").asLong());
        assertEquals(2, page.get("items").size());
        JsonNode e = page.get("items").get(0);
        assertEquals("2026-11-01T00:10:03Z", e.get("ts").asText());
        assertEquals("/var/log/nginx/access.log", e.get("source").asText());
        assertEquals(24, e.get("line").asLong());
        assertEquals("POST", e.get("method").asText());
        assertEquals("shop.example.com", e.get("host").asText());
        assertEquals("/login", e.get("path").asText());
        assertTrue(e.get("query").isNull());
        assertEquals(401, e.get("status").asInt());
        assertEquals(162, e.get("bytes").asLong());
        assertEquals("python-requests/2.31.0", e.get("user_agent").asText());
        assertTrue(e.get("referer").isNull());
        assertEquals("192.0.2.10 - - [01/Nov/2026:00:10:03 +0000] \"POST /login HTTP/1.1\" 401 162 \"-\" "
                + "\"python-requests/2.31.0\"", e.get("raw").asText());
        assertEquals("page=2", web.ok("/api/v1/ips/" + TOR + "/logs").get("items").get(0).get("query").asText());
        assertEquals(0, web.ok("/api/v1/ips/192.0.2.200/logs").get("total").asLong());
    }

    private static void assertBad(String path, String messageStart) {
        WebFixture.Answer a = web.get(path, READER);
        assertEquals(400, a.status(), path + ": " + a.body());
        assertEquals("bad_request", a.code());
        assertTrue(a.message().startsWith(messageStart), path + ": " + a.message());
        assertFalse(a.body().contains("Exception") || a.body().contains("\tat "), a.body());
    }

    private static List<String> ips(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("ip").asText()));
        return out;
    }

    private static JsonNode json(String text) {
        try {
            return WebFixture.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
