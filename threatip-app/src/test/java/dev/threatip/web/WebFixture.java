package dev.threatip.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.detect.Detection;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.AddressClass;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A real server on an ephemeral loopback port over a real DuckDB store and a compiled intel
 * snapshot, seeded with one hour of traffic from 2026-11-01T00:00Z:
 *
 * <ul>
 *   <li>{@link #SCANNER} 203.0.113.7 (NL, AS64500): 20 probes in the first 20 s, 404s, scanner:high,
 *       detection {@code probing-4xx};</li>
 *   <li>{@link #BRUTE} 192.0.2.10 (DE): 5 POST /login in minute 10, 401s, brute_force:moderate,
 *       detection {@code login-fail};</li>
 *   <li>{@link #TOR} 2001:db8::5 (no geo): 3 requests in minute 30, listed by the Tor exit feed,
 *       network_proxy:high from intel;</li>
 *   <li>{@link #BENIGN} 198.51.100.20: one request a minute, no profile;</li>
 *   <li>{@link #LISTED_UNSEEN} 198.51.100.99: in the Tor exit feed, never seen.</li>
 * </ul>
 */
final class WebFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant NOW = T0.plus(Duration.ofHours(1));
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";
    static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    static final IpAddress BRUTE = IpAddress.parse("192.0.2.10");
    static final IpAddress TOR = IpAddress.parse("2001:db8::5");
    static final IpAddress BENIGN = IpAddress.parse("198.51.100.20");
    static final IpAddress LISTED_UNSEEN = IpAddress.parse("198.51.100.99");
    static final Geo AMSTERDAM = new Geo("NL", "Amsterdam", 52.37, 4.89);
    static final Asn HOSTER = new Asn(64_500L, "Example Hosting B.V.");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    final EventStore store;
    final LiveReputation reputation;
    final PrometheusRegistry metrics = new PrometheusRegistry();
    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The fixture with the given ingest handler (may be null). */
    WebFixture(Path dir, IngestHandler ingest, FeedStatusSource feeds) throws IOException {
        store = EventStore.open(dir.resolve("data"), Clock.fixed(NOW, ZoneOffset.UTC));
        seed(store);
        reputation = LiveReputation.open(compileIntel(dir),
                ReputationIndex.OpenOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        server = WebServer.builder().port(0).store(store).reputation(reputation).tokens(ApiTokens.of(ADMIN, List.of(READER)))
                .metrics(metrics).ingest(ingest).feeds(feeds).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build().start();
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    /** A compiled snapshot: a Tor exit list naming {@link #TOR} and {@link #LISTED_UNSEEN}. */
    private static Path compileIntel(Path dir) throws IOException {
        Path tor = dir.resolve("tor-exit-nodes.lst");
        Files.writeString(tor, "# Tor exit nodes\n" + TOR + "\n" + LISTED_UNSEEN + "\n");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        FeedSource source = new FeedSource(dir.resolve("cache"), clock, FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> feeds = new ArrayList<>(source.resolve(FeedSpec.parse(tor + ",name=tor_exits")));
        Path out = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withClock(clock).withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(feeds, out);
        return out;
    }

    static AccessEvent event(Instant t, IpAddress ip, String method, String path, String query, int status, String ua) {
        String target = query == null ? path : path + "?" + query;
        String raw = ip + " - - [" + CLF.format(t) + "] \"" + method + " " + target + " HTTP/1.1\" " + status
                + " 162 \"-\" \"" + ua + "\"";
        return new AccessEvent(t, ip, method, "shop.example.com", path, query, status, 162, ua, null, raw);
    }

    private static void seed(EventStore store) {
        List<AccessEvent> events = new ArrayList<>();
        String[] probes = {"/.env", "/wp-login.php", "/.git/config", "/phpmyadmin/index.php"};
        for (int i = 0; i < 20; i++) {
            events.add(event(T0.plusSeconds(i), SCANNER, "GET", probes[i % 4], null, 404, "Mozilla/5.0 zgrab/0.x"));
        }
        for (int i = 0; i < 5; i++) {
            events.add(event(T0.plus(Duration.ofMinutes(10)).plusSeconds(i), BRUTE, "POST", "/login", null, 401,
                    "python-requests/2.31.0"));
        }
        for (int i = 0; i < 3; i++) {
            events.add(event(T0.plus(Duration.ofMinutes(30)).plusSeconds(i), TOR, "GET", "/products", "page=" + i, 200,
                    "Mozilla/5.0 (Windows NT 10.0; rv:109.0) Gecko/20100101 Firefox/115.0"));
        }
        for (int m = 0; m < 60; m++) {
            events.add(event(T0.plus(Duration.ofMinutes(m)), BENIGN, "GET", "/", null, 200,
                    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"));
        }
        long[] lines = new long[events.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i + 1;
        }
        store.appendEvents(events, "/var/log/nginx/access.log", lines);
        Verdict tor = new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.MEDIUM,
                List.of(new CategoryVerdict(Category.NETWORK_PROXY, Confidence.HIGH, CategoryVerdict.INTEL, List.of(),
                        List.of("tor_exits"))), List.of(), null, null, false, List.of());
        store.upsertProfiles(List.of(
                new ProfileUpdate(SCANNER, behavior(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "probing-4xx"),
                        20, T0, T0.plusSeconds(19), AMSTERDAM, HOSTER),
                new ProfileUpdate(BRUTE, behavior(ThreatLevel.MEDIUM, Category.BRUTE_FORCE, Confidence.MODERATE, "login-fail"),
                        5, T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(10)).plusSeconds(4),
                        new Geo("DE", null, null, null), null),
                new ProfileUpdate(TOR, tor, 3, T0.plus(Duration.ofMinutes(30)), T0.plus(Duration.ofMinutes(30)).plusSeconds(2))));
        store.appendDetections(List.of(
                new Detection("probing-4xx", Category.SCANNER, Confidence.HIGH, SCANNER.toString(), SCANNER, 20,
                        Duration.ofMinutes(5), T0.toEpochMilli(), T0.plusSeconds(19).toEpochMilli(), List.of(), List.of()),
                new Detection("login-fail", Category.BRUTE_FORCE, Confidence.MODERATE, BRUTE.toString(), BRUTE, 5,
                        Duration.ofMinutes(1), T0.plus(Duration.ofMinutes(10)).toEpochMilli(),
                        T0.plus(Duration.ofMinutes(10)).plusSeconds(4).toEpochMilli(), List.of(), List.of())));
    }

    private static Verdict behavior(ThreatLevel level, Category category, Confidence confidence, String rule) {
        return new Verdict(Verdict.Kind.MALICIOUS, level,
                List.of(new CategoryVerdict(category, confidence, "behavior", List.of(rule), List.of())),
                List.of(), null, null, false, List.of());
    }

    // ---------------------------------------------------------------- HTTP

    /** An answer: status, headers and body. */
    record Answer(int status, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + response.body(), e);
            }
        }

        String body() {
            return response.body();
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The error code of an error answer. */
        String code() {
            return json().path("error").path("code").asText();
        }

        String message() {
            return json().path("error").path("message").asText();
        }
    }

    Answer get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** A GET with the read-only token that must answer 200. */
    JsonNode ok(String path) {
        Answer a = get(path, READER);
        if (a.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + a.status() + ": " + a.body());
        }
        return a.json();
    }

    Answer post(String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
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
}
