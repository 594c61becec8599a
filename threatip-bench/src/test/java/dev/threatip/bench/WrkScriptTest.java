package dev.threatip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wrk scripts of the gate benchmark, run by the real wrk against a real server on loopback. */
class WrkScriptTest {
    static final List<String> LISTED = List.of("203.0.113.7", "203.0.113.8");
    static final List<String> CLEAN = List.of("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4", "198.51.100.5",
            "198.51.100.6", "198.51.100.7", "198.51.100.8");

    @TempDir
    Path dir;

    static boolean wrkInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void rotatingClients_sendEveryAddressAndNothingElse_andStatusesAreCounted() throws Exception {
        assumeTrue(wrkInstalled(), "wrk is not installed (apt-get install -y wrk)");
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicLong answered = new AtomicLong();
        AtomicLong blocked = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", x -> {
            String client = x.getRequestHeaders().getFirst("X-Forwarded-For");
            seen.add(client == null ? "(none)" : client);
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            int status = LISTED.contains(client) ? 403 : 200;
            if (status == 403) {
                blocked.incrementAndGet();
            }
            x.sendResponseHeaders(status, body.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
            answered.incrementAndGet();
        });
        server.start();
        try {
            List<String> clients = new java.util.ArrayList<>(LISTED);
            clients.addAll(CLEAN);
            Path script = new WrkScript("/", clients, 1, true).write(dir.resolve("mix.lua"));
            Wrk wrk = new Wrk("wrk", "0", 1, 4);
            Wrk.Result r = wrk.run(script, 1, "http://127.0.0.1:" + server.getAddress().getPort(), dir.resolve("wrk.txt"));
            assertEquals(Set.copyOf(clients), seen, "every address of the list, and only those, was sent");
            assertTrue(r.requests() > 20, "requests: " + r.requests());
            assertTrue(r.counted());
            assertEquals(r.requests(), r.s2xx() + r.s403(), "every answer counted as 200 or 403");
            assertEquals(r.s403(), r.statusErrors(), "wrk's own count of statuses >= 400");
            assertEquals(0, r.socketErrors());
            // wrk stops counting at its deadline: answers still in flight then are served but not counted
            assertTrue(answered.get() >= r.requests() && answered.get() - r.requests() <= 4, answered + " vs " + r.requests());
            assertTrue(Math.abs(blocked.get() - r.s403()) <= 4, blocked + " vs " + r.s403());
            assertTrue(r.p50() > 0 && r.p99() >= r.p50() && r.max() >= r.p99(), "latency percentiles in order: " + r);
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    @Test
    void parse_outputWithoutSummaryLine_isAClearError() {
        IOException e = assertThrows(IOException.class, () -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n",
                Path.of("wrk.txt")));
        assertTrue(e.getMessage().contains("no WRK_JSON summary line") && e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void script_refusesHeaderInjectionThroughClientsOrPath() {
        assertThrows(IllegalArgumentException.class, () -> new WrkScript("/", List.of("1.2.3.4\"\r\nX-Evil: 1"), 0, false));
        assertThrows(IllegalArgumentException.class, () -> new WrkScript("/a b", List.of(), 0, false));
    }
}
