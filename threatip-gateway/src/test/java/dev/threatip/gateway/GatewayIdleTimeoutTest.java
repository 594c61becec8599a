package dev.threatip.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.policy.Policy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP/1.1 idle timeout: quiet connections are closed, busy ones are not. */
class GatewayIdleTimeoutTest {
    private static final long IDLE_MILLIS = 400;
    private static final String GET = "GET /catalog HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: " + Fixtures.SHOPPER
            + "\r\nUser-Agent: " + Fixtures.CHROME + "\r\n\r\n";
    @TempDir
    Path dir;
    Origin origin;
    Gateway gw;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        origin = new Origin();
        gw = Gateway.start(Fixtures.settings(origin, dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(IDLE_MILLIS), Duration.ofSeconds(10)),
                null, Policy.defaults(), null);
        port = gw.address().getPort();
    }

    @AfterEach
    void tearDown() {
        gw.close();
        origin.close();
    }

    @Test
    void keptAliveConnectionLeftIdle_closedAfterIdleTimeout() throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send(GET);
            assertTrue(c.readUntil("HTTP/1.1 200", 1).startsWith("HTTP/1.1 200"));
            long answered = System.nanoTime();
            c.readToClose(); // the rest of the answer, then the gateway's close (a 5 s read timeout fails the test)
            long idle = (System.nanoTime() - answered) / 1_000_000;
            assertTrue(idle >= IDLE_MILLIS - 50 && idle < 3000, "closed after " + idle + " ms");
        }
    }

    @Test
    void requestsEveryFewHundredMillis_connectionOutlivesTheIdleTimeout() throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            for (int i = 0; i < 6; i++) { // 6 x 200 ms = 3 idle timeouts in all
                c.send(GET);
                assertEquals(1, RawHttp.count(c.readUntil("HTTP/1.1 200", 1), "HTTP/1.1 200"), "request " + i);
                Thread.sleep(IDLE_MILLIS / 2);
            }
            c.socket.setSoTimeout(100);
            assertFalse(c.closedByPeer(), "still open");
        }
        assertEquals(6, origin.requests.get());
    }

    @Test
    void requestBodyStalls_connectionClosedAfterIdleTimeout() throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 100\r\n\r\nonly twenty bytes...");
            long sent = System.nanoTime();
            String answer = c.readToClose();
            long waited = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(waited >= IDLE_MILLIS - 50 && waited < 3000, "closed after " + waited + " ms: " + answer);
            assertFalse(answer.startsWith("HTTP/1.1 200"), answer);
        }
    }
}
