package dev.threatip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.store.EventStore;
import dev.threatip.web.ApiTokens;
import dev.threatip.web.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency of the REST API over a big store: the real {@link WebServer} on loopback in front of a
 * DuckDB store filled by the ingest pipeline, queried one request at a time with
 * {@code java.net.http} after a warm-up. The store is built once (from a corpus, through
 * {@link IngestBench}) and reused while its marker file says it is complete.
 */
final class ApiLatencyBench {
    private static final String MARKER = "complete";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path intel;
    private final IngestBench ingest;

    ApiLatencyBench(Path intel, IngestBench ingest) {
        this.intel = intel;
        this.ingest = ingest;
    }

    /**
     * Latencies of one endpoint.
     *
     * @param name     the endpoint, as reported
     * @param example  one of the URLs requested
     * @param answered what the last answer held (total, items), to show the query did real work
     * @param millis   every request's latency, sorted
     */
    record Latency(String name, String example, String answered, double[] millis) {
        double percentile(double p) {
            int rank = (int) Math.ceil(p / 100 * millis.length);
            return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
        }

        double max() {
            return millis[millis.length - 1];
        }
    }

    /**
     * The store in {@code dataDir}, built from {@code corpus} when it is not there complete.
     *
     * @return the build's ingest result, or null when the store was reused
     */
    IngestBench.Result ensureStore(Path corpus, Path dataDir) throws Exception {
        if (Files.exists(dataDir.resolve(MARKER))) {
            return null;
        }
        IngestBench.deleteTree(dataDir);
        Files.createDirectories(dataDir);
        ServeBenchRunner.log("building the API store from " + corpus + " in " + dataDir + " (once; reused afterwards)");
        IngestBench.Result r = ingest.readersInto(corpus, 1, dataDir);
        Files.writeString(dataDir.resolve(MARKER), r.stored() + " events from " + corpus + "\n");
        return r;
    }

    /**
     * Starts the web server over the store and measures each endpoint.
     *
     * @param from      start of the stats window (the corpus' first day)
     * @param requests  timed requests per endpoint
     * @param warmup    untimed requests per endpoint before
     */
    List<Latency> measure(Path dataDir, Instant from, int requests, int warmup) throws Exception {
        String token = ApiTokens.newToken();
        try (EventStore store = EventStore.open(dataDir, Clock.systemUTC())) {
            LiveReputation reputation = LiveReputation.open(intel, ReputationIndex.OpenOptions.defaults());
            try (WebServer web = WebServer.builder().port(0).store(store).reputation(reputation)
                    .tokens(ApiTokens.of(token, List.of())).metrics(new PrometheusRegistry()).build().start()) {
                Client c = new Client(web.url(), token);
                ServeBenchRunner.log("store: " + store.countEvents() + " events; web server at " + web.url());

                // the IPs a dashboard user opens: the top of the list by level and by hits, and the busiest clean client
                List<String> ips = new ArrayList<>();
                for (String sort : List.of("level", "hits")) {
                    for (JsonNode item : c.get("/api/v1/ips?limit=10&sort=" + sort).get("items")) {
                        String ip = item.get("ip").asText();
                        if (!ips.contains(ip)) {
                            ips.add(ip);
                        }
                    }
                }
                if (ips.isEmpty()) {
                    throw new IllegalStateException("the store has no flagged IPs; is it the corpus' store?");
                }
                String to = from.plus(Duration.ofDays(1)).toString();
                Map<String, List<String>> endpoints = new LinkedHashMap<>();
                endpoints.put("GET /api/v1/stats (24 h)", List.of("/api/v1/stats?from=" + from + "&to=" + to));
                endpoints.put("GET /api/v1/ips (first page)", List.of("/api/v1/ips"));
                endpoints.put("GET /api/v1/ips (filtered page)", List.of(
                        "/api/v1/ips?category=scanner&confidence=high", "/api/v1/ips?level=high&offset=50",
                        "/api/v1/ips?category=brute_force&q=" + enc(prefix(ips.get(0)))));
                endpoints.put("GET /api/v1/ips/{ip}", ips.stream().map(ip -> "/api/v1/ips/" + enc(ip)).toList());
                endpoints.put("GET /api/v1/ips/{ip}/logs", ips.stream().map(ip -> "/api/v1/ips/" + enc(ip) + "/logs").toList());

                List<Latency> out = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : endpoints.entrySet()) {
                    List<String> urls = e.getValue();
                    for (int i = 0; i < warmup; i++) {
                        c.get(urls.get(i % urls.size()));
                    }
                    double[] ms = new double[requests];
                    JsonNode last = null;
                    for (int i = 0; i < requests; i++) {
                        long t = System.nanoTime();
                        last = c.get(urls.get(i % urls.size()));
                        ms[i] = (System.nanoTime() - t) / 1e6;
                    }
                    Arrays.sort(ms);
                    out.add(new Latency(e.getKey(), urls.get(0), describe(last), ms));
                    ServeBenchRunner.log(String.format(java.util.Locale.ROOT, "%s: p50 %.1f ms, p95 %.1f ms (%s)",
                            e.getKey(), out.get(out.size() - 1).percentile(50), out.get(out.size() - 1).percentile(95),
                            describe(last)));
                }
                return out;
            }
        }
    }

    /** The first two groups of an address: a prefix the {@code q} filter matches. */
    private static String prefix(String ip) {
        int dot = ip.indexOf('.', ip.indexOf('.') + 1);
        int colon = ip.indexOf(':', ip.indexOf(':') + 1);
        int cut = dot > 0 ? dot : colon > 0 ? colon : ip.length();
        return ip.substring(0, cut);
    }

    private static String describe(JsonNode answer) {
        if (answer.has("total")) {
            return "total " + answer.get("total").asLong() + ", " + answer.get("items").size() + " items";
        }
        if (answer.has("requests")) {
            return answer.get("requests").asLong() + " requests, " + answer.get("flagged_ips").asLong() + " flagged IPs";
        }
        if (answer.has("events")) {
            return answer.get("events").asLong() + " events of " + answer.get("ip").asText();
        }
        return answer.size() + " members";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One HTTP/1.1 client on loopback with the admin token; every answer must be 200 JSON. */
    private static final class Client {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final String token;

        Client(String url, String token) {
            this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.token = token;
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(1))
                    .header("Authorization", "Bearer " + token).GET().build();
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + res.statusCode() + ": "
                        + new String(res.body(), StandardCharsets.UTF_8));
            }
            return JSON.readTree(res.body());
        }
    }
}
