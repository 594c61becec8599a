package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code threatip serve} from the command line: flags over the config, start-up refusals, an orderly stop. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void flagsStartAServerThatStopsInOrder() throws Exception {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "45.155.205.233\t8\n");
        Path log = dir.resolve("access.log");
        Files.writeString(log, "45.155.205.233 - - [20/Nov/2026:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"curl/8.4.0\"\n");
        ServeCommand serve = new ServeCommand();
        StringWriter out = new StringWriter();
        int[] exit = {-1};
        Thread t = new Thread(() -> exit[0] = new CommandLine(serve).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(new StringWriter(), true)).setExecutionExceptionHandler(new ErrorHandler())
                .execute("--data-dir", dir.resolve("data").toString(), "--port", "0", "--feed", feed.toString(),
                        "--watch", log.toString(), "--from-beginning"));
        t.start();
        assertTrue(serve.started.await(60, TimeUnit.SECONDS), out.toString());
        String url = serve.server.url();
        assertTrue(url.startsWith("http://127.0.0.1:"), url);
        assertTrue(out.toString().contains("dashboard and API at " + url), out.toString());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/v1/stats"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), "no token, no API");
        serve.stop.countDown();
        t.join(30_000);
        assertEquals(0, exit[0]);
        assertTrue(out.toString().contains("stopping: flushing and closing the store"));
    }

    @Test
    void aBadConfigStopsStartUpWithExit2NamingTheKey() throws Exception {
        Path yaml = dir.resolve("threatip.yaml");
        Files.writeString(yaml, "server:\n  bind: 127.0.0.1\n  retention: 1w\n");
        Cli.Run run = Cli.run("serve", "--config", yaml.toString(), "--data-dir", dir.resolve("data").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("server.retention: '1w' is not a duration"), run.err());
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Cli.Run run = Cli.run("serve", "--port", "70000", "--data-dir", dir.resolve("data").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--port: 70000 is out of range"), run.err());
    }

    @Test
    void standardInputIsReadAsWholeLinesInBatches() throws Exception {
        byte[] text = "a b\r\nsecond line\n\nlast without newline".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ServeCommand.StdinBatches batches = new ServeCommand.StdinBatches(new java.io.ByteArrayInputStream(text));
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (java.util.List<byte[]> b = batches.next(); b != null; b = batches.next()) {
            b.forEach(l -> lines.add(new String(l, java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertEquals(java.util.List.of("a b", "second line", "", "last without newline"), lines);
    }

    @Test
    void sigtermStopsAChildServerOnlyAfterItFlushedAndClosedTheStore() throws Exception {
        Path log = dir.resolve("access.log");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            lines.append("45.155.205.").append(i % 250).append(" - - [20/Nov/2026:10:00:00 +0000] \"GET /p/").append(i)
                    .append(" HTTP/1.1\" 200 153 \"-\" \"Mozilla/5.0\"\n");
        }
        Files.writeString(log, lines);
        Path data = dir.resolve("data");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.threatip.cli.Main", "serve", "--data-dir", data.toString(),
                "--port", "0", "--watch", log.toString(), "--from-beginning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(dir.resolve("out.txt")).contains("dashboard and API at") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1500); // a tail poll: the lines are committed
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("out.txt"));
        assertTrue(out.contains("stopping: flushing and closing the store"), out);
        assertTrue(!Files.exists(data.resolve("threatip.duckdb.wal")), "the store was closed (checkpointed), not cut off");
        try (dev.threatip.store.EventStore store = dev.threatip.store.EventStore.open(data, java.time.Clock.systemUTC())) {
            assertEquals(500, store.countEvents());
        }
    }
}
