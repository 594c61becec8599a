package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FeedSource against a real HTTP server on a random loopback port; backoff sleeps are recorded, not slept. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FeedSourceHttpTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String V1 = "# list v1\n192.0.2.1\n198.51.100.0/24\n";
    private static final String V2 = "# list v2\n203.0.113.7\n";
    private static final String LAST_MODIFIED = "Sat, 31 Oct 2026 12:00:00 GMT";

    /** What the server does for the n-th request (1-based) it receives. */
    @FunctionalInterface
    interface Behaviour {
        void handle(HttpExchange ex, int n) throws IOException;
    }

    @TempDir
    Path tmp;
    private HttpServer server;
    private ExecutorService executor;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<Headers> headers = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final MutableClock clock = new MutableClock(T0);
    private volatile Behaviour behaviour;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // stalling handlers must not block the others, and must be interruptible at shutdown
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            headers.add(ex.getRequestHeaders());
            try {
                behaviour.handle(ex, paths.size());
            } finally {
                ex.close(); // short of Content-Length, this drops the connection, as the truncation test wants
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private FeedSource source(FeedSource.FetchSettings settings) {
        return new FeedSource(tmp.resolve("cache"), clock, settings, sleeps::add);
    }

    private FeedSource source() {
        return source(new FeedSource.FetchSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
                Duration.ofMillis(100), 1 << 20));
    }

    private static void send(HttpExchange ex, int status, byte[] body, String... headerPairs) throws IOException {
        for (int i = 0; i < headerPairs.length; i += 2) {
            ex.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendV1(HttpExchange ex) throws IOException {
        send(ex, 200, V1.getBytes(StandardCharsets.UTF_8), "ETag", "\"v1\"", "Last-Modified", LAST_MODIFIED);
    }

    private static String read(ResolvedFeed feed) throws IOException {
        try (InputStream in = feed.input().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Downloads V1 once at T0 so the cache holds a good copy, then moves the clock past the min refresh. */
    private ResolvedFeed primeCache(FeedSource source, FeedSpec spec) throws IOException {
        behaviour = (ex, n) -> sendV1(ex);
        ResolvedFeed first = source.resolve(spec).get(0);
        assertEquals(ResolvedFeed.Origin.DOWNLOADED, first.origin());
        assertEquals(V1, read(first));
        clock.advance(Duration.ofHours(2));
        return first;
    }

    @Test
    void fetch_firstTime_downloadsAndCachesWithValidators() throws IOException {
        behaviour = (ex, n) -> sendV1(ex);
        String url = url("/lists/blocklist_de_ssh.ipset");

        ResolvedFeed r = source().resolve(FeedSpec.parse(url + ",category=brute_force")).get(0);

        assertEquals(ResolvedFeed.Origin.DOWNLOADED, r.origin());
        assertEquals("blocklist_de_ssh", r.name());
        assertEquals(url, r.input().displayName());
        assertEquals(T0, r.fetchedAt());
        assertNull(r.problem());
        assertEquals(V1, read(r));
        Headers sent = headers.get(0);
        assertTrue(sent.getFirst("User-Agent").matches("threatip/\\S+ \\(\\+feed etiquette: min refresh 1h\\)"),
                sent.getFirst("User-Agent"));
        assertEquals("gzip", sent.getFirst("Accept-Encoding"));
        assertNull(sent.getFirst("If-None-Match"));
        String meta = Files.readString(r.input().path().resolveSibling(
                r.input().path().getFileName().toString().replace(".feed", ".meta.json")));
        assertTrue(meta.contains("\"etag\" : \"\\\"v1\\\"\""), meta);
        assertTrue(meta.contains(LAST_MODIFIED), meta);
        assertTrue(meta.contains("\"bytes\" : " + V1.length()), meta);
    }

    @Test
    void fetch_beforeMinRefresh_makesNoRequest() throws IOException {
        behaviour = (ex, n) -> sendV1(ex);
        FeedSpec spec = FeedSpec.parse(url("/a.txt") + ",refresh=6h");
        FeedSource source = source();
        source.resolve(spec);
        clock.advance(Duration.ofHours(5));

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_TOO_SOON, r.origin());
        assertEquals(T0, r.fetchedAt());
        assertEquals(V1, read(r));
        assertEquals(1, paths.size());
        assertTrue(headers.get(0).getFirst("User-Agent").endsWith("min refresh 6h)"));
    }

    @Test
    void fetch_serverAnswers304_usesCachedCopy() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source();
        ResolvedFeed first = primeCache(source, spec);
        behaviour = (ex, n) -> send(ex, 304, new byte[0], "ETag", "\"v1\"");

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.NOT_MODIFIED, r.origin());
        assertEquals(T0.plus(Duration.ofHours(2)), r.fetchedAt());
        assertEquals(first.input().path(), r.input().path());
        assertEquals(V1, read(r));
        assertEquals(2, paths.size());
        assertEquals("\"v1\"", headers.get(1).getFirst("If-None-Match"));
        assertEquals(LAST_MODIFIED, headers.get(1).getFirst("If-Modified-Since"));

        // the 304 counts as a refresh: the minimum interval runs from it
        clock.advance(Duration.ofMinutes(30));
        assertEquals(ResolvedFeed.Origin.CACHED_TOO_SOON, source.resolve(spec).get(0).origin());
        assertEquals(2, paths.size());
    }

    @Test
    void fetch_changedFeed_replacesCopy() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source();
        primeCache(source, spec);
        behaviour = (ex, n) -> send(ex, 200, V2.getBytes(StandardCharsets.UTF_8), "ETag", "\"v2\"");

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.DOWNLOADED, r.origin());
        assertEquals(V2, read(r));
        clock.advance(Duration.ofHours(2));
        behaviour = (ex, n) -> send(ex, 304, new byte[0]);
        source.resolve(spec);
        assertEquals("\"v2\"", headers.get(2).getFirst("If-None-Match"));
    }

    @Test
    void fetch_server500Repeatedly_retriesWithBackoffThenUsesLastGoodCopy() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source();
        primeCache(source, spec);
        behaviour = (ex, n) -> send(ex, 500, "boom".getBytes(StandardCharsets.UTF_8));

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("HTTP 500 after 3 attempts", r.problem());
        assertEquals(T0, r.fetchedAt());
        assertEquals(V1, read(r));
        assertEquals(1 + 3, paths.size());
        assertEquals(2, sleeps.size());
        assertBetween(sleeps.get(0), 100, 150);
        assertBetween(sleeps.get(1), 200, 300);
    }

    private static void assertBetween(Duration d, long minMs, long maxMs) {
        assertTrue(d.toMillis() >= minMs && d.toMillis() <= maxMs, d + " not in " + minMs + ".." + maxMs + " ms");
    }

    @Test
    void fetch_429WithRetryAfter_waitsAsToldThenDownloads() throws IOException {
        behaviour = (ex, n) -> {
            if (n == 1) {
                send(ex, 429, new byte[0], "Retry-After", "7");
            } else {
                sendV1(ex);
            }
        };

        ResolvedFeed r = source().resolve(FeedSpec.of(url("/a.txt"))).get(0);

        assertEquals(ResolvedFeed.Origin.DOWNLOADED, r.origin());
        assertEquals(V1, read(r));
        assertEquals(List.of(Duration.ofSeconds(7)), sleeps);
    }

    @Test
    void fetch_retryAfterOfAnHour_isCapped() {
        behaviour = (ex, n) -> send(ex, 503, new byte[0], "Retry-After", "3600");

        FeedFormatException e = assertThrows(FeedFormatException.class, () -> source().resolve(FeedSpec.of(url("/a.txt"))));

        assertTrue(e.why().startsWith("HTTP 503 after 3 attempts"), e.why());
        assertEquals(List.of(HttpFetcher.MAX_RETRY_AFTER, HttpFetcher.MAX_RETRY_AFTER), sleeps);
    }

    @Test
    void fetch_serverStallsBeforeHeaders_reportsTimeoutAndUsesCache() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source(new FeedSource.FetchSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 2,
                Duration.ofMillis(100), 1 << 20));
        primeCache(source, spec);
        behaviour = (ex, n) -> stall();

        long started = System.nanoTime();
        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("timed out after 300ms (2 attempts)", r.problem());
        assertEquals(V1, read(r));
        assertEquals(1 + 2, paths.size());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000, "gave up in time");
    }

    @Test
    void fetch_serverStallsMidBody_reportsTimeoutAndKeepsOldCopy() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source(new FeedSource.FetchSettings(Duration.ofSeconds(2), Duration.ofMillis(300), 1,
                Duration.ofMillis(100), 1 << 20));
        ResolvedFeed first = primeCache(source, spec);
        byte[] good = Files.readAllBytes(first.input().path());
        behaviour = (ex, n) -> {
            ex.sendResponseHeaders(200, 5000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[100]);
            out.flush();
            stall();
        };

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("timed out after 300ms", r.problem());
        assertArrayEquals(good, Files.readAllBytes(r.input().path()));
    }

    private static void stall() {
        try {
            Thread.sleep(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test is over and the server is stopping
        }
    }

    @Test
    void fetch_truncatedBody_keepsOldCopyByteForByte() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/a.txt"));
        FeedSource source = source();
        ResolvedFeed first = primeCache(source, spec);
        byte[] good = Files.readAllBytes(first.input().path());
        behaviour = (ex, n) -> {
            ex.sendResponseHeaders(200, 5000);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[1000]);
            out.flush();
            // closing the exchange short of Content-Length makes the server drop the connection
        };

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("body truncated: 1000 of 5000 bytes (3 attempts)", r.problem());
        assertArrayEquals(good, Files.readAllBytes(r.input().path()));
        assertNoPartialFiles();
    }

    private void assertNoPartialFiles() throws IOException {
        try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
        }
    }

    @Test
    void fetch_firstEverFetchFails_throwsNamingTheUrl() {
        behaviour = (ex, n) -> send(ex, 502, new byte[0]);
        String url = url("/a.txt");

        FeedFormatException e = assertThrows(FeedFormatException.class, () -> source().resolve(FeedSpec.of(url)));

        assertEquals(url, e.file());
        assertEquals(url + ": HTTP 502 after 3 attempts; no cached copy to fall back on", e.getMessage());
    }

    @Test
    void fetch_404_isNotRetried() throws IOException {
        behaviour = (ex, n) -> send(ex, 404, "not here".getBytes(StandardCharsets.UTF_8));
        FeedSource source = source();

        FeedFormatException e = assertThrows(FeedFormatException.class, () -> source.resolve(FeedSpec.of(url("/gone.txt"))));

        assertEquals("HTTP 404; no cached copy to fall back on", e.why());
        assertEquals(1, paths.size());
        assertEquals(List.of(), sleeps);

        FeedSpec cachedSpec = FeedSpec.of(url("/a.txt"));
        primeCache(source, cachedSpec);
        behaviour = (ex, n) -> send(ex, 404, new byte[0]);
        ResolvedFeed r = source.resolve(cachedSpec).get(0);
        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("HTTP 404", r.problem());
        assertEquals(3, paths.size());
    }

    @Test
    void fetch_connectionRefused_retriesThenFails() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }

        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> source().resolve(FeedSpec.of("http://127.0.0.1:" + closedPort + "/a.txt")));

        assertEquals("cannot connect to 127.0.0.1:" + closedPort + " (3 attempts); no cached copy to fall back on", e.why());
        assertEquals(2, sleeps.size());
    }

    @Test
    void fetch_bodyOverMaxBytes_isRefusedWithoutRetry() {
        FeedSource small = source(new FeedSource.FetchSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
                Duration.ofMillis(100), 1000));
        behaviour = (ex, n) -> send(ex, 200, new byte[2000]);
        FeedFormatException declared = assertThrows(FeedFormatException.class, () -> small.resolve(FeedSpec.of(url("/a"))));
        assertTrue(declared.why().startsWith("body of 2000 bytes exceeds the limit of 1000"), declared.why());

        behaviour = (ex, n) -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length to check up front
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[4000]);
            } catch (IOException e) {
                // the client hung up once over the limit
            }
        };
        FeedFormatException streamed = assertThrows(FeedFormatException.class, () -> small.resolve(FeedSpec.of(url("/b"))));
        assertTrue(streamed.why().startsWith("body exceeds the limit of 1000 bytes"), streamed.why());
        assertEquals(2, paths.size());
    }

    @Test
    void fetch_gzipEncodedAndGzipFiles_areDecodedExactlyOnce() throws IOException {
        byte[] gz = gzip(V1);
        behaviour = (ex, n) -> {
            if (ex.getRequestURI().getPath().endsWith(".gz")) {
                send(ex, 200, gz, "Content-Type", "application/gzip");
            } else {
                send(ex, 200, gz, "Content-Encoding", "gzip");
            }
        };
        FeedSource source = source();

        assertEquals(V1, read(source.resolve(FeedSpec.of(url("/encoded.txt"))).get(0)));
        ResolvedFeed file = source.resolve(FeedSpec.of(url("/ipsum.txt.gz"))).get(0);
        assertEquals("ipsum", file.name());
        assertEquals(V1, read(file));
    }

    private static byte[] gzip(String s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void fetch_redirect_isFollowed() throws IOException {
        behaviour = (ex, n) -> {
            if (ex.getRequestURI().getPath().equals("/old.txt")) {
                send(ex, 301, new byte[0], "Location", url("/new.txt"));
            } else {
                sendV1(ex);
            }
        };

        ResolvedFeed r = source().resolve(FeedSpec.of(url("/old.txt"))).get(0);

        assertEquals(V1, read(r));
        assertEquals(List.of("/old.txt", "/new.txt"), paths);
        assertEquals("old", r.name());
    }

    // ---------------------------------------------------------------- MISP feeds by URL

    private static final String E1 = "5b6e5b1e-0000-4000-8000-000000000001";
    private static final String E2 = "5b6e5b1e-0000-4000-8000-000000000002";

    private static String manifest(String... uuidTimestamp) {
        StringBuilder b = new StringBuilder("{\"../../escape\": {\"timestamp\": \"1\"}");
        for (int i = 0; i < uuidTimestamp.length; i += 2) {
            b.append(", \"").append(uuidTimestamp[i]).append("\": {\"info\": \"x\", \"timestamp\": \"")
                    .append(uuidTimestamp[i + 1]).append("\"}");
        }
        return b.append('}').toString();
    }

    private void serveMisp(String manifest, String etag, boolean failEvents) {
        behaviour = (ex, n) -> {
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/manifest.json")) {
                if (etag.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                    send(ex, 304, new byte[0]);
                } else {
                    send(ex, 200, manifest.getBytes(StandardCharsets.UTF_8), "ETag", etag);
                }
            } else if (failEvents) {
                send(ex, 500, new byte[0]);
            } else {
                send(ex, 200, ("{\"Event\": {\"path\": \"" + path + "\"}}").getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    @Test
    void fetch_mispManifestUrl_downloadsEventsIntoOneFeedDirectory() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/feeds/circl/manifest.json"));
        FeedSource source = source();
        serveMisp(manifest(E1, "100", E2, "200"), "\"m1\"", false);

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.DOWNLOADED, r.origin());
        assertEquals("circl", r.name());
        Path dir = r.input().path();
        assertTrue(Files.isDirectory(dir));
        assertEquals(List.of(E1 + ".json", E2 + ".json", "manifest.json"), listing(dir));
        assertEquals("{\"Event\": {\"path\": \"/feeds/circl/" + E2 + ".json\"}}", Files.readString(dir.resolve(E2 + ".json")));
        assertEquals(3, paths.size());

        // unchanged manifest: no event is fetched again
        clock.advance(Duration.ofHours(2));
        ResolvedFeed same = source.resolve(spec).get(0);
        assertEquals(ResolvedFeed.Origin.NOT_MODIFIED, same.origin());
        assertEquals(4, paths.size());
        assertEquals(List.of(E1 + ".json", E2 + ".json", "manifest.json"), listing(dir));

        // E1 changed, E2 dropped: only E1 is fetched, E2 leaves the cache
        clock.advance(Duration.ofHours(2));
        serveMisp(manifest(E1, "101"), "\"m2\"", false);
        ResolvedFeed changed = source.resolve(spec).get(0);
        assertEquals(ResolvedFeed.Origin.DOWNLOADED, changed.origin());
        assertEquals(List.of("/feeds/circl/manifest.json", "/feeds/circl/" + E1 + ".json"), paths.subList(4, 6));
        assertEquals(6, paths.size());
        assertEquals(List.of(E1 + ".json", "manifest.json"), listing(dir));
    }

    @Test
    void fetch_mispEventFails_keepsPreviousFeedWhole() throws IOException {
        FeedSpec spec = FeedSpec.of(url("/feeds/circl/manifest.json"));
        FeedSource source = source();
        serveMisp(manifest(E1, "100"), "\"m1\"", false);
        Path dir = source.resolve(spec).get(0).input().path();
        String before = Files.readString(dir.resolve("manifest.json"));
        clock.advance(Duration.ofHours(2));
        serveMisp(manifest(E1, "100", E2, "200"), "\"m2\"", true);

        ResolvedFeed r = source.resolve(spec).get(0);

        assertEquals(ResolvedFeed.Origin.CACHED_AFTER_FAILURE, r.origin());
        assertEquals("event " + E2 + ".json: HTTP 500 after 3 attempts", r.problem());
        assertEquals(before, Files.readString(dir.resolve("manifest.json")));
        assertEquals(List.of(E1 + ".json", "manifest.json"), listing(dir));
        try (Stream<Path> s = Files.list(tmp.resolve("cache"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().contains(".staging-")), "staging removed");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A clock the test moves by hand, so minimum refresh intervals pass without waiting. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
