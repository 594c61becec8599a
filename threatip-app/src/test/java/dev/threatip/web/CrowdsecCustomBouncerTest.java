package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrowdSec's own custom bouncer (Debian {@code crowdsec-custom-bouncer}, a Go program built on
 * {@code go-cs-bouncer}) pointed at a real {@link WebServer} over a real DuckDB store: it pulls the
 * startup list and then deltas every second, and calls its script with {@code add IP SECONDS
 * SCENARIO JSON} for each decision to enforce and {@code del …} for each to lift. Skipped when the
 * binary is absent; CI installs it ({@code .ci/run}).
 */
class CrowdsecCustomBouncerTest {
    static final Path BINARY = Path.of("/usr/bin/crowdsec-custom-bouncer");
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    static final IpAddress BRUTE = IpAddress.parse("198.51.100.23");
    static final Cidr BOTNET = Cidr.parse("192.0.2.0/24");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void customBouncer_getsBansAsTheyAreMade_andTheirDeletionAndExpiry() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), BINARY + " is not installed (apt-get install crowdsec-custom-bouncer)");
        Clock clock = Clock.systemUTC();
        try (EventStore store = EventStore.open(dir.resolve("data"), clock);
             WebServer web = WebServer.builder().port(0).store(store).tokens(ApiTokens.of(ADMIN, List.of()))
                     .clock(clock).build().start()) {
            DecisionStore decisions = new DecisionStore(store);
            Instant now = clock.instant();
            // in force before the bouncer starts: on its startup list; expires while it runs
            Decision scanner = decisions.add(new Decision(0, Cidr.of(SCANNER), DecisionType.BAN, now, now.plusSeconds(6),
                    "scanner high: probing-4xx", DecisionOrigin.AUTO, "scanners", Category.SCANNER, Confidence.HIGH, 20, 1));
            String key = addBouncer(web, "custom-test");

            Path calls = dir.resolve("calls.tsv");
            Path script = dir.resolve("record.sh");
            Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\t' \"$a\"; done >> '" + calls + "'\n"
                    + "printf '\\n' >> '" + calls + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            Path config = dir.resolve("crowdsec-custom-bouncer.yaml");
            Files.writeString(config, String.join("\n",
                    "bin_path: " + script,
                    "feed_via_stdin: false",
                    "update_frequency: 1s",
                    "cache_retention_duration: 1s",
                    "daemonize: false",
                    "log_mode: stdout",
                    "log_level: info",
                    "api_url: " + web.url(),
                    "api_key: " + key,
                    "prometheus:",
                    "  enabled: false",
                    ""));
            Path log = dir.resolve("bouncer.log");
            Process bouncer = new ProcessBuilder(BINARY.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                List<String> add = awaitCall(calls, log, c -> c.get(0).equals("add") && c.get(1).equals(SCANNER.toString()));
                JsonNode json = JSON.readTree(add.get(4));
                assertEquals("scanner high: probing-4xx", add.get(3));
                long seconds = Long.parseLong(add.get(2));
                assertTrue(seconds >= 1 && seconds <= 6, "remaining seconds " + seconds);
                assertEquals(SCANNER.toString(), json.get("value").asText());
                assertEquals("Ip", json.get("scope").asText());
                assertEquals("ban", json.get("type").asText());
                assertEquals("auto", json.get("origin").asText());
                assertEquals(scanner.id(), json.get("id").asLong());

                // made while it runs: the next delta pull brings them
                Instant later = clock.instant();
                Decision brute = decisions.add(new Decision(0, Cidr.of(BRUTE), DecisionType.CAPTCHA, later,
                        later.plus(Duration.ofHours(4)), "brute_force moderate: login-fail", DecisionOrigin.MANUAL, null,
                        null, null, 5, 1));
                decisions.add(new Decision(0, BOTNET, DecisionType.BAN, later, later.plus(Duration.ofHours(24)),
                        "imported: botnet C2 range", DecisionOrigin.IMPORT, null, null, null, 0, 1));
                List<String> addBrute = awaitCall(calls, log, c -> c.get(0).equals("add") && c.get(1).equals(BRUTE.toString()));
                long bruteSeconds = Long.parseLong(addBrute.get(2));
                assertTrue(bruteSeconds > 4 * 3600 - 30 && bruteSeconds <= 4 * 3600, "about 4 h left: " + bruteSeconds);
                assertEquals("captcha", JSON.readTree(addBrute.get(4)).get("type").asText());
                List<String> addRange = awaitCall(calls, log, c -> c.get(0).equals("add") && c.get(1).equals(BOTNET.toString()));
                assertEquals("Range", JSON.readTree(addRange.get(4)).get("scope").asText());

                // an operator lifts one: deleted on the next pull
                assertTrue(decisions.delete(brute.id(), clock.instant()));
                List<String> del = awaitCall(calls, log, c -> c.get(0).equals("del") && c.get(1).equals(BRUTE.toString()));
                assertEquals("brute_force moderate: login-fail", del.get(3));
                // the scanner's ban runs out: deleted too
                List<String> expired = awaitCall(calls, log, c -> c.get(0).equals("del") && c.get(1).equals(SCANNER.toString()));
                assertTrue(Long.parseLong(expired.get(2)) <= 0, "an expired decision has no time left: " + expired);

                // each decision was added once and removed at most once; the range stays
                List<List<String>> all = calls(calls);
                assertEquals(3, all.stream().filter(c -> c.get(0).equals("add")).count(), all.toString());
                assertEquals(2, all.stream().filter(c -> c.get(0).equals("del")).count(), all.toString());
                assertTrue(all.stream().noneMatch(c -> c.get(0).equals("del") && c.get(1).equals(BOTNET.toString())));
            } finally {
                bouncer.destroy();
                if (!bouncer.waitFor(10, TimeUnit.SECONDS)) {
                    bouncer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            JsonNode listed = get(web, "api/v1/bouncers").get("items").get(0);
            assertEquals("custom-test", listed.get("name").asText());
            assertTrue(listed.get("user_agent").asText().startsWith("crowdsec-custom-bouncer/"), listed.toString());
            assertEquals("127.0.0.1", listed.get("last_ip").asText());
        }
    }

    private static String addBouncer(WebServer web, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url() + "api/v1/bouncers"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("key").asText();
    }

    private static JsonNode get(WebServer web, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url() + path))
                .header("Authorization", "Bearer " + ADMIN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** The first script call matching {@code which}, waiting up to 20 s; fails with the bouncer's log. */
    private static List<String> awaitCall(Path calls, Path log, Predicate<List<String>> which) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (List<String> c : calls(calls)) {
                if (which.test(c)) {
                    assertEquals(5, c.size(), "add|del VALUE SECONDS SCENARIO JSON: " + c);
                    return c;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the bouncer did not make the call; calls: " + calls(calls) + "\nbouncer log:\n"
                + (Files.exists(log) ? Files.readString(log) : "(none)"));
    }

    /** The script's calls so far, one list of arguments per call. */
    private static List<List<String>> calls(Path file) throws IOException {
        List<List<String>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.endsWith("\t")) { // a call is complete once its trailing tab and newline are written
                out.add(Arrays.asList(line.substring(0, line.length() - 1).split("\t", -1)));
            }
        }
        return out;
    }
}
