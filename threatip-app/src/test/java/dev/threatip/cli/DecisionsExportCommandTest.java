package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.block.ExportOptions;
import dev.threatip.block.ExportResult;
import dev.threatip.block.Exporter;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import dev.threatip.web.ApiTokens;
import dev.threatip.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code threatip decisions export} against a real server on loopback over a real DuckDB store:
 * the file it writes is the exporter's for the decisions in force, the summary goes to stderr,
 * bad arguments and refused tokens exit 2 with one line.
 */
class DecisionsExportCommandTest {
    static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    static final String TOKEN = "reader-token-0123456789abcdef";

    @TempDir static Path dir;
    static EventStore store;
    static WebServer server;
    static List<Decision> inForce;

    @BeforeAll
    static void start() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = EventStore.open(dir.resolve("data"), clock);
        DecisionStore decisions = new DecisionStore(store);
        List<Decision> made = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            made.add(new Decision(0, Cidr.parse("203.0.113." + (10 * i)), DecisionType.BAN, NOW.minusSeconds(600L * i),
                    NOW.plusSeconds(86_400), "scanner high: probing-4xx", DecisionOrigin.AUTO, "ban-high", Category.SCANNER,
                    Confidence.HIGH, 100 - i, 1));
        }
        made.add(new Decision(0, Cidr.parse("2001:db8:42::/64"), DecisionType.CAPTCHA, NOW.minusSeconds(60), NOW.plusSeconds(3600),
                "malicious_bot moderate: scraping", DecisionOrigin.AUTO, "challenge", Category.MALICIOUS_BOT, Confidence.MODERATE, 12, 1));
        decisions.addAll(made, false);
        inForce = decisions.active(NOW);
        server = WebServer.builder().port(0).store(store).tokens(ApiTokens.of("admin-token-0123456789abcdef", List.of(TOKEN)))
                .clock(clock).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void export_toFile_writesTheExportersFileAndSummarisesOnStderr() throws Exception {
        Path out = dir.resolve("threatip.nft");
        Files.writeString(out, "the previous export\n");
        Cli.Run r = Cli.run("decisions", "export", "--format", "nftables", "--limit", "4", "--out", out.toString(),
                "--server", server.url(), "--token", TOKEN);
        assertEquals(0, r.exit(), r.err());
        ExportResult expected = Exporter.forTarget("nftables").export(inForce, ExportOptions.at(NOW).withLimit(4));
        assertEquals(expected.text(), Files.readString(out));
        assertEquals(expected.summary() + " -> " + out + "\n", r.err());
        assertTrue(r.err().contains("3 left out (1 type, 2 capacity)"), r.err());
        assertEquals("", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void export_toStdout_printsTheFileWithNameAndBansOnly() {
        Cli.Run r = Cli.run("decisions", "export", "--format", "haproxy-map", "--bans-only", "--name", "edge",
                "--server", server.url(), "--token", TOKEN);
        assertEquals(0, r.exit(), r.err());
        assertEquals(Exporter.forTarget("haproxy-map").export(inForce, ExportOptions.at(NOW).withBansOnly(true).withName("edge"))
                .text(), r.out());
        assertTrue(r.out().contains("src,map_ip(/etc/haproxy/edge.map)"), r.out());
    }

    @Test
    void export_badArguments_exit2BeforeAskingTheServer() {
        Cli.Run unknown = Cli.run("decisions", "export", "--format", "pf", "--server", "http://127.0.0.1:1", "--token", TOKEN);
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("threatip: unknown format 'pf'; known: nftables, ipset, "), unknown.err());
        Cli.Run limit = Cli.run("decisions", "export", "--format", "plain", "--limit", "0", "--server", "http://127.0.0.1:1",
                "--token", TOKEN);
        assertEquals("threatip: --limit: 0 is out of range; allowed 1 or more\n", limit.err());
        Cli.Run name = Cli.run("decisions", "export", "--format", "plain", "--name", "Bad-Name", "--server", "http://127.0.0.1:1",
                "--token", TOKEN);
        assertTrue(name.err().startsWith("threatip: bad export name 'Bad-Name'"), name.err());
    }

    @Test
    void export_refusedToken_exits2WithTheServersMessage() {
        Cli.Run r = Cli.run("decisions", "export", "--format", "plain", "--server", server.url(), "--token", "not-a-token-at-all");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: ") && r.err().toLowerCase().contains("token"), r.err());
        assertEquals("", r.out());
    }
}
