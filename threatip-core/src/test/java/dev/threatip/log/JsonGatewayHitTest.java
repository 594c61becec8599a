package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The JSON-lines format reads threatip gate's decision members, and only from lines that carry them. */
class JsonGatewayHitTest {
    final LineParser parser = JsonLinesFormat.defaults().newParser();
    final LineFields f = new LineFields();

    LineParser.Outcome parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        f.reset();
        return parser.parse(b, 0, b.length, f);
    }

    @Test
    void parse_gateHitLine_fillsDecisionMembersAndTheRequest() {
        assertEquals(LineParser.Outcome.EVENT, parse("{\"time\":\"2026-11-23T21:50:01.532Z\",\"client_ip\":\"203.0.113.7\","
                + "\"method\":\"GET\",\"host\":\"shop.example\",\"path\":\"/.env\",\"status\":403,\"user_agent\":\"zgrab/0.x\","
                + "\"rule\":\"reputation\",\"category\":\"scanner\",\"confidence\":\"high\",\"action\":\"block\","
                + "\"enforced\":true,\"request_id\":\"4c1f0a9e2b7d3e61\",\"verdict\":\"malicious\"}"));
        assertEquals("reputation", f.hitRule.asString());
        assertEquals("scanner", f.hitCategory.asString());
        assertEquals("high", f.hitConfidence.asString());
        assertEquals("block", f.hitAction.asString());
        assertEquals("4c1f0a9e2b7d3e61", f.hitRequestId.asString());
        assertEquals(1, f.hitEnforced);
        assertEquals(403, f.status);
        assertEquals("/.env", f.path.asString());
        assertEquals("shop.example", f.host.asString());
    }

    @Test
    void parse_monitorModeHit_enforcedFalse_customRuleWithoutCategory() {
        assertEquals(LineParser.Outcome.EVENT, parse("{\"time\":\"2026-11-23T21:50:02Z\",\"client_ip\":\"198.51.100.9\","
                + "\"method\":\"POST\",\"host\":\"shop.example\",\"path\":\"/login\",\"status\":200,\"user_agent\":\"python-requests/2.31\","
                + "\"rule\":\"no-scripts\",\"action\":\"block\",\"enforced\":false,\"request_id\":\"00a1\",\"verdict\":\"clean\"}"));
        assertEquals("no-scripts", f.hitRule.asString());
        assertTrue(f.hitCategory.isEmpty());
        assertTrue(f.hitConfidence.isEmpty());
        assertEquals(0, f.hitEnforced);
        assertEquals(200, f.status);
    }

    @Test
    void parse_ordinaryJsonLines_leaveDecisionMembersEmpty_evenWithLookalikeNamesNested() {
        assertEquals(LineParser.Outcome.EVENT, parse("{\"remote_addr\":\"192.0.2.10\",\"request\":\"GET /cart HTTP/1.1\","
                + "\"status\":200,\"app\":{\"action\":\"checkout\",\"rule\":\"x\"},\"enforced\":true}"));
        assertTrue(f.hitAction.isEmpty(), "only top-level members are the gate's");
        assertTrue(f.hitRule.isEmpty());
        assertEquals(LineFields.NONE, f.hitEnforced, "enforced without action is not read");
        assertEquals("/cart", f.path.asString());

        // a string "enforced" and a boolean status are not misread as each other
        assertEquals(LineParser.Outcome.EVENT, parse("{\"client_ip\":\"192.0.2.11\",\"status\":true,\"action\":\"login\","
                + "\"enforced\":\"no\"}"));
        assertEquals("login", f.hitAction.asString(), "read as given; the store decides whether it is a gate action");
        assertEquals(LineFields.NONE, f.hitEnforced);
        assertEquals(LineFields.NONE, f.status);
    }
}
