package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with the real {@code logger} command (util-linux) as the sender, over UDP and TCP,
 * in both syslog formats and both TCP framings. Skipped when {@code logger} is not installed.
 */
class SyslogLoggerTest {

    private static final long TIMEOUT_MS = 15_000;

    @TempDir Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> sources = new CopyOnWriteArrayList<>();
    private SyslogReceiver receiver;

    @BeforeAll
    static void loggerInstalled() {
        String version;
        try {
            Process p = new ProcessBuilder("logger", "--version").redirectErrorStream(true).start();
            version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            version = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            version = "";
        }
        assumeTrue(version.contains("util-linux"), "util-linux logger not installed");
    }

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private SyslogReceiver start() throws IOException {
        receiver = SyslogReceiver.builder((source, batch, first) -> {
            for (int i = 0; i < batch.size(); i++) {
                lines.add((first + i) + ":" + new String(batch.get(i), StandardCharsets.UTF_8));
            }
            sources.add(source);
        }).port(0).flushInterval(Duration.ofMillis(10)).build();
        receiver.start();
        return receiver;
    }

    /** A small day of nginx combined lines: quotes, brackets, escapes, IPv6 and UTF-8 included. */
    private static List<String> accessLog(int n) {
        String[] clients = {"203.0.113.7", "198.51.100.23", "2001:db8::42", "192.0.2.200"};
        String[] requests = {
            "GET / HTTP/1.1", "GET /.env HTTP/1.1", "POST /wp-login.php HTTP/1.1",
            "GET /search?q=%27%20OR%201=1-- HTTP/1.1", "GET /caf\u00e9/men\u00fc HTTP/2.0",
            "GET /x\\x22y[1] HTTP/1.1",
        };
        String[] agents = {
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "zgrab/0.x",
            "python-requests/2.31.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        };
        return IntStream.range(0, n).mapToObj(i -> String.format(
                "%s - - [23/Nov/2026:20:%02d:%02d +0000] \"%s\" %d %d \"-\" \"%s\"",
                clients[i % clients.length], i / 60 % 60, i % 60, requests[i % requests.length],
                i % 5 == 0 ? 404 : 200, 100 + i, agents[i % agents.length])).toList();
    }

    private void runLogger(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger", "-n", "127.0.0.1"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("logger did not finish: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), cmd + ": " + out);
    }

    private Path file(List<String> log) throws IOException {
        Path f = dir.resolve("access.log");
        Files.write(f, log, StandardCharsets.UTF_8);
        return f;
    }

    private void awaitLines(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (lines.size() < n) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + n + " lines, have " + lines.size() + "; stats " + receiver.stats());
            }
            Thread.sleep(5);
        }
    }

    private static List<String> numbered(List<String> texts) {
        return IntStream.range(0, texts.size()).mapToObj(i -> (i + 1) + ":" + texts.get(i)).toList();
    }

    @Test
    void logger_udpRfc3164_linesArriveExactly() throws Exception {
        SyslogReceiver r = start();
        List<String> log = accessLog(40);
        runLogger(List.of("-P", String.valueOf(r.udpPort()), "-d", "--rfc3164", "-t", "nginx",
                "-f", file(log).toString()));
        awaitLines(log.size());
        assertEquals(numbered(log), lines);
        assertTrue(sources.stream().allMatch("syslog"::equals));
        assertEquals(0, r.stats().udp().malformed());
    }

    @Test
    void logger_udpRfc5424WithStructuredData_linesArriveExactly() throws Exception {
        SyslogReceiver r = start();
        List<String> log = accessLog(10);
        runLogger(List.of("-P", String.valueOf(r.udpPort()), "-d", "--rfc5424", "-t", "nginx",
                "--sd-id", "access@32473", "--sd-param", "vhost=\"shop.example.org\"",
                "--sd-param", "note=\"a \\\"quoted\\\" \\] bracket\"", "-f", file(log).toString()));
        awaitLines(log.size());
        assertEquals(numbered(log), lines);
    }

    @Test
    void logger_tcpOctetCountedRfc5424_linesArriveExactly() throws Exception {
        SyslogReceiver r = start();
        List<String> log = accessLog(60);
        runLogger(List.of("-P", String.valueOf(r.tcpPort()), "-T", "--octet-count", "--rfc5424",
                "-t", "nginx", "-f", file(log).toString()));
        awaitLines(log.size());
        assertEquals(numbered(log), lines);
        assertEquals(1, r.stats().tcp().connectionsAccepted());
    }

    @Test
    void logger_tcpLfFramedRfc3164_linesArriveExactly() throws Exception {
        SyslogReceiver r = start();
        List<String> log = accessLog(60);
        runLogger(List.of("-P", String.valueOf(r.tcpPort()), "-T", "--rfc3164", "-t", "nginx",
                "-f", file(log).toString()));
        awaitLines(log.size());
        assertEquals(numbered(log), lines);
        assertEquals(0, r.stats().tcp().malformed());
    }
}
