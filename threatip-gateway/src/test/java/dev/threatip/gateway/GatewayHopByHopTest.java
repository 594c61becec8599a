package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.policy.Policy;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hop-by-hop headers, those a Connection header names included, never reach the origin. */
class GatewayHopByHopTest {
    @TempDir
    Path dir;
    Origin origin;
    Gateway gw;

    @BeforeEach
    void setUp() throws Exception {
        origin = new Origin();
        gw = Gateway.start(Fixtures.settings(origin, dir), null, Policy.defaults(), null);
    }

    @AfterEach
    void tearDown() {
        gw.close();
        origin.close();
    }

    private Map<String, List<String>> forward(String headers) throws Exception {
        try (RawHttp c = new RawHttp(gw.address().getPort(), 5000)) {
            c.send("GET /account HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: " + CHROME + "\r\n" + headers + "\r\n");
            assertTrue(c.readUntil("HTTP/1.1 200", 1).startsWith("HTTP/1.1 200"));
        }
        return origin.lastHeaders();
    }

    @Test
    void hopByHopAndConnectionNamedHeaders_removed_endToEndHeadersKept() throws Exception {
        var h = forward("X-Forwarded-For: " + SHOPPER + "\r\nConnection: keep-alive, X-Session-Hop ,Proxy-Thing\r\n"
                + "Connection: x-second-hop\r\nX-Session-Hop: 1\r\nProxy-Thing: 2\r\nX-Second-Hop: 3\r\nKeep-Alive: timeout=5\r\n"
                + "TE: trailers\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Threatip-Verdict: clean; forged\r\n"
                + "Accept-Language: de-CH\r\n");
        for (String gone : List.of("X-session-hop", "Proxy-thing", "X-second-hop", "Keep-alive", "Te", "Proxy-authorization", "Connection")) {
            assertFalse(h.containsKey(gone), gone + " reached the origin: " + h);
        }
        assertEquals(List.of("de-CH"), h.get("Accept-language"));
        assertEquals(List.of("clean"), h.get("X-threatip-verdict"), "the gateway's own verdict, not the forged one");
        assertEquals(List.of(SHOPPER + ", 127.0.0.1"), h.get("X-forwarded-for"));
    }

    @Test
    void connectionNamingXForwardedFor_proxyChainNotForwarded() throws Exception {
        var h = forward("X-Forwarded-For: " + SHOPPER + "\r\nConnection: X-Forwarded-For\r\n");
        assertEquals(List.of("127.0.0.1"), h.get("X-forwarded-for"), "only the peer, as when the header was absent");
    }

    @Test
    void removeConnectionNamed_keepsOptionsAndUpgradeWhenAsked() {
        HttpHeaders h = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        h.add("Connection", "Keep-Alive").add("connection", "close");
        h.add("X-A", "1");
        assertFalse(Frontend.removeConnectionNamed(h, true), "options name no header");
        assertEquals("1", h.get("X-A"));

        h.add("Connection", ",upgrade ,\tX-A\t,,x-a");
        h.add("Upgrade", "websocket");
        assertTrue(Frontend.removeConnectionNamed(h, true));
        assertNull(h.get("X-A"));
        assertEquals("websocket", h.get("Upgrade"), "kept for a WebSocket upgrade");
        assertTrue(Frontend.removeConnectionNamed(h, false));
        assertNull(h.get("Upgrade"));
        assertFalse(Frontend.removeConnectionNamed(DefaultHttpHeadersFactory.headersFactory().newHeaders(), false));
    }
}
