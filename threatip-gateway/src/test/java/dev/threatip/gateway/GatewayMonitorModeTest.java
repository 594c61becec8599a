package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.SCANNER_HIGH;
import static dev.threatip.gateway.Fixtures.SCANNER_MODERATE;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static dev.threatip.gateway.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.LiveReputation;
import dev.threatip.policy.EnforcementMode;
import dev.threatip.policy.Policy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's rollout mode against a real origin on loopback: monitor decides, logs and tags
 * every request as enforce does but lets it through; a reload to enforce applies to the next
 * request on the same kept-alive connection.
 */
class GatewayMonitorModeTest {
    @TempDir
    Path dir;
    Origin origin;
    LiveReputation reputation;
    Gateway gw;
    HttpClient http = Fixtures.client();

    @BeforeEach
    void setUp() throws Exception {
        origin = new Origin();
        reputation = Fixtures.reputation(dir);
    }

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
        origin.close();
    }

    @Test
    void monitorMode_highConfidenceScannerReachesOrigin_loggedAsBlockNotEnforced() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "mode: monitor\n");
        Policy policy = Policy.load(file);
        assertEquals(EnforcementMode.MONITOR, policy.mode());
        gw = Gateway.start(Fixtures.settings(origin, dir), reputation, policy, null);

        HttpResponse<String> scanner = get(http, gw, "/.env", SCANNER_HIGH, "Mozilla/5.0 zgrab/0.x");
        assertEquals(200, scanner.statusCode());
        assertEquals("hello from the origin\n", scanner.body());
        String header = origin.lastHeaders().get("X-threatip-verdict").get(0);
        assertTrue(header.contains("categories=scanner:high; action=block; enforced=false; rule=reputation"), header);
        HttpResponse<String> moderate = get(http, gw, "/products/7", SCANNER_MODERATE, CHROME);
        assertEquals(200, moderate.statusCode(), "a challenge is not served either");
        assertTrue(origin.lastHeaders().get("X-threatip-verdict").get(0).contains("action=js_challenge; enforced=false"));
        assertEquals(200, get(http, gw, "/", SHOPPER, CHROME).statusCode());
        assertEquals("clean", origin.lastHeaders().get("X-threatip-verdict").get(0));

        Gateway.Stats stats = gw.stats();
        assertEquals(2, stats.notEnforced());
        assertEquals(0, stats.blocked());
        assertEquals(0, stats.challenged());
        assertEquals(3, origin.requests.get());

        gw.close();
        gw = null;
        List<String> lines = Files.readAllLines(dir.resolve("gate-hits.log"));
        assertEquals(2, lines.size(), lines.toString());
        JsonNode block = new ObjectMapper().readTree(lines.get(0));
        assertEquals("block", block.get("action").asText());
        assertFalse(block.get("enforced").asBoolean(true));
        assertEquals(200, block.get("status").asInt(), "the origin's answer, as for monitor");
        assertEquals(SCANNER_HIGH, block.get("client_ip").asText());
        assertEquals("reputation", block.get("rule").asText());
        JsonNode challenge = new ObjectMapper().readTree(lines.get(1));
        assertEquals("js_challenge", challenge.get("action").asText());
        assertFalse(challenge.get("enforced").asBoolean(true));
    }

    @Test
    void reloadFromMonitorToEnforce_blocksNextRequestOnTheSameConnection() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "mode: monitor\nmatrix: {scanner: {high: block}}\n");
        gw = Gateway.start(Fixtures.settings(origin, dir), reputation, Policy.load(file), null);
        try (RawHttp c = new RawHttp(gw.address().getPort(), 10_000)) {
            String request = "GET /wp-login.php HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: " + SCANNER_HIGH
                    + "\r\nUser-Agent: zgrab/0.x\r\n\r\n";
            c.send(request);
            assertTrue(readResponse(c).startsWith("HTTP/1.1 200"));

            Files.writeString(file, "mode: enforce\nmatrix: {scanner: {high: block}}\n");
            gw.swapPolicy(Policy.load(file));
            c.send(request);
            String blocked = readResponse(c);
            assertTrue(blocked.startsWith("HTTP/1.1 403"), blocked);

            // and back: the connection is still the same one and still open
            gw.swapPolicy(Policy.load(file).withMode(EnforcementMode.MONITOR));
            c.send(request);
            assertTrue(readResponse(c).startsWith("HTTP/1.1 200"));
        }
        gw.close();
        gw = null;
        List<Boolean> enforced = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("gate-hits.log"))) {
            JsonNode hit = new ObjectMapper().readTree(line);
            assertEquals("block", hit.get("action").asText());
            enforced.add(hit.get("enforced").asBoolean());
        }
        assertEquals(List.of(false, true, false), enforced);
    }

    /** One response with a Content-Length body, read off a kept-alive connection. */
    static String readResponse(RawHttp c) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = c.in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = c.in.readNBytes(length);
        return h + new String(body, StandardCharsets.UTF_8);
    }
}
