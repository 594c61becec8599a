package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.serve.ServeConfig;
import dev.threatip.serve.ThreatipServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code threatip decisions} against a real {@code serve} on loopback in enforce mode: the
 * auto-block policy bans an intel-listed address seen in the tailed log, and the operator lists,
 * adds, imports and deletes through the API. Public addresses, because the guard rails refuse
 * documentation space.
 */
class DecisionsCommandTest {
    private static final String LISTED = "45.155.205.233";
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static Cli.Run await(String... args) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Cli.Run r = null;
        while (System.nanoTime() < deadline) {
            r = Cli.run(args);
            if (r.exit() == 0 && r.out().contains("auto")) {
                return r;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no auto decision: " + r);
    }

    @Test
    void decisions_autoBanThenListAddImportDeleteThroughTheApi() throws Exception {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "# ipsum: address and the number of lists naming it\n" + LISTED + "\t8\n");
        Path log = dir.resolve("access.log");
        Files.writeString(log, LISTED + " - - [" + CLF.format(Instant.now().minusSeconds(5)) + "] \"GET /.env HTTP/1.1\" 404 512 "
                + "\"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\"\n");
        Path yaml = dir.resolve("threatip.yaml");
        Files.writeString(yaml, """
                feeds: {specs: [%s]}
                inputs: {files: [%s], start_at: beginning}
                server: {port: 0, data_dir: data}
                blocking: {mode: enforce, allowlist: [81.2.69.0/24]}
                """.formatted(feed, log));
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        try (ThreatipServer s = new ThreatipServer(ServeConfig.load(yaml), Clock.systemUTC(), messages::add).start()) {
            String[] conn = {"--server", s.url(), "--data-dir", dir.resolve("data").toString()};

            Cli.Run auto = await(with(conn, "decisions", "list", "--ip", LISTED));
            assertTrue(auto.out().contains(LISTED + "/32") || auto.out().contains(LISTED + " "), auto.out());
            assertTrue(auto.out().contains("ban") && auto.out().contains("network_attack high"), auto.out());

            Cli.Run add = Cli.run(with(conn, "decisions", "add", "185.180.246.23", "--duration", "2h", "--reason", "probing /.env"));
            assertEquals(0, add.exit(), add.err());
            assertTrue(add.out().matches("decision \\d+: ban 185\\.180\\.246\\.23 until \\S+ \\(probing /\\.env\\)\\s*"), add.out());

            Cli.Run refused = Cli.run(with(conn, "decisions", "add", "81.2.69.160"));
            assertEquals(2, refused.exit());
            assertEquals("threatip: 81.2.69.160/32 overlaps the allowlist entry 81.2.69.0/24 (blocking.allowlist)\n", refused.err());

            Path list = dir.resolve("blocklist.txt");
            Files.writeString(list, """
                    # bad actors, one per line
                    91.240.157.246   # brute force on /login
                    not-an-ip
                    10.0.0.5
                    2a02:4780:12::/48
                    """);
            Cli.Run imported = Cli.run(with(conn, "decisions", "import", list.toString(), "--duration", "7d"));
            assertEquals(2, imported.exit(), "a bad and a refused line: " + imported.err());
            assertTrue(imported.out().startsWith("imported 2 decisions from " + list + " (plain); 1 bad lines, 1 refused"),
                    imported.out());
            String[] errs = imported.err().split("\n");
            assertTrue(errs[0].startsWith("threatip: " + list + ":3: not an IP address: 'not-an-ip'"), errs[0]);
            assertTrue(errs[1].startsWith("threatip: " + list + ":4: refused: 10.0.0.5/32 is private space"), errs[1]);
            Cli.Run importedList = Cli.run(with(conn, "decisions", "list", "--origin", "import"));
            assertTrue(importedList.out().contains("brute force on /login"), importedList.out());
            assertTrue(importedList.out().contains("2a02:4780:12::/48"), importedList.out());

            Cli.Run deleted = Cli.run(with(conn, "decisions", "delete", "--ip", "185.180.246.23", "--allow", "1h"));
            assertEquals(0, deleted.exit(), deleted.err());
            assertTrue(deleted.out().startsWith("deleted 1 decisions holding 185.180.246.23"), deleted.out());
            Cli.Run all = Cli.run(with(conn, "decisions", "list", "--all", "--ip", "185.180.246.23"));
            assertTrue(all.out().contains("deleted"), all.out());

            Cli.Run none = Cli.run("decisions", "list", "--server", "http://127.0.0.1:1", "--token", "x".repeat(20));
            assertEquals(2, none.exit());
            assertTrue(none.err().contains("no threatip serve answers there"), none.err());
        }
    }

    private static String[] with(String[] conn, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(conn));
        return all.toArray(String[]::new);
    }
}
