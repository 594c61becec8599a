package dev.threatip.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A real {@link WebServer} on an ephemeral loopback port with the bouncer protocol over a real
 * DuckDB store, on a clock the test moves, and the decisions an edge would carry at
 * {@link #T0}: a scanner banned by an auto policy, a brute-forcer challenged by hand, an imported
 * botnet range, an IPv6 /64, plus one already expired, one deleted and one simulated — none of
 * those three may ever reach a bouncer.
 */
final class BouncerFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final TestClock clock = new TestClock(T0);
    final EventStore store;
    final DecisionStore decisions;
    final BouncerStore bouncers;
    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Decision scanner;
    final Decision brute;
    final Decision botnet;
    final Decision v6;
    final Decision expired;
    final Decision deleted;
    final Decision simulated;

    BouncerFixture(Path dir) {
        store = EventStore.open(dir.resolve("data"), clock);
        decisions = new DecisionStore(store);
        bouncers = new BouncerStore(store);
        scanner = decisions.add(decision("203.0.113.7", DecisionType.BAN, Duration.ofHours(4), "scanner high: probing-4xx",
                DecisionOrigin.AUTO, Category.SCANNER, Confidence.HIGH));
        brute = decisions.add(decision("198.51.100.23", DecisionType.CAPTCHA, Duration.ofMinutes(90),
                "brute_force moderate: login-fail", DecisionOrigin.MANUAL, Category.BRUTE_FORCE, Confidence.MODERATE));
        botnet = decisions.add(decision("192.0.2.0/24", DecisionType.BAN, Duration.ofDays(7), "imported: botnet C2 range",
                DecisionOrigin.IMPORT, null, null));
        v6 = decisions.add(decision("2001:db8:7::/64", DecisionType.BAN, Duration.ofHours(24), "web_attack high: sqli-probe",
                DecisionOrigin.AUTO, Category.WEB_ATTACK, Confidence.HIGH));
        expired = decisions.add(new Decision(0, Cidr.parse("203.0.113.99"), DecisionType.BAN, T0.minus(Duration.ofHours(2)),
                T0.minus(Duration.ofHours(1)), "scanner high: probing-4xx", DecisionOrigin.AUTO, "scanners", Category.SCANNER,
                Confidence.HIGH, 12, 1));
        deleted = decisions.add(decision("203.0.113.50", DecisionType.BAN, Duration.ofHours(4), "scanner high: lifted by hand",
                DecisionOrigin.AUTO, Category.SCANNER, Confidence.HIGH));
        decisions.delete(deleted.id(), T0);
        simulated = decisions.addSimulated(decision("203.0.113.60", DecisionType.BAN, Duration.ofHours(4),
                "scanner moderate: simulate only", DecisionOrigin.AUTO, Category.SCANNER, Confidence.MODERATE));
        server = WebServer.builder().port(0).store(store).tokens(ApiTokens.of(ADMIN, List.of(READER)))
                .clock(clock).build().start();
    }

    /** A decision made at the clock's now. */
    Decision decision(String scope, DecisionType type, Duration ttl, String reason, DecisionOrigin origin,
                      Category category, Confidence confidence) {
        Instant now = clock.instant();
        return new Decision(0, Cidr.parse(scope), type, now, now.plus(ttl), reason, origin,
                origin == DecisionOrigin.AUTO ? "default" : null, category, confidence, 10, 1);
    }

    /** A registered bouncer's key. */
    String key(String name) {
        String key = BouncerStore.newKey();
        bouncers.add(name, key);
        return key;
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    // ---------------------------------------------------------------- HTTP

    /** An answer: status, headers, body. */
    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** A bouncer's GET with its key (null: none). */
    Answer bouncer(String pathAndQuery, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery.substring(1)))
                .header("User-Agent", "crowdsec-firewall-bouncer/v0.0.31");
        if (key != null) {
            b.header(BouncerApi.KEY_HEADER, key);
        }
        return send(b.build());
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r);
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** An admin API call with a bearer token. */
    Answer api(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }
}
