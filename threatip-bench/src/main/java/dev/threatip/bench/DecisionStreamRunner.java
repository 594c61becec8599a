package dev.threatip.bench;

import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import dev.threatip.web.ApiTokens;
import dev.threatip.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The CrowdSec bouncer stream at scale, end to end over HTTP on loopback: N decisions (default
 * 300,000) in a real DuckDB store, a real {@link WebServer}, and B bouncers (default 100).
 *
 * <pre>
 * mvn -q -DskipTests package -pl threatip-bench -am
 * java -Xmx512m -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.DecisionStreamRunner [decisions] [bouncers]
 * </pre>
 *
 * Measures: the startup response's size (identity and gzip, which Go's HTTP client — every
 * CrowdSec bouncer — asks for) and time for one bouncer; B bouncers pulling their startup list
 * at once (wall time, and the JVM's peak heap: sampled every 5 ms, and the old
 * generation after the last collection); then 1,000 decisions added and 1,000 deleted, and each
 * bouncer's delta pull (time, size). Clients drain the bodies without parsing them.
 */
public final class DecisionStreamRunner {
    private static final String ADMIN = "bench-admin-token-0123456789";

    private DecisionStreamRunner() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int bouncers = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Path dir = Files.createTempDirectory("threatip-stream-bench");
        Clock clock = Clock.systemUTC();
        System.out.printf(Locale.ROOT, "JVM max heap %d MiB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        try (EventStore store = EventStore.open(dir, clock);
             WebServer web = WebServer.builder().port(0).store(store).tokens(ApiTokens.of(ADMIN, List.of())).clock(clock)
                     .build().start()) {
            DecisionStore decisions = new DecisionStore(store);
            long t0 = System.nanoTime();
            List<Decision> seeded = decisions.addAll(generate(n, clock.instant(), 1), false);
            System.out.printf(Locale.ROOT, "seeded %,d decisions in %.1f s%n", n, seconds(t0));
            BouncerStore keys = new BouncerStore(store);
            List<String> bouncerKeys = new ArrayList<>();
            for (int i = 0; i < bouncers; i++) {
                String k = BouncerStore.newKey();
                keys.add("bench-" + i, k);
                bouncerKeys.add(k);
            }
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
            String url = web.url() + "v1/decisions/stream";

            // warm-up, then one bouncer's startup pull, identity and gzip
            pull(http, url + "?startup=true", bouncerKeys.get(0), true);
            for (boolean gzip : new boolean[] {false, true}) {
                long t = System.nanoTime();
                Pull p = pull(http, url + "?startup=true", bouncerKeys.get(0), gzip);
                System.out.printf(Locale.ROOT, "startup pull, one bouncer, %s: %,d bytes on the wire (%,d JSON), %.2f s, %,d decisions%n",
                        gzip ? "gzip" : "identity", p.wire, p.json, seconds(t), p.decisions);
            }

            // all bouncers at once
            System.gc();
            HeapWatch heap = new HeapWatch();
            heap.start();
            ExecutorService pool = Executors.newFixedThreadPool(bouncers);
            long t = System.nanoTime();
            List<Future<Pull>> futures = new ArrayList<>();
            for (String k : bouncerKeys) {
                futures.add(pool.submit(() -> pull(http, url + "?startup=true", k, true)));
            }
            long wire = 0;
            long count = 0;
            for (Future<Pull> f : futures) {
                Pull p = f.get();
                wire += p.wire;
                count += p.decisions;
            }
            double wall = seconds(t);
            heap.stopWatching();
            System.out.printf(Locale.ROOT, "%d concurrent startup pulls: %.1f s wall, %,d decisions, %,d MB on the wire; "
                    + "peak heap used %d MiB (sampled), old gen after the last GC %d MiB%n", bouncers, wall, count, wire >> 20,
                    heap.peak.get() >> 20, heap.oldAfterGc() >> 20);

            // changes, then every bouncer's delta pull
            Instant now = clock.instant();
            decisions.addAll(generate(1_000, now, 7), false);
            for (int i = 0; i < 1_000; i++) {
                decisions.delete(seeded.get(i * (n / 1_000)).id(), now);
            }
            double[] ms = new double[bouncers];
            long deltaBytes = 0;
            long deltaDecisions = 0;
            for (int i = 0; i < bouncers; i++) {
                long td = System.nanoTime();
                Pull p = pull(http, url, bouncerKeys.get(i), true);
                ms[i] = (System.nanoTime() - td) / 1e6;
                deltaBytes += p.wire;
                deltaDecisions += p.decisions;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "delta pull (1,000 new + 1,000 deleted): median %.1f ms, max %.1f ms, %,d bytes and %,d "
                    + "decisions per bouncer%n", ms[bouncers / 2], ms[bouncers - 1], deltaBytes / bouncers, deltaDecisions / bouncers);
            long td = System.nanoTime();
            Pull quiet = pull(http, url, bouncerKeys.get(0), true);
            System.out.printf(Locale.ROOT, "delta pull, nothing changed: %.1f ms, %d bytes%n", (System.nanoTime() - td) / 1e6, quiet.json);
            pool.shutdown();
        }
    }

    /** One pull's bytes on the wire, bytes of JSON, and decisions (counted as {@code "id":} occurrences). */
    record Pull(long wire, long json, long decisions) {
    }

    private static Pull pull(HttpClient http, String url, String key, boolean gzip) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("X-Api-Key", key)
                .header("User-Agent", "crowdsec-firewall-bouncer/bench");
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        CountingStream wire = new CountingStream(r.body());
        boolean gzipped = r.headers().firstValue("Content-Encoding").map("gzip"::equals).orElse(false);
        try (InputStream in = gzipped ? new GZIPInputStream(wire, 1 << 16) : wire) {
            byte[] buf = new byte[1 << 16];
            long json = 0;
            long ids = 0;
            int match = 0;
            byte[] needle = "\"id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int k; (k = in.read(buf)) > 0; ) {
                json += k;
                for (int i = 0; i < k; i++) {
                    match = buf[i] == needle[match] ? match + 1 : buf[i] == needle[0] ? 1 : 0;
                    if (match == needle.length) {
                        ids++;
                        match = 0;
                    }
                }
            }
            return new Pull(wire.count, json, ids);
        }
    }

    /** Decisions as an edge sees them: mostly single IPv4 addresses, some IPv6 /64s and IPv4 ranges. */
    static List<Decision> generate(int n, Instant now, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] reasons = {"scanner high: probing-4xx", "brute_force high: login-fail", "web_attack high: sqli-probe",
            "network_attack high: firehol_level1", "network_proxy high: tor_exits", "malicious_bot moderate: scraper-rate",
            "exploit high: log4shell-probe", "imported: blocklist.de ssh"};
        Category[] cats = {Category.SCANNER, Category.BRUTE_FORCE, Category.WEB_ATTACK, Category.NETWORK_ATTACK,
            Category.NETWORK_PROXY, Category.MALICIOUS_BOT, Category.EXPLOIT, null};
        List<Decision> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            Cidr scope;
            if (kind < 95) {
                scope = Cidr.of(IpAddress.ofIpv4((int) rnd.nextLong(0x0100_0000L, 0xDF00_0000L)));
            } else if (kind < 98) {
                scope = new Cidr(new IpAddress(0x2001_0db8_0000_0000L | rnd.nextLong(1L << 32) << 16, 0), 64);
            } else {
                scope = new Cidr(IpAddress.ofIpv4((int) rnd.nextLong(0x0100_0000L, 0xDF00_0000L)), 24 + rnd.nextInt(5));
            }
            int r = rnd.nextInt(reasons.length);
            DecisionOrigin origin = cats[r] == null ? DecisionOrigin.IMPORT : DecisionOrigin.AUTO;
            Duration ttl = Duration.ofHours(1 + rnd.nextInt(7 * 24));
            out.add(new Decision(0, scope, rnd.nextInt(10) == 0 ? DecisionType.CAPTCHA : DecisionType.BAN, now, now.plus(ttl),
                    reasons[r], origin, origin == DecisionOrigin.AUTO ? "default" : null, cats[r],
                    cats[r] == null ? null : Confidence.HIGH, rnd.nextInt(500), 1));
        }
        return out;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Counts the bytes read through it. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int k = super.read(b, off, len);
            if (k > 0) {
                count += k;
            }
            return k;
        }
    }

    /** The heap's peak use, sampled every 5 ms, and the old generation's peak after collections. */
    private static final class HeapWatch extends Thread {
        final AtomicLong peak = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);

        HeapWatch() {
            super("heap-watch");
            setDaemon(true);
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.isCollectionUsageThresholdSupported()) {
                    p.resetPeakUsage();
                }
            }
        }

        @Override
        public void run() {
            while (running.get()) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                peak.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stopWatching() {
            running.set(false);
        }

        long oldAfterGc() {
            long max = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP && p.getName().contains("Old") && p.getCollectionUsage() != null) {
                    max = Math.max(max, p.getCollectionUsage().getUsed());
                }
            }
            return max;
        }
    }
}
