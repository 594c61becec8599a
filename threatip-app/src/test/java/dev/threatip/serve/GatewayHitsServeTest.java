package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.threatip.gateway.Gateway;
import dev.threatip.gateway.GatewaySettings;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.policy.EnforcementMode;
import dev.threatip.policy.Policy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge and the store together: a real gate in front of a real origin on loopback writes its
 * hit log, a real {@code serve} tails it, and the REST API lists the gate's actions as hits, with
 * the action and rule filters, the trend, the IP profile and the overview counting them.
 */
class GatewayHitsServeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCANNER_HIGH = "203.0.113.7";
    static final String SCANNER_MODERATE = "203.0.113.8";
    static final String SCRIPT = "198.51.100.9";
    static final String CRAWLER = "198.51.100.77";
    static final String SHOPPER = "198.51.100.23";
    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    @Test
    void gateHitLog_tailedByServe_listsActionsAsHits_filtersTrendProfileAndOverview() throws Exception {
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", x -> {
            x.getRequestBody().readAllBytes();
            byte[] b = "hello from the shop\n".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        origin.start();
        Path high = dir.resolve("scanners-high.txt");
        Files.writeString(high, "# scanners seen hitting many honeypots\n" + SCANNER_HIGH + "\n");
        Path moderate = dir.resolve("scanners-moderate.txt");
        Files.writeString(moderate, "# scanners seen a few times\n" + SCANNER_MODERATE + "\n");
        String highSpec = high + ",name=scanners_high,category=scanner,confidence=high";
        String moderateSpec = moderate + ",name=scanners_moderate,category=scanner,confidence=moderate";
        Path intel = dir.resolve("gate-intel.tis");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> feeds = new ArrayList<>(source.resolve(FeedSpec.parse(highSpec)));
        feeds.addAll(source.resolve(FeedSpec.parse(moderateSpec)));
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION))).compile(feeds, intel);
        Path policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, """
                rules:
                  - id: no-scripts
                    user_agent: [python-requests, Go-http-client]
                    action: block
                  - id: crawler-watch
                    user_agent: [Bytespider]
                    action: monitor
                """);
        Path hitLog = dir.resolve("gate-hits.log");
        Path yaml = dir.resolve("threatip.yaml");
        Files.writeString(yaml, """
                feeds: {specs: ["%s", "%s"], allow_special: [documentation]}
                inputs: {files: [%s], start_at: beginning}
                server: {port: 0, data_dir: data}
                """.formatted(highSpec, moderateSpec, hitLog));

        GatewaySettings settings = GatewaySettings.of(0, URI.create("http://127.0.0.1:" + origin.getAddress().getPort()))
                .withTrustedProxies(List.of(Cidr.parse("127.0.0.1/32"))).withHitLog(hitLog).withThreads(1);
        Policy policy = Policy.load(policyFile);
        String scriptRequestId;
        LiveReputation reputation = LiveReputation.open(intel, ReputationIndex.OpenOptions.defaults());
        try (ThreatipServer serve = new ThreatipServer(ServeConfig.load(yaml), Clock.systemUTC(), messages::add).start()) {
            try (Gateway gw = Gateway.start(settings, reputation, policy, null)) {
                assertEquals(403, send(gw, "/.env", SCANNER_HIGH, "Mozilla/5.0 zgrab/0.x").statusCode());
                assertEquals(403, send(gw, "/products/42", SCANNER_MODERATE, CHROME).statusCode());
                HttpResponse<String> script = send(gw, "/api/cart", SCRIPT, "python-requests/2.31.0");
                assertEquals(403, script.statusCode());
                scriptRequestId = script.headers().firstValue("X-Threatip-Request-Id").orElseThrow();
                assertEquals(200, send(gw, "/", SHOPPER, CHROME).statusCode());
                assertEquals(200, send(gw, "/robots.txt", CRAWLER, "Mozilla/5.0 (compatible; Bytespider)").statusCode());
                gw.swapPolicy(policy.withMode(EnforcementMode.MONITOR));
                assertEquals(200, send(gw, "/wp-login.php", SCANNER_HIGH, "Mozilla/5.0 zgrab/0.x").statusCode());
            }
            String token = serve.adminToken();
            JsonNode all = await(serve, token, "/api/v1/hits?source=gateway", n -> n.path("total").asLong() == 5);
            for (JsonNode h : all.path("items")) {
                assertEquals("gateway", h.path("source").asText(), h.toString());
                assertFalse(h.path("request_id").asText().isEmpty(), h.toString());
            }
            assertEquals(5, sum(all.path("trend"), "gateway"));

            JsonNode blocks = get(serve, token, "/api/v1/hits?action=block");
            assertEquals(3, blocks.path("total").asLong(), blocks.toString());
            JsonNode latest = blocks.path("items").get(0);
            assertEquals(SCANNER_HIGH, latest.path("ip").asText());
            assertEquals("/wp-login.php", latest.path("path").asText());
            assertFalse(latest.path("enforced").asBoolean(true), "monitor mode passed it");
            assertEquals(200, latest.path("status").asInt());
            assertEquals("scanner", latest.path("category").asText());
            assertEquals("high", latest.path("confidence").asText());

            JsonNode script = get(serve, token, "/api/v1/hits?rule=no-scripts");
            assertEquals(1, script.path("total").asLong(), script.toString());
            JsonNode s = script.path("items").get(0);
            assertEquals(SCRIPT, s.path("ip").asText());
            assertEquals("block", s.path("action").asText());
            assertTrue(s.path("category").isNull(), "a custom rule decides without a category");
            assertEquals(scriptRequestId, s.path("request_id").asText(), "the id the block page showed the visitor");
            assertEquals(403, s.path("status").asInt());
            assertTrue(s.path("enforced").asBoolean());

            assertEquals(SCANNER_MODERATE, get(serve, token, "/api/v1/hits?action=js_challenge").path("items").get(0)
                    .path("ip").asText());
            assertEquals(CRAWLER, get(serve, token, "/api/v1/hits?action=monitor").path("items").get(0).path("ip").asText());
            assertEquals(2, get(serve, token, "/api/v1/hits?source=gateway&category=scanner&confidence=high").path("total").asLong());
            assertEquals(0, get(serve, token, "/api/v1/hits?action=managed_challenge").path("total").asLong());

            JsonNode profile = get(serve, token, "/api/v1/ips/" + SCANNER_HIGH);
            JsonNode gate = profile.path("gateway");
            assertEquals(2, gate.path("hits").asLong(), profile.toString());
            assertEquals(2, gate.path("actions").path("block").asLong());
            assertEquals(1, gate.path("not_enforced").asLong());
            assertEquals("/wp-login.php", gate.path("last").path("path").asText());
            assertFalse(gate.path("last").path("enforced").asBoolean(true));

            JsonNode stats = get(serve, token, "/api/v1/stats");
            assertEquals(5, stats.path("requests").asLong(), "the gate's lines are still events: visits count");
            assertEquals(3, stats.path("by_gateway_action").path("block").asLong(), stats.toString());
            assertEquals(1, stats.path("by_gateway_action").path("js_challenge").asLong());
            assertEquals(1, stats.path("by_gateway_action").path("monitor").asLong());
            assertEquals(1, stats.path("gateway_not_enforced").path("block").asLong());

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base(serve) + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("threatip_ingest_gateway_hits_total{input=\"" + hitLog.toAbsolutePath().normalize()
                    + "\"} 5.0"), metrics.body());
        } finally {
            origin.stop(0);
        }
    }

    HttpResponse<String> send(Gateway gw, String path, String client, String ua) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.address().getPort() + path))
                .header("X-Forwarded-For", client).header("User-Agent", ua)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static long sum(JsonNode trend, String field) {
        long n = 0;
        for (JsonNode p : trend) {
            n += p.path(field).asLong();
        }
        return n;
    }

    static String base(ThreatipServer s) {
        return s.url().endsWith("/") ? s.url().substring(0, s.url().length() - 1) : s.url();
    }

    JsonNode get(ThreatipServer s, String token, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(s) + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode await(ThreatipServer s, String token, String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(s, token, path);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never got there; last answer " + last + "; log " + messages);
    }
}
