package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.demo.SampleWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void demo_generatedWorkspace_flagsEveryPlantedAttackerAndNoVisitor(@TempDir Path dir) throws IOException {
        Cli.Run r = Cli.run("demo", "--dir", dir.toString());
        assertEquals(0, r.exit(), r.err());
        SampleWorkspace.Written w = SampleWorkspace.write(dir.resolve("again"), DemoCommand.SEED, DAY);
        String out = r.out();
        assertTrue(out.contains("compiled 5 feeds"), out);
        assertTrue(out.contains("10.20.30.40/32 (private)"), out);
        for (String attacker : w.attackers()) {
            assertTrue(out.contains("\n" + attacker + " "), attacker + " not flagged:\n" + out);
        }
        for (Map.Entry<String, SampleWorkspace.Role> c : w.clients().entrySet()) {
            if (c.getValue() == SampleWorkspace.Role.VISITOR || c.getValue() == SampleWorkspace.Role.CRAWLER) {
                assertFalse(out.contains("\n" + c.getKey() + " "), c + " flagged:\n" + out);
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("intel.tis")));
    }

    @Test
    void write_sameSeedAndDay_writesTheSameRealisticLog(@TempDir Path dir) throws IOException {
        SampleWorkspace.Written a = SampleWorkspace.write(dir.resolve("a"), 7, DAY);
        SampleWorkspace.Written b = SampleWorkspace.write(dir.resolve("b"), 7, DAY);
        assertEquals(Files.readString(a.log()), Files.readString(b.log()));
        assertTrue(a.lines() >= 18_000 && a.lines() <= 22_000, "lines: " + a.lines());
        String log = Files.readString(a.log());
        for (String expected : new String[] {"\"GET /.env HTTP/1.1\" 403", "\"POST /login HTTP/1.1\" 401",
            "zgrab", "Googlebot/2.1", "../../../../etc/passwd", "[01/Nov/2026:"}) {
            assertTrue(log.contains(expected), expected);
        }
        assertFalse(log.contains("[02/Nov/2026:"), "logs stay within the 24 hours");
    }

    @Test
    void demo_tempWorkspace_isRemovedWithoutKeep() {
        Cli.Run r = Cli.run("demo");
        assertEquals(0, r.exit(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("workspace: "), first);
        assertFalse(Files.exists(Path.of(first.substring("workspace: ".length()))));
    }
}
