package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} end to end: a tailed file and HTTP ingest in, the REST API and metrics out, a restart keeps it all. */
class ThreatipServerTest {
    static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LISTED = "45.155.205.233";
    static final String SHOPPER = "81.2.69.160";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    static String line(String ip, Instant t, String path, int status) {
        return ip + " - - [" + CLF.format(t) + "] \"GET " + path + " HTTP/1.1\" " + status
                + " 512 \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\"\n";
    }

    private ServeConfig config(Path log) throws IOException {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "# ipsum: address and the number of lists naming it\n" + LISTED + "\t8\n");
        Path yaml = dir.resolve("threatip.yaml");
        Files.writeString(yaml, """
                feeds: {specs: [%s]}
                inputs: {files: [%s], start_at: beginning}
                server: {port: 0, data_dir: data}
                """.formatted(feed, log));
        return ServeConfig.load(yaml);
    }

    private static String base(ThreatipServer s) {
        return s.url().endsWith("/") ? s.url().substring(0, s.url().length() - 1) : s.url();
    }

    private JsonNode get(ThreatipServer s, String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base(s) + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private JsonNode await(ThreatipServer s, String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(s, path, s.adminToken());
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " never got there; last answer " + last + "; log " + messages);
    }

    @Test
    void tailedAndPostedLinesReachTheApiAndSurviveARestart() throws Exception {
        Path log = dir.resolve("access.log");
        Instant now = Instant.now();
        Files.writeString(log, line(SHOPPER, now.minusSeconds(30), "/", 200) + line(LISTED, now.minusSeconds(20), "/.env", 404));
        ServeConfig cfg = config(log);
        String token;
        try (ThreatipServer s = new ThreatipServer(cfg, Clock.systemUTC(), messages::add).start()) {
            token = s.adminToken();
            Path tokenFile = cfg.server().dataDir().resolve("admin.token");
            assertEquals(token, Files.readString(tokenFile).strip());
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(tokenFile));

            JsonNode ips = await(s, "/api/v1/ips", n -> n.path("total").asLong() == 1);
            assertEquals(LISTED, ips.path("items").get(0).path("ip").asText());
            assertEquals("malicious", ips.path("items").get(0).path("verdict").asText());

            Files.writeString(log, line(LISTED, now.minusSeconds(10), "/wp-login.php", 404), StandardOpenOption.APPEND);
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base(s) + "/api/v1/ingest?source=fluent-bit"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"log\":" + JSON.writeValueAsString(line(LISTED, now, "/admin", 404).strip())
                            + "}\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, posted.statusCode(), posted.body());
            assertEquals(1, JSON.readTree(posted.body()).path("accepted").asInt());

            JsonNode profile = await(s, "/api/v1/ips/" + LISTED, n -> n.path("hits").asLong() == 3);
            assertEquals("malicious", profile.path("verdict").asText());
            JsonNode stats = get(s, "/api/v1/stats", token);
            assertEquals(4, stats.path("requests").asLong());
            assertEquals(3, stats.path("flagged_requests").asLong());

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base(s) + "/metrics"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(metrics.body().contains("threatip_ingest_events_total{input=\"" + log.toAbsolutePath().normalize() + "\"} 3.0"),
                    metrics.body());
            assertTrue(metrics.body().contains("threatip_ingest_events_total{input=\"fluent-bit\"} 1.0"), metrics.body());
            assertTrue(metrics.body().contains("threatip_ingest_lag_seconds"), metrics.body());
        }

        try (ThreatipServer s = new ThreatipServer(cfg, Clock.systemUTC(), messages::add).start()) {
            assertEquals(token, s.adminToken(), "the admin token is kept across restarts");
            JsonNode profile = get(s, "/api/v1/ips/" + LISTED, token);
            assertEquals(3, profile.path("hits").asLong(), "nothing lost, nothing counted twice after the restart");
            Thread.sleep(1500); // a tail poll and a flush: the saved position means no line comes again
            assertEquals(4, get(s, "/api/v1/stats", token).path("requests").asLong());
        }
    }

    @Test
    void aBadConfigValueStopsStartUpNamingTheKey() throws IOException {
        Path yaml = dir.resolve("threatip.yaml");
        Files.writeString(yaml, "server: {retention: forever}\n", StandardCharsets.UTF_8);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> ServeConfig.load(yaml));
        assertEquals("server.retention", e.key());
    }
}
