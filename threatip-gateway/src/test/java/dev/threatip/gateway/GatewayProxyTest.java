package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.SCANNER_HIGH;
import static dev.threatip.gateway.Fixtures.SCANNER_MODERATE;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static dev.threatip.gateway.Fixtures.get;
import static dev.threatip.gateway.Fixtures.url;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.LiveReputation;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatChoice;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormats;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Policy;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in front of a real origin on loopback, with a snapshot compiled from feeds. */
class GatewayProxyTest {
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

    Gateway start(Policy policy) throws Exception {
        gw = Gateway.start(Fixtures.settings(origin, dir), reputation, policy, null);
        return gw;
    }

    Policy policy(String yaml) throws Exception {
        Path f = dir.resolve("policy-" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return Policy.load(f);
    }

    @Test
    void cleanClient_largeAndChunkedBodies_passIntactOverKeptAliveConnections() throws Exception {
        start(Policy.defaults());
        byte[] upload = new byte[6 * 1024 * 1024 + 17];
        new Random(42).nextBytes(upload);
        // a fixed-length upload and a chunked one (unknown length)
        HttpResponse<String> fixed = http.send(HttpRequest.newBuilder(url(gw, "/echo")).header("X-Forwarded-For", SHOPPER)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
        String want = upload.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload));
        assertEquals(200, fixed.statusCode());
        assertEquals(want, fixed.body());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(url(gw, "/echo")).header("X-Forwarded-For", SHOPPER)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(upload))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(want, chunked.body());
        assertEquals("chunked", origin.lastHeaders().get("Transfer-encoding").get(0));

