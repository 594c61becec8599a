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
        Cli.Run r = Cli.run("demo", "--scan", "--dir", dir.toString());
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
        Cli.Run r = Cli.run("demo", "--scan");
        assertEquals(0, r.exit(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("workspace: "), first);
        assertFalse(Files.exists(Path.of(first.substring("workspace: ".length()))));
    }

    @Test
    void demo_serves_theWorkspaceWithEveryPlantedAttackerFlaggedAndLiveTrafficFlowing(@TempDir Path dir) throws Exception {
        DemoCommand demo = new DemoCommand();
        java.io.StringWriter out = new java.io.StringWriter();
        int[] exit = {-1};
        Thread t = new Thread(() -> exit[0] = new picocli.CommandLine(demo).setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(new java.io.StringWriter(), true))
                .execute("--port", "0", "--dir", dir.toString(), "--rate", "200"));
        t.start();
        assertTrue(demo.started.await(120, java.util.concurrent.TimeUnit.SECONDS), out.toString());
        String url = demo.server.url();
        String token = demo.server.adminToken();
        assertTrue(out.toString().contains("token:       " + token), out.toString());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        SampleWorkspace.Written w = SampleWorkspace.write(dir.resolve("again"), DemoCommand.SEED, DAY);
        java.util.Set<String> flagged = new java.util.HashSet<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        long firstRequests = -1;
        long requests = -1;
        while (System.nanoTime() < deadline) {
            com.fasterxml.jackson.databind.JsonNode ips = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url + "api/v1/ips?limit=1000")).header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            flagged.clear();
            ips.path("items").forEach(i -> flagged.add(i.path("ip").asText()));
            requests = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "api/v1/stats"))
                    .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body()).path("requests").asLong();
            if (firstRequests < 0 && requests > 0) {
                firstRequests = requests;
            }
            if (flagged.containsAll(w.attackers()) && requests > firstRequests) {
                break;
            }
            Thread.sleep(500);
        }
        demo.stop.countDown();
        t.join(60_000);
        assertEquals(0, exit[0], out.toString());
        for (String attacker : w.attackers()) {
            assertTrue(flagged.contains(attacker), attacker + " not flagged; flagged: " + flagged);
        }
        for (Map.Entry<String, SampleWorkspace.Role> c : w.clients().entrySet()) {
            if (c.getValue() == SampleWorkspace.Role.VISITOR || c.getValue() == SampleWorkspace.Role.CRAWLER) {
                assertFalse(flagged.contains(c.getKey()), c + " flagged");
            }
        }
        assertTrue(requests > firstRequests, "live traffic keeps arriving: " + firstRequests + " then " + requests);
    }
}
