package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.demo.LiveTraffic;
import dev.threatip.demo.SampleWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo workspace's three logs (with a minute of live traffic appended) through the real
 * {@code feeds compile} and {@code scan --format auto}: every line of every file parses, and every
 * planted role is caught in its own category.
 */
class DemoWorkspaceScanTest {
    /** The category each planted role must be flagged in (by intel or by behaviour). */
    private static final Map<SampleWorkspace.Role, String> CAUGHT_AS = Map.of(
            SampleWorkspace.Role.BRUTE_FORCE, "brute_force",
            SampleWorkspace.Role.SCANNER, "scanner",
            SampleWorkspace.Role.WEB_ATTACK, "web_attack",
            SampleWorkspace.Role.EXPLOIT, "exploit",
            SampleWorkspace.Role.CREDENTIAL_STUFFING, "account_takeover",
            SampleWorkspace.Role.SCRAPER, "malicious_bot",
            SampleWorkspace.Role.PROXY_PROBE, "network_proxy",
            SampleWorkspace.Role.TOR, "network_proxy");

    @TempDir
    static Path dir;
    static SampleWorkspace.Written w;
    static LiveTraffic live;
    static Path intel;

    @BeforeAll
    static void writeWorkspaceAndCompileFeeds() throws IOException {
        // yesterday, as the demo does, so the feeds' dates are recent
        Instant day = LocalDate.now(ZoneOffset.UTC).minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        w = SampleWorkspace.write(dir.resolve("ws"), DemoCommand.SEED, day);
        live = LiveTraffic.over(w, 9, Clock.fixed(Instant.now(), ZoneOffset.UTC),
                new LiveTraffic.Settings(20, Duration.ofMillis(250), Duration.ofSeconds(5), Duration.ofSeconds(8)));
        for (int i = 0; i < 240; i++) {
            live.tick();
        }
        intel = dir.resolve("intel.tis");
        Cli.Run compiled = Cli.run("feeds", "compile", "--feed", w.feeds().toString(), "--out", intel.toString());
        assertEquals(0, compiled.exit(), compiled.err());
    }

    private static long lineCount(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    @Test
    void scanAuto_logsFolder_detectsEachFilesFormatAndParsesEveryLine() throws IOException {
        Cli.Run r = Cli.run("scan", "--intel", intel.toString(), "--format", "auto", "--output", "table",
                w.logsDir().toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, w.logs().size());
        for (SampleWorkspace.LogFile f : w.logs()) {
            long lines = lineCount(f.path());
            assertTrue(lines > f.lines(), "live traffic appended to " + f.path());
            assertTrue(r.err().contains(f.path() + ": " + f.format() + " (detected"), f.format() + " not chosen:\n" + r.err());
            assertTrue(r.err().contains(": " + lines + " lines, " + lines + " parsed, 0 unparsed"), r.err());
        }
        assertEquals(Set.of("combined", "json", "aws-alb"),
                Set.copyOf(w.logs().stream().map(SampleWorkspace.LogFile::format).toList()));
    }

    @Test
    void scanJson_logsFolder_catchesEveryPlantedRoleInItsCategoryAndNoShopper() throws IOException {
        Cli.Run r = Cli.run("scan", "--intel", intel.toString(), "--format", "auto", "--output", "json",
                w.logsDir().toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode summary = root.get("summary");
        long lines = 0;
        for (SampleWorkspace.LogFile f : w.logs()) {
            lines += lineCount(f.path());
        }
        assertEquals(3, summary.get("files").asInt());
        assertEquals(lines, summary.get("lines").asLong());
        assertEquals(0, summary.get("unparsed").asLong());

        Map<String, Set<String>> categories = new HashMap<>();
        for (JsonNode ip : root.get("ips")) {
            Set<String> cats = new HashSet<>();
            ip.get("categories").forEach(c -> cats.add(c.get("category").asText()));
            categories.put(ip.get("ip").asText(), cats);
        }
        Set<String> all = new HashSet<>();
        categories.values().forEach(all::addAll);
        assertEquals(Set.of("network_attack", "exploit", "web_attack", "brute_force", "network_proxy", "scanner",
                "account_takeover", "malicious_bot"), all, "every category appears");
        w.clients().forEach((ip, role) -> {
            if (role == SampleWorkspace.Role.VISITOR || role == SampleWorkspace.Role.CRAWLER) {
                assertFalse(categories.containsKey(ip), role + " " + ip + " flagged: " + categories.get(ip));
            } else {
                assertTrue(categories.getOrDefault(ip, Set.of()).contains(CAUGHT_AS.get(role)),
                        role + " " + ip + " not caught as " + CAUGHT_AS.get(role) + ": " + categories.get(ip));
            }
        });
        StringBuilder logs = new StringBuilder();
        for (SampleWorkspace.LogFile f : w.logs()) {
            logs.append(Files.readString(f.path()));
        }
        int listedSeen = 0;
        for (LiveTraffic.Newcomer n : live.newcomers()) {
            boolean seen = logs.indexOf("\n" + n.ip() + " - - [") >= 0 || logs.indexOf("\"remote_addr\":\"" + n.ip() + "\"") >= 0
                    || logs.indexOf("Z app/shop-checkout/3f9c1e2a7b5d4c60 " + n.ip() + ":") >= 0;
            if (n.listed() && seen) {
                listedSeen++;
                assertTrue(categories.containsKey(n.ip()), n + " is listed and came, but is not flagged");
            }
        }
        assertTrue(listedSeen > 0, "no listed newcomer came: " + live.newcomers());
    }
}