        // a chunked download of 5 MB streams back intact
        int n = 5 * 1024 * 1024 + 3;
        HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(url(gw, "/bytes?n=" + n))
                .header("X-Forwarded-For", SHOPPER).build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] got;
        try (InputStream in = down.body()) {
            got = in.readAllBytes();
        }
        assertEquals(n, got.length);
        byte[] block = Origin.pattern(65536);
        for (int i = 0; i < n; i += 65536) {
            int len = Math.min(65536, n - i);
            assertArrayEquals(java.util.Arrays.copyOf(block, len), java.util.Arrays.copyOfRange(got, i, i + len), "block at " + i);
        }

        // many small requests reuse pooled origin connections
        for (int i = 0; i < 30; i++) {
            assertEquals("hello from the origin\n", get(http, gw, "/products/" + i, SHOPPER, CHROME).body());
        }
        assertTrue(origin.ports.size() <= 6, "origin connections: " + origin.ports.size());
        var h = origin.lastHeaders();
        assertEquals(SHOPPER + ", 127.0.0.1", h.get("X-forwarded-for").get(0));
        assertEquals("http", h.get("X-forwarded-proto").get(0));
        assertEquals("clean", h.get("X-threatip-verdict").get(0));
        assertEquals(0, gw.stats().blocked());
    }

    @Test
    void highConfidenceScanner_blocked403WithRequestId_loggedForServe() throws Exception {
        start(Policy.defaults());
        HttpResponse<String> r = get(http, gw, "/.env", SCANNER_HIGH, "Mozilla/5.0 zgrab/0.x");
        assertEquals(403, r.statusCode());
        String id = r.headers().firstValue("X-Threatip-Request-Id").orElseThrow();
        assertTrue(r.body().contains(id), r.body());
        assertEquals(0, origin.requests.get(), "a blocked request never reaches the origin");

        gw.close();
        gw = null;
        List<String> lines = Files.readAllLines(dir.resolve("gate-hits.log"));
        assertEquals(1, lines.size(), lines.toString());
        JsonNode hit = new ObjectMapper().readTree(lines.get(0));
        assertEquals("reputation", hit.get("rule").asText());
        assertEquals("scanner", hit.get("category").asText());
        assertEquals("high", hit.get("confidence").asText());
        assertEquals("block", hit.get("action").asText());
        assertEquals(SCANNER_HIGH, hit.get("client_ip").asText());
        assertEquals("/.env", hit.get("path").asText());
        assertEquals(403, hit.get("status").asInt());
        assertEquals(id, hit.get("request_id").asText());

        // serve --format auto (and json) reads it like any access log
        FormatChoice choice = LogFormats.detect(lines, null);
        assertEquals("json", choice.format().name(), choice.reason());
        LineFields f = new LineFields();
        byte[] line = lines.get(0).getBytes(StandardCharsets.UTF_8);
        assertEquals(LineParser.Outcome.EVENT, choice.format().newParser().parse(line, 0, line.length, f));
        assertTrue(ClientIpResolver.direct().resolve(f));
        assertEquals(IpAddress.parse(SCANNER_HIGH), new IpAddress(f.clientHi, f.clientLo));
        assertEquals(403, f.status);
        assertEquals("/.env", f.path.asString());
        assertEquals("GET", f.method.asString());
    }

    @Test
    void moderateScanner_getsChallengePage_clientWithoutJavaScriptNeverReachesOrigin() throws Exception {
        start(Policy.defaults());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = get(http, gw, "/products/42", SCANNER_MODERATE, "curl/8.5.0");
            assertEquals(403, r.statusCode());
            assertEquals("js_challenge", r.headers().firstValue("X-Threatip-Action").orElseThrow());
            assertTrue(r.body().contains("Checking your browser"), r.body());
        }
        // a made-up answer or a forged cookie gets nowhere
        HttpResponse<String> forged = get(http, gw, "/.threatip/verify?c=v1.9999999999.2.8.00.AAAA&n=1&r=/", SCANNER_MODERATE, "curl/8.5.0");
        assertEquals(403, forged.statusCode());
        HttpResponse<String> cookie = http.send(HttpRequest.newBuilder(url(gw, "/products/42"))
                .header("X-Forwarded-For", SCANNER_MODERATE).header("Cookie", "threatip_clearance=9999999999.2.AAAAAAAAAAAAAAAAAAAAAA")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, cookie.statusCode());
        assertEquals(0, origin.requests.get());
        assertEquals(4, gw.stats().challenged(), gw.stats().toString());
        assertEquals(1, gw.stats().rejected(), "the forged answer");
    }

    @Test
    void challenge_solvedLikeTheBrowserDoes_setsBoundCookieThatPassesOnlyItsOwner() throws Exception {
        start(Policy.defaults());
        HttpResponse<String> page = get(http, gw, "/cart?x=1", SCANNER_MODERATE, CHROME);
        String challenge = between(page.body(), "var CHALLENGE = \"", "\"");
        int difficulty = Integer.parseInt(between(page.body(), "DIFFICULTY = ", ","));
        int nonce = 0;
        while (Clearance.leadingZeroBits(Clearance.sha256(challenge + nonce)) < difficulty) {
            nonce++;
        }
        HttpResponse<String> verified = get(http, gw, "/.threatip/verify?c=" + challenge + "&n=" + nonce + "&r=%2Fcart%3Fx%3D1",
                SCANNER_MODERATE, CHROME);
        assertEquals(303, verified.statusCode());
        assertEquals("/cart?x=1", verified.headers().firstValue("Location").orElseThrow());
        String setCookie = verified.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains("httponly") && setCookie.contains("SameSite=Lax"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> pass = http.send(HttpRequest.newBuilder(url(gw, "/cart?x=1")).header("X-Forwarded-For", SCANNER_MODERATE)
                .header("User-Agent", CHROME).header("Cookie", "theme=dark; " + cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pass.statusCode());
        assertTrue(origin.lastHeaders().get("X-threatip-verdict").get(0).contains("challenge=passed"));
        // the same cookie from another address or another agent is refused
        HttpResponse<String> stolen = http.send(HttpRequest.newBuilder(url(gw, "/cart")).header("X-Forwarded-For", "203.0.113.99")
                .header("User-Agent", CHROME).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stolen.statusCode(), "203.0.113.99 is clean: no challenge at all");
        HttpResponse<String> otherAgent = http.send(HttpRequest.newBuilder(url(gw, "/cart")).header("X-Forwarded-For", SCANNER_MODERATE)
                .header("User-Agent", "python-requests/2.31.0").header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, otherAgent.statusCode());
        assertEquals(1, origin.requests.get() - 1, "only the cleared request and the clean one reached the origin");
        // open redirects are refused
        assertEquals("/", Frontend.safeReturn("//evil.example/"));
        assertEquals("/", Frontend.safeReturn("https://evil.example/"));
    }

    @Test
    void exceptionRule_letsScannerReachHealthCheck_butNothingElse() throws Exception {
        start(policy("""
                exceptions:
                  - id: health-checks
                    path: /healthz
                    method: [GET, HEAD]
                    skip: all
                """));
        HttpResponse<String> health = get(http, gw, "/healthz", SCANNER_HIGH, "kube-probe/1.29");
        assertEquals(200, health.statusCode());
        assertEquals("hello from the origin\n", health.body());
        assertEquals(403, get(http, gw, "/admin", SCANNER_HIGH, "kube-probe/1.29").statusCode());
    }

    @Test
    void customRateRule_answers429AfterTheThreshold() throws Exception {
        start(policy("""
                rules:
                  - id: login-flood
                    path: /login
                    rate: {requests: 5, per: 1m}
                    action: block
                    status: 429
                """));
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            int s = get(http, gw, "/login", SHOPPER, CHROME).statusCode();
            if (s == 200) {
                ok++;
            } else if (s == 429) {
                limited++;
            }
        }
        assertEquals(5, ok);
        assertEquals(3, limited);
        assertEquals(200, get(http, gw, "/login", "198.51.100.24", CHROME).statusCode(), "another client has its own bucket");
    }

    @Test
    void policyReload_midTraffic_losesNoRequest() throws Exception {
        Policy strict = policy("matrix: {scanner: {moderate: block}}\n");
        Policy lenient = policy("matrix: {scanner: {moderate: monitor}}\n");
        start(lenient);
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger unexpected = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> clients = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            clients.add(pool.submit(() -> {
                HttpClient c = Fixtures.client();
                for (int i = 0; i < 60; i++) {
                    String who = (i + id) % 2 == 0 ? SHOPPER : SCANNER_MODERATE;
                    HttpResponse<String> r = get(c, gw, "/p/" + i, who, CHROME);
                    answered.incrementAndGet();
                    boolean fine = who.equals(SHOPPER) ? r.statusCode() == 200 : r.statusCode() == 200 || r.statusCode() == 403;
                    if (!fine) {
                        unexpected.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread swapper = new Thread(() -> {
            for (int i = 0; run.get(); i++) {
                gw.swapPolicy(i % 2 == 0 ? strict : lenient);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        swapper.start();
        for (Future<?> f : clients) {
            f.get();
        }
        run.set(false);
        swapper.join();
        pool.shutdown();
        assertEquals(240, answered.get());
        assertEquals(0, unexpected.get());
        assertTrue(gw.stats().blocked() > 0 && gw.stats().monitored() > 0, gw.stats().toString());
        assertEquals(0, gw.stats().upstreamErrors());
    }

    @Test
    void originDown_answers502_andGatewayKeepsServing() throws Exception {
        start(Policy.defaults());
        origin.close();
        HttpResponse<String> r = get(http, gw, "/", SHOPPER, CHROME);
        assertEquals(502, r.statusCode());
        assertFalse(r.body().isEmpty());
        assertEquals(403, get(http, gw, "/", SCANNER_HIGH, CHROME).statusCode(), "blocks need no origin");
        origin = new Origin(); // for tearDown
    }

    static String between(String s, String from, String to) {
        int a = s.indexOf(from) + from.length();
        return s.substring(a, s.indexOf(to, a));
    }
}
