package dev.threatip.bench;

import com.sun.net.httpserver.HttpServer;
import dev.threatip.serve.ServeConfig;
import dev.threatip.serve.ThreatipServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alert latency from log line to webhook at the default settings: a real {@code serve} (store,
 * pipeline flushing every second, outbox, delivery thread) with an ipsum feed of N listed IPs and
 * a policy that alerts on intel matches to a local webhook receiver. Each IP's one log line is
 * posted to {@code /api/v1/ingest} at a random moment; the latency is receipt at the webhook
 * minus the post. Prints min, median, p95 and max.
 *
 * <pre>
 * mvn -q -DskipTests package -pl threatip-bench -am
 * java -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.AlertLatencyRunner [alerts, default 20]
 * </pre>
 */
public final class AlertLatencyRunner {
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private AlertLatencyRunner() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = Files.createTempDirectory("threatip-alert-latency");
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            long t = System.nanoTime();
            try (InputStream in = ex.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                int i = body.indexOf("\"ip\":\"");
                arrived.putIfAbsent(body.substring(i + 6, body.indexOf('"', i + 6)), t);
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        StringBuilder feed = new StringBuilder("# ipsum\n");
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip = "45.155." + (200 + i / 200) + "." + (10 + i % 200);
            ips.add(ip);
            feed.append(ip).append("\t8\n");
        }
        Path feedFile = Files.writeString(dir.resolve("ipsum.txt"), feed);
        Path yaml = Files.writeString(dir.resolve("threatip.yaml"), """
                feeds: {specs: [%s]}
                server: {port: 0, data_dir: data}
                alerts:
                  channels:
                    hook: {type: webhook, url: "http://127.0.0.1:%d/", secret: 3f1c5e0a9b7d4e2f8a6c1b0d}
                  policies:
                    listed: {when: {source: [intel]}, channels: [hook]}
                """.formatted(feedFile, hook.getAddress().getPort()));
        HttpClient http = HttpClient.newHttpClient();
        List<Double> latencies = new ArrayList<>();
        try (ThreatipServer s = new ThreatipServer(ServeConfig.load(yaml), Clock.systemUTC(), m -> { }).start()) {
            java.util.Random random = new java.util.Random(42);
            for (String ip : ips) {
                Thread.sleep(500 + random.nextInt(1000)); // lines land anywhere in the flush cycle
                String line = ip + " - - [" + CLF.format(Instant.now()) + "] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"zgrab/0.x\"\n";
                long posted = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "api/v1/ingest"))
                        .header("Authorization", "Bearer " + s.adminToken()).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!arrived.containsKey(ip) && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                Long t = arrived.get(ip);
                if (t == null) {
                    throw new IllegalStateException("no alert for " + ip + " within 30 s");
                }
                latencies.add((t - posted) / 1e6);
            }
        } finally {
            hook.stop(0);
        }
        Collections.sort(latencies);
        System.out.printf(Locale.ROOT, "alerts: %d, log line to webhook ms: min %.0f, median %.0f, p95 %.0f, max %.0f%n", n,
                latencies.get(0), latencies.get(latencies.size() / 2), latencies.get((int) Math.ceil(latencies.size() * 0.95) - 1),
                latencies.get(latencies.size() - 1));
    }
}
