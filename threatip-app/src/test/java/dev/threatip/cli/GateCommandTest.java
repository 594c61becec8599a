package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.net.AddressClass;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code threatip gate} from the command line: it listens on loopback, enforces, reloads, and refuses bad config. */
class GateCommandTest {
    @TempDir
    Path dir;

    @Test
    void gate_blocksListedScannerPassesShopper_andReloadsThePolicy() throws Exception {
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", x -> {
            byte[] b = ("origin saw " + x.getRequestHeaders().getFirst("X-Threatip-Verdict")).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        origin.start();
        Path feed = dir.resolve("scanners.txt");
        Files.writeString(feed, "203.0.113.7\n");
        Path intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults())
                        .resolve(FeedSpec.parse(feed + ",name=scanners,category=scanner,confidence=high")), intel);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "matrix: {scanner: {high: block}}\n");

        GateCommand gate = new GateCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        CommandLine sub = cl.getSubcommands().get("gate");
        assertTrue(sub != null);
        CommandLine own = new CommandLine(gate);
        own.setOut(new PrintWriter(out, true));
        own.setErr(new PrintWriter(err, true));
        int[] exit = {-1};
        Thread t = new Thread(() -> exit[0] = own.execute("--listen", "0", "--upstream", "http://127.0.0.1:" + origin.getAddress().getPort(),
                "--intel", intel.toString(), "--policy", policy.toString(), "--trusted-proxy", "127.0.0.1/32",
                "--hit-log", dir.resolve("hits.log").toString(), "--reload-every", "100ms"));
        t.start();
        try {
            assertTrue(gate.started.await(30, TimeUnit.SECONDS), out + " " + err);
            assertEquals("127.0.0.1", gate.gateway.address().getAddress().getHostAddress(), "binds loopback by default");
            URI base = URI.create("http://127.0.0.1:" + gate.gateway.address().getPort() + "/");
            HttpClient http = HttpClient.newHttpClient();
            assertEquals(403, http.send(HttpRequest.newBuilder(base).header("X-Forwarded-For", "203.0.113.7").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> shopper = http.send(HttpRequest.newBuilder(base).header("X-Forwarded-For", "198.51.100.23").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("origin saw clean", shopper.body());

            Files.writeString(policy, "matrix: {scanner: {high: monitor}}\n");
            Files.setLastModifiedTime(policy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            int status = 403;
            for (int i = 0; i < 100 && status == 403; i++) {
                Thread.sleep(100);
                status = http.send(HttpRequest.newBuilder(base).header("X-Forwarded-For", "203.0.113.7").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            }
            assertEquals(200, status, err.toString());
            assertTrue(err.toString().contains("policy reloaded"), err.toString());
        } finally {
            gate.stop.countDown();
            t.join(30_000);
            origin.stop(0);
        }
        assertEquals(0, exit[0], err.toString());
        assertTrue(Files.readString(dir.resolve("hits.log")).contains("\"action\":\"block\""));
    }

    @Test
    void gate_badPolicy_exits2NamingFileLineAndKey() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "matrix:\n  scanner: {high: deny}\n");
        Cli.Run r = Cli.run("gate", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9", "--policy", policy.toString(),
                "--hit-log", dir.resolve("hits.log").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(policy + ":2:") && r.err().contains("matrix.scanner.high")
                && r.err().contains("unknown action 'deny'"), r.err());

        Path config = dir.resolve("threatip.yaml");
        Files.writeString(config, "server: {port: 8080}\npolicy:\n  exceptions:\n    - {id: office, ip: 192.0.2.0/24}\n");
        Cli.Run c = Cli.run("gate", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9", "--config", config.toString(),
                "--hit-log", dir.resolve("hits.log").toString());
        assertEquals(2, c.exit(), c.err());
        assertTrue(c.err().contains("policy.exceptions.office.skip"), c.err());

        Cli.Run u = Cli.run("gate", "--listen", "127.0.0.1:0", "--upstream", "https://origin.example/app");
        assertEquals(2, u.exit(), u.err());
        assertTrue(u.err().contains("must be http://HOST[:PORT]"), u.err());
    }

    @Test
    void gate_monitorFlag_passesListedScanner_logsWouldBeBlock_andSaysSoAtStart() throws Exception {
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        origin.createContext("/", x -> {
            byte[] b = ("origin saw " + x.getRequestHeaders().getFirst("X-Threatip-Verdict")).getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(b);
            }
        });
        origin.start();
        Path feed = dir.resolve("scanners.txt");
        Files.writeString(feed, "203.0.113.7\n");
        Path intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults())
                        .resolve(FeedSpec.parse(feed + ",name=scanners,category=scanner,confidence=high")), intel);
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, "mode: enforce\nmatrix: {scanner: {high: block}}\n");

        GateCommand gate = new GateCommand();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine own = new CommandLine(gate);
        own.setOut(new PrintWriter(out, true));
        own.setErr(new PrintWriter(err, true));
        int[] exit = {-1};
        Thread t = new Thread(() -> exit[0] = own.execute("--listen", "0", "--upstream", "http://127.0.0.1:" + origin.getAddress().getPort(),
                "--intel", intel.toString(), "--policy", policy.toString(), "--trusted-proxy", "127.0.0.1/32",
                "--hit-log", dir.resolve("hits.log").toString(), "--monitor"));
        t.start();
        try {
            assertTrue(gate.started.await(30, TimeUnit.SECONDS), out + " " + err);
            assertTrue(out.toString().contains("policy:    " + policy + " (mode: monitor (--monitor)"), out.toString());
            URI base = URI.create("http://127.0.0.1:" + gate.gateway.address().getPort() + "/admin");
            HttpResponse<String> scanner = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base)
                    .header("X-Forwarded-For", "203.0.113.7").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scanner.statusCode(), "--monitor wins over the file's mode: enforce");
            assertTrue(scanner.body().contains("action=block; enforced=false"), scanner.body());
        } finally {
            gate.stop.countDown();
            t.join(30_000);
            origin.stop(0);
        }
        assertEquals(0, exit[0], err.toString());
        String hits = Files.readString(dir.resolve("hits.log"));
        assertTrue(hits.contains("\"action\":\"block\",\"enforced\":false"), hits);
    }
}
