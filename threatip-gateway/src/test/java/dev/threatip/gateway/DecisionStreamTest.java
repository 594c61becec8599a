package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.LiveDecision;
import dev.threatip.policy.Policy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bouncer-protocol pull client against a small real server speaking
 * {@code GET /v1/decisions/stream} as {@code serve} (and CrowdSec's LAPI) do.
 */
class DecisionStreamTest {
    static final String KEY = "f3b2c8e0d41a4c7fa9b0";
    @TempDir
    Path dir;
    HttpServer lapi;
    final List<String> queries = new CopyOnWriteArrayList<>();
    final AtomicInteger deltas = new AtomicInteger();
    /** Until set, deltas are empty: the operator has not lifted the ban yet. */
    final java.util.concurrent.atomic.AtomicBoolean lift = new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeEach
    void setUp() throws Exception {
        lapi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        lapi.createContext("/v1/decisions/stream", x -> {
            queries.add(x.getRequestURI().getQuery());
            String body;
            int status = 200;
            if (!KEY.equals(x.getRequestHeaders().getFirst("X-Api-Key"))) {
                status = 403;
                body = "{\"message\":\"access forbidden\"}";
            } else if (x.getRequestURI().getQuery().equals("startup=true")) {
                body = """
                        {"new":[{"duration":"3h59m58s","id":41,"origin":"manual","scenario":"manual ban","scope":"Ip","type":"ban",
                                 "value":"198.51.100.50"},
                                {"duration":"59m","id":42,"origin":"auto","scenario":"scanner high: probing-4xx","scope":"Range",
                                 "type":"captcha","value":"192.0.2.0/24"},
                                {"duration":"1h","id":43,"origin":"cscli","scenario":"geo","scope":"Country","type":"ban","value":"XX"},
                                {"duration":"-5s","id":44,"origin":"auto","scenario":"old","scope":"Ip","type":"ban","value":"198.51.100.77"}],
                         "deleted":[]}""";
            } else if (lift.get() && deltas.getAndIncrement() == 0) {
                body = """
                        {"new":null,"deleted":[{"duration":"-1s","id":41,"origin":"manual","scenario":"manual ban","scope":"Ip",
                                                "type":"ban","value":"198.51.100.50"}]}""";
            } else {
                body = "{\"new\":[],\"deleted\":[]}";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "application/json");
            x.sendResponseHeaders(status, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        lapi.start();
    }

    @AfterEach
    void tearDown() {
        lapi.stop(0);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + lapi.getAddress().getPort());
    }

    @Test
    void pull_startupThenDelta_addsAndRemovesDecisionsById() {
        lift.set(true);
        try (DecisionStream s = new DecisionStream(base(), KEY, Duration.ofSeconds(10), Clock.systemUTC())) {
            DecisionStream.Pull first = s.pull();
            assertTrue(first.succeeded(), first.problem());
            assertTrue(first.startup());
            assertEquals(2, first.active(), "the country decision is ignored, the expired one dropped");
            assertEquals(1, first.ignored());
            assertEquals(LiveDecision.BAN, s.lookup(IpAddress.parse("198.51.100.50")));
            assertEquals(LiveDecision.CAPTCHA, s.lookup(IpAddress.parse("192.0.2.200")));
            assertEquals(LiveDecision.NONE, s.lookup(IpAddress.parse("198.51.100.77")));
            assertEquals(LiveDecision.NONE, s.lookup(IpAddress.parse("198.51.100.51")));

            DecisionStream.Pull second = s.pull();
            assertFalse(second.startup());
            assertEquals(1, second.deleted());
            assertEquals(LiveDecision.NONE, s.lookup(IpAddress.parse("198.51.100.50")));
            assertEquals(LiveDecision.CAPTCHA, s.lookup(IpAddress.parse("192.0.2.1")));
        }
        assertEquals(List.of("startup=true", "startup=false"), queries);
    }

    @Test
    void pull_badKey_failsClearly_andKeepsWhatIsInForce() {
        try (DecisionStream s = new DecisionStream(base(), "wrong-key-0000000000", Duration.ofSeconds(10), Clock.systemUTC())) {
            DecisionStream.Pull p = s.pull();
            assertFalse(p.succeeded());
            assertTrue(p.problem().contains("403") && p.problem().contains("API key"), p.problem());
            assertTrue(s.pull().startup(), "a failed startup pull is retried as a startup pull");
        }
        try (DecisionStream s = new DecisionStream(URI.create("http://127.0.0.1:1"), KEY, Duration.ofSeconds(10), Clock.systemUTC())) {
            assertFalse(s.pull().succeeded());
            assertEquals(LiveDecision.NONE, s.lookup(IpAddress.parse("198.51.100.50")));
        }
    }

    @Test
    void gateway_enforcesPulledDecisions_banBlocksCaptchaChallenges() throws Exception {
        try (Origin origin = new Origin()) {
            DecisionStream s = new DecisionStream(base(), KEY, Duration.ofSeconds(1), Clock.systemUTC());
            Gateway gw = Gateway.start(Fixtures.settings(origin, dir), null, Policy.defaults(), s);
            try {
                for (int i = 0; i < 100 && s.active() < 2; i++) {
                    Thread.sleep(50); // the gateway started the stream: its startup pull
                }
                var ban = get(Fixtures.client(), gw, "/", "198.51.100.50", CHROME);
                assertEquals(403, ban.statusCode());
                assertEquals("block", ban.headers().firstValue("X-Threatip-Action").orElseThrow());
                var captcha = get(Fixtures.client(), gw, "/", "192.0.2.9", CHROME);
                assertEquals("managed_challenge", captcha.headers().firstValue("X-Threatip-Action").orElseThrow());
                // the stream's delta lifts the ban within a pull interval, connections untouched
                lift.set(true);
                long deadline = System.nanoTime() + 10_000_000_000L;
                int status = 403;
                while (status == 403 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    status = get(Fixtures.client(), gw, "/", "198.51.100.50", CHROME).statusCode();
                }
                assertEquals(200, status);
            } finally {
                gw.close();
            }
        }
    }

    @Test
    void goDurations_parseLapiForms() {
        assertEquals(Duration.ofHours(3).plusMinutes(59).plusSeconds(58), GoDurations.parse("3h59m58s"));
        assertEquals(Duration.ofMillis(1500), GoDurations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(-5), GoDurations.parse("-5s"));
        assertEquals(Duration.ofMinutes(90), GoDurations.parse("1.5h"));
        assertEquals(null, GoDurations.parse("soon"));
        assertEquals(null, GoDurations.parse("5x"));
    }
}
