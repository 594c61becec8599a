package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static dev.threatip.gateway.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.policy.Policy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and hostile HTTP is answered or closed cleanly, and everyone else keeps being served. */
class GatewayHardeningTest {
    @TempDir
    Path dir;
    Origin origin;
    Gateway gw;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        origin = new Origin();
        gw = Gateway.start(Fixtures.settings(origin, dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofSeconds(10), Duration.ofSeconds(10)),
                Fixtures.reputation(dir), Policy.defaults(), null);
        port = gw.address().getPort();
    }

    @AfterEach
    void tearDown() {
        gw.close();
        origin.close();
    }

    void stillServing() throws Exception {
        assertEquals(200, get(Fixtures.client(), gw, "/still-there", SHOPPER, CHROME).statusCode());
    }

    @Test
    void truncatedRequest_thenClose_leavesGatewayServing() throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send("GET /products HTTP/1.1\r\nHost: shop.exa");
        }
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 100\r\n\r\nonly twenty bytes...");
        }
        stillServing();
        assertFalse(origin.seen.stream().anyMatch(x -> x.path().equals("/products")), "half a request is never forwarded");
    }

    @Test
    void oversizedAndInvalidHeaders_areAnsweredWithTheRightStatusAndClosed() throws Exception {
        String big = "x".repeat(20_000);
        expect("GET / HTTP/1.1\r\nHost: shop.example\r\nX-Big: " + big + "\r\n\r\n", "431");
        expect("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: shop.example\r\n\r\n", "414");
        expect("GET / HTTP/1.1\r\nHost: shop.example\r\nBad Header: x\r\n\r\n", "400");
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: shop.example\r\n");
        for (int i = 0; i < 150; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        expect(many.append("\r\n").toString(), "431");
        expect("POST /echo HTTP/1.1\r\nHost: shop.example\r\nTransfer-Encoding: gzip\r\n\r\n", "400");
        expect("GET / HTTP/1.1\r\nHost: shop.example\r\nHost: evil.example\r\n\r\n", "400");
        expect("GET / HTTP/1.1\r\n\r\n", "400"); // no Host
        expect("NOT HTTP AT ALL\r\n\r\n", "400");
        assertEquals(0, origin.requests.get(), "nothing malformed reaches the origin");
        stillServing();
    }

    @Test
    void contentLengthWithChunked_isReframed_soTheOriginSeesOneFramingOnly() throws Exception {
        // the smuggling classic: the gateway reads it as chunked (RFC 9112 §6.3) and re-frames it itself
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n"
                    + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
            String answer = c.readToClose();
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.endsWith("5 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), answer);
        }
        assertEquals(List.of("/echo"), origin.seen.stream().map(Origin.Seen::path).toList(), "nothing smuggled through");
        assertFalse(origin.last().headers().containsKey("Content-length"));
    }

    void expect(String request, String status) throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send(request);
            String answer = c.readToClose();
            assertTrue(answer.startsWith("HTTP/1.1 " + status), status + " expected, got: " + answer.lines().findFirst().orElse(""));
        }
    }

    @Test
    void slowlorisTrickle_isCutOffAtTheHeaderDeadline_whileOthersAreServed() throws Exception {
        try (RawHttp slow = new RawHttp(port, 5000)) {
            long start = System.nanoTime();
            slow.send("GET / HTTP/1.1\r\n");
            String rest = "Host: shop.example\r\nX-A: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n";
            boolean cut = false;
            for (int i = 0; i < rest.length() && !cut; i++) {
                try {
                    slow.send(rest.substring(i, i + 1));
                } catch (java.io.IOException e) {
                    cut = true;
                }
                if (i == 2) {
                    stillServing(); // others are served meanwhile
                }
                Thread.sleep(100);
            }
            String answer = slow.readToClose();
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(took < 4500, "cut off after " + took + " ms");
        }
        stillServing();
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder_andHopByHopHeadersRemoved() throws Exception {
        try (RawHttp c = new RawHttp(port, 5000)) {
            c.send("GET /first HTTP/1.1\r\nHost: shop.example\r\nX-Forwarded-For: " + SHOPPER + "\r\n\r\n"
                    + "GET /second HTTP/1.1\r\nHost: shop.example\r\nConnection: close, X-Hop\r\nX-Hop: secret\r\n"
                    + "Keep-Alive: timeout=5\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\nX-Threatip-Verdict: clean\r\n\r\n");
            String both = c.readToClose();
            assertEquals(2, RawHttp.count(both, "HTTP/1.1 200"), both);
        }
        assertEquals(List.of("/first", "/second"), origin.seen.stream().map(Origin.Seen::path).toList());
        var h = origin.lastHeaders();
        assertFalse(h.containsKey("X-hop"), h.toString());
        assertFalse(h.containsKey("Keep-alive"));
        assertFalse(h.containsKey("Proxy-authorization"));
        assertEquals(1, h.get("X-threatip-verdict").size(), "the client's forged verdict header is replaced");
    }

    @Test
    void untrustedPeer_forgedForwardedFor_isNotBelieved() throws Exception {
        gw.close();
        gw = Gateway.start(GatewaySettings.of(0, origin.uri()).withThreads(1),
                Fixtures.reputation(java.nio.file.Files.createDirectories(dir.resolve("r2"))),
                Policy.defaults(), null);
        // the client claims to be a shopper proxied for a known scanner: as an untrusted peer, it is only itself
        var r = get(Fixtures.client(), gw, "/", Fixtures.SCANNER_HIGH, CHROME);
        assertEquals(200, r.statusCode(), "127.0.0.1 is the client, and it is clean");
        assertEquals("127.0.0.1", origin.lastHeaders().get("X-forwarded-for").get(0));
    }

    @Test
    void webSocketUpgrade_passesThroughAsAByteTunnel() throws Exception {
        try (ServerSocket ws = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                try (Socket s = ws.accept()) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    String line;
                    boolean upgrade = false;
                    while ((line = r.readLine()) != null && !line.isEmpty()) {
                        upgrade |= line.equalsIgnoreCase("Upgrade: websocket");
                    }
                    OutputStream o = s.getOutputStream();
                    o.write(((upgrade ? "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n" : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
                            .getBytes(StandardCharsets.ISO_8859_1));
                    o.flush();
                    char[] buf = new char[64];
                    int n;
                    while ((n = r.read(buf)) > 0) {
                        o.write(("echo:" + new String(buf, 0, n)).getBytes(StandardCharsets.ISO_8859_1));
                        o.flush();
                    }
                } catch (java.io.IOException ignored) {
                    // the test closes
                }
            });
            echo.start();
            gw.close();
            gw = Gateway.start(GatewaySettings.of(0, java.net.URI.create("http://127.0.0.1:" + ws.getLocalPort())).withThreads(1),
                    null, Policy.defaults(), null);
            try (RawHttp c = new RawHttp(gw.address().getPort(), 5000)) {
                c.send("GET /chat HTTP/1.1\r\nHost: shop.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
                String head = c.readUntil("\r\n\r\n", 1);
                assertTrue(head.startsWith("HTTP/1.1 101"), head);
                c.send("hello");
                assertEquals("echo:hello", c.readUntil("echo:hello", 1));
                c.send("again");
                assertEquals("echo:again", c.readUntil("echo:again", 1));
            }
            echo.join(5000);
        }
    }
}
