package dev.threatip.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HitLineTest {
    private static final JsonFactory JSON = new JsonFactory();

    /** The hit log's former encoder (Jackson's generator, Instant.toString): the oracle. */
    private static String jackson(HitLog.Hit h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(h.timeMillis()).toString());
            g.writeStringField("client_ip", h.client().toString());
            g.writeStringField("method", h.method());
            g.writeStringField("host", h.host());
            g.writeStringField("path", h.path());
            if (h.query() != null && !h.query().isEmpty()) {
                g.writeStringField("query", h.query());
            }
            g.writeNumberField("status", h.status());
            g.writeStringField("user_agent", h.userAgent());
            g.writeStringField("rule", h.rule());
            if (h.category() != null) {
                g.writeStringField("category", h.category());
                g.writeStringField("confidence", h.confidence());
            }
            g.writeStringField("action", h.action());
            g.writeBooleanField("enforced", h.enforced());
            g.writeStringField("request_id", h.requestId());
            g.writeStringField("verdict", h.verdict());
            if (h.shared()) {
                g.writeBooleanField("shared", true);
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(HitLog.Hit... hits) {
        HitLine line = new HitLine();
        for (HitLog.Hit h : hits) {
            line.append(h);
        }
        return new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8);
    }

    private static HitLog.Hit block(long millis, String client, String path, String query, String ua) {
        return new HitLog.Hit(millis, IpAddress.parse(client), "GET", "shop.example", path, query, 403, ua, "reputation",
                "scanner", "high", "block", true, "4c1f0a9e2b7d3e61", "malicious", false);
    }

    @Test
    void scannerBlock_sameBytesAsJackson() throws IOException {
        HitLog.Hit h = block(Instant.parse("2026-11-23T21:50:01.532Z").toEpochMilli(), "203.0.113.7", "/.env", "", "zgrab/0.x");
        assertEquals(jackson(h), encode(h));
        assertEquals("{\"time\":\"2026-11-23T21:50:01.532Z\",\"client_ip\":\"203.0.113.7\",\"method\":\"GET\",\"host\":\"shop.example\","
                + "\"path\":\"/.env\",\"status\":403,\"user_agent\":\"zgrab/0.x\",\"rule\":\"reputation\",\"category\":\"scanner\","
                + "\"confidence\":\"high\",\"action\":\"block\",\"enforced\":true,\"request_id\":\"4c1f0a9e2b7d3e61\","
                + "\"verdict\":\"malicious\"}\n", encode(h));
    }

    @Test
    void monitorHitWithoutCategory_ipv6Shared_sameBytesAsJackson() throws IOException {
        HitLog.Hit h = new HitLog.Hit(Instant.parse("2026-01-02T03:04:05Z").toEpochMilli(), IpAddress.parse("2001:db8::17"), "POST",
                "api.example", "/login", "next=%2Fcart&x=1", 200, "curl/8.5.0", "login-burst", null, null, "monitor", false,
                "00000000000000ff", "clean", true);
        String ours = encode(h);
        assertEquals(jackson(h), ours);
        assertEquals("2026-01-02T03:04:05Z", new ObjectMapper().readTree(ours).get("time").asText(), "a whole second has no fraction");
    }

    @Test
    void hostileHeaderText_escapedAsJacksonDoes() throws IOException {
        String ua = "sqlmap/1.7\"}\\{\u0000\u0001\b\t\n\f\r\u001f\u007f caf\u00e9 \u20ac \ud83d\ude00 </script>";
        HitLog.Hit h = block(1_700_000_000_001L, "198.51.100.23", "/a\"b\\c", "q=\u00ff", ua);
        String ours = encode(h);
        assertEquals(jackson(h), ours);
        JsonNode n = new ObjectMapper().readTree(ours);
        assertEquals(ua, n.get("user_agent").asText());
        assertEquals("/a\"b\\c", n.get("path").asText());
    }

    @Test
    void loneSurrogate_escapedNotFailingTheBatch() throws IOException {
        HitLog.Hit h = block(1_700_000_000_000L, "192.0.2.1", "/", "", "bad \ud800 agent \udc00");
        String ours = encode(h);
        assertEquals(jackson(h), ours);
        assertTrue(ours.contains("\"user_agent\":\"bad \\uD800 agent \\uDC00\""), ours);
    }

    /** Random hits (times across seconds and years, every char class) against the oracle. */
    @Test
    void randomHits_sameBytesAsJackson() throws IOException {
        Random r = new Random(42);
        char[] pool = "aZ09/._-~%?=&;:@ \"\\\u0000\u0007\u001b\u007f\u0080\u00e9\u00ff\u0100\u07ff\u0800\u20ac\uffff".toCharArray();
        HitLine line = new HitLine();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            long millis = r.nextLong(0, 4_102_444_800_000L); // 1970 to 2100
            if (i % 7 == 0) {
                millis -= millis % 1000;
            }
            IpAddress client = r.nextBoolean() ? IpAddress.ofIpv4(r.nextInt()) : new IpAddress(r.nextLong(), r.nextLong());
            StringBuilder ua = new StringBuilder();
            for (int k = r.nextInt(40); k > 0; k--) {
                ua.append(pool[r.nextInt(pool.length)]);
            }
            if (r.nextInt(5) == 0) {
                ua.appendCodePoint(0x1F600 + r.nextInt(50));
            }
            HitLog.Hit h = new HitLog.Hit(millis, client, "GET", "h" + i + ".example", "/p/" + i, i % 3 == 0 ? "" : "q=" + i,
                    400 + r.nextInt(200), ua.toString(), "rule-" + i, i % 2 == 0 ? null : "scanner", i % 2 == 0 ? null : "moderate",
                    "managed_challenge", r.nextBoolean(), Long.toHexString(r.nextLong()), "suspicious", r.nextBoolean());
            line.append(h);
            expected.append(jackson(h));
        }
        assertEquals(expected.toString(), new String(line.bytes(), 0, line.length(), StandardCharsets.UTF_8));
    }
}
