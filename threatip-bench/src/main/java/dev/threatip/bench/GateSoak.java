package dev.threatip.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The soak of {@code threatip gate} ({@code gate-bench.sh --soak SECONDS}): wrk at a fixed moderate
 * rate (a few connections, each pausing between requests) through gate for the whole time, with
 * the mixed {@code X-Forwarded-For} clients so blocks, hit-log lines and forwarded requests all
 * happen; every {@code --sample-every} seconds gate's RSS (from {@code /proc}) and its heap right
 * after a full collection (over JMX, {@link JvmProbe}) are sampled. Prints the series, the
 * least-squares slope of both after the first minute (the warm-up: JIT, pools and heap filling),
 * and whether gate answered every request (no socket error, no 5xx, every answer a 200 or the
 * listed clients' 403).
 *
 * <p>Bounds: the heap after GC is "flat" when its fitted growth over the measured span is under
 * {@value #HEAP_FLAT_BYTES} bytes (1 MiB: far below one leaked object per request, which would be
 * tens of MiB in ten minutes); RSS may grow at most {@value #RSS_BOUND_BYTES} bytes (32 MiB) over
 * the same span (the JVM's code cache, metaspace and malloc arenas settle slowly).
 */
final class GateSoak {
    static final long HEAP_FLAT_BYTES = 1L << 20;
    static final long RSS_BOUND_BYTES = 32L << 20;
    /** Samples before this second are the warm-up: shown, not fitted. */
    static final int WARMUP_SECONDS = 60;

    private GateSoak() {
    }

    /** One sample of gate. */
    record Point(double seconds, long rssBytes, long heapAfterGcBytes, long directBytes, int threads, double cpuShare,
                 long hitLogBytes, boolean underLoad) {
    }

    static void run(GateBenchRunner.Options o, DenyList deny) throws Exception {
        Path work = o.work();
        int originPort = GateBenchRunner.freePort();
        int gatePort = GateBenchRunner.freePort();
        Path originConf = NginxConf.writeOrigin(work.resolve("origin"), originPort, o.workers());
        NginxConf.check(o.nginx(), originConf);
        List<String> mixed = deny.mixedClients(GateBenchRunner.SEED);
        double listedShare = (double) deny.listed().size() / mixed.size();
        Wrk wrk = new Wrk(o.wrk(), o.wrkCpus(), o.wrkThreads(), Math.max(o.soakConnections(), o.wrkThreads()));
        int delay = GateBenchRunner.Options.delayMs(wrk.connections(), o.soakRate());
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path script = new WrkScript("/", mixed, delay, true).write(scripts.resolve("soak.lua"));
        Path hitLog = work.resolve("gate-hits-soak.log");
        Files.deleteIfExists(hitLog);
        String loadBefore = GateBenchRunner.load();
        List<Point> points = new ArrayList<>();
        Wrk.Result result;
        List<String> threadNames;
        GateBenchRunner.LookupCheck check;
        try (PinnedProcess origin = PinnedProcess.start("origin nginx", o.originCpus(), NginxConf.command(o.nginx(), originConf),
                work.resolve("origin.log"), originPort, 30);
             PinnedProcess gate = GateBenchRunner.startGate(o, gatePort, originPort, hitLog);
             JvmProbe probe = JvmProbe.attach(gate.pid())) {
            String url = "http://127.0.0.1:" + gatePort;
            check = GateBenchRunner.LookupCheck.run(url + "/", deny);
            GateBenchRunner.log("lookup check: gate " + check);
            GateBenchRunner.log(String.format(Locale.ROOT, "soak: %d s through gate at ~%,d req/s (%s), %s; samples every %d s",
                    o.soakSeconds(), o.soakRate(), wrk, script.getFileName(), o.sampleEvery()));
            CompletableFuture<Wrk.Result> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return wrk.run(script, o.soakSeconds(), url, work.resolve("wrk-soak.txt"));
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            long start = System.nanoTime();
            double lastCpu = gate.cpuSeconds();
            long lastAt = start;
            while (true) {
                boolean underLoad = !running.isDone();
                long now = System.nanoTime();
                double cpu = gate.cpuSeconds();
                JvmProbe.Sample js = probe.sampleAfterGc();
                double share = now == lastAt ? 0 : (cpu - lastCpu) / ((now - lastAt) / 1e9);
                Point p = new Point((now - start) / 1e9, gate.rssKiB() * 1024, js.heapAfterGcBytes(), js.directBytes(), js.threads(),
                        share, Files.exists(hitLog) ? Files.size(hitLog) : 0, underLoad);
                points.add(p);
                GateBenchRunner.log(String.format(Locale.ROOT, "t=%4.0f s  RSS %6.1f MiB  heap after GC %6.2f MiB  direct %5.1f MiB  %d threads  CPU %3.0f%%",
                        p.seconds(), mib(p.rssBytes()), mib(p.heapAfterGcBytes()), mib(p.directBytes()), p.threads(), 100 * p.cpuShare()));
                lastCpu = cpu;
                lastAt = now;
                if (running.isDone()) {
                    break;
                }
                try {
                    running.get(o.sampleEvery(), TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    continue;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("wrk failed during the soak: " + e.getCause().getMessage(), e.getCause());
                }
            }
            result = running.get();
            threadNames = gate.threadNames();
            if (!gate.isAlive()) {
                throw new IllegalStateException("gate died during the soak: " + gate.logTail());
            }
        }
        print(o, wrk, delay, listedShare, check, result, points, threadNames, loadBefore, GateBenchRunner.load());
    }

    /** Least-squares slope of {@code y} over seconds, per minute. */
    static double slopePerMinute(List<Point> points, java.util.function.ToLongFunction<Point> y) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (Point p : points) {
            mx += p.seconds();
            my += y.applyAsLong(p);
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (Point p : points) {
            num += (p.seconds() - mx) * (y.applyAsLong(p) - my);
            den += (p.seconds() - mx) * (p.seconds() - mx);
        }
        return den == 0 ? 0 : num / den * 60;
    }

    private static void print(GateBenchRunner.Options o, Wrk wrk, int delay, double listedShare, GateBenchRunner.LookupCheck check,
                              Wrk.Result r, List<Point> points, List<String> threads, String loadBefore, String loadAfter) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n## gate soak: %d s at ~%,d req/s (%s, %d ms pause per connection), %d cores%n%n",
                o.soakSeconds(), o.soakRate(), wrk, delay, Runtime.getRuntime().availableProcessors()));
        s.append(String.format(Locale.ROOT, "- gate on CPU %s, %s, `-XX:ActiveProcessorCount=%d`; origin on CPU %s; %d threads in gate at the end%n",
                o.proxyCpus(), String.join(" ", o.gateJava()), o.workers(), o.originCpus(), threads.size()));
        s.append(String.format(Locale.ROOT, "- clients: X-Forwarded-For rotating over the mixed list, %.0f%% listed (403 expected); "
                + "lookup check before the soak: %s%n", 100 * listedShare, check));
        s.append("- load before: ").append(loadBefore).append("; after: ").append(loadAfter).append("\n\n");
        s.append("| t (s) | RSS MiB | heap after GC MiB | direct buffers MiB | threads | gate CPU | hit log MB |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, "| %.0f%s | %.1f | %.2f | %.1f | %d | %.0f%% | %.1f |%n", p.seconds(),
                    p.underLoad() ? "" : " (load over)", mib(p.rssBytes()), mib(p.heapAfterGcBytes()), mib(p.directBytes()), p.threads(),
                    100 * p.cpuShare(), p.hitLogBytes() / 1e6));
        }
        List<Point> fitted = points.stream().filter(p -> p.seconds() >= WARMUP_SECONDS && p.underLoad()).toList();
        double span = fitted.size() < 2 ? 0 : (fitted.get(fitted.size() - 1).seconds() - fitted.get(0).seconds()) / 60;
        double heapSlope = slopePerMinute(fitted, Point::heapAfterGcBytes);
        double rssSlope = slopePerMinute(fitted, Point::rssBytes);
        double heapGrowth = heapSlope * span;
        double rssGrowth = rssSlope * span;
        s.append(String.format(Locale.ROOT, "%nFitted from t >= %d s while wrk ran (%d samples, %.1f min):%n", WARMUP_SECONDS,
                fitted.size(), span));
        s.append(String.format(Locale.ROOT, "- heap after GC: slope %+.1f KiB/min, %+.2f MiB over the span: %s (flat = under %d MiB)%n",
                heapSlope / 1024, heapGrowth / (1 << 20), fitted.size() < 2 ? "too short to tell" : Math.abs(heapGrowth) < HEAP_FLAT_BYTES
                        ? "flat" : "**grows**", HEAP_FLAT_BYTES >> 20));
        s.append(String.format(Locale.ROOT, "- RSS: slope %+.1f KiB/min, %+.1f MiB over the span: %s (bound %d MiB)%n",
                rssSlope / 1024, rssGrowth / (1 << 20), fitted.size() < 2 ? "too short to tell" : rssGrowth <= RSS_BOUND_BYTES
                        ? "within the bound" : "**over the bound**", RSS_BOUND_BYTES >> 20));
        long answered = r.s2xx() + r.s403();
        boolean every = r.socketErrors() == 0 && r.s5xx() == 0 && answered == r.requests() && r.s3xx() == 0 && r.s4xx() == 0;
        s.append(String.format(Locale.ROOT, "- answers: %,d requests in %.0f s = %,.0f req/s; 200: %,d, 403: %,d (%.1f%%, expected %.1f%%), "
                        + "other 4xx: %,d, 5xx: %,d, 3xx: %,d; socket errors: %d connect, %d read, %d write, %d timeouts: %s%n",
                r.requests(), r.seconds(), r.requestsPerSecond(), r.s2xx(), r.s403(), 100.0 * r.s403() / Math.max(1, r.requests()),
                100 * listedShare, r.s4xx(), r.s5xx(), r.s3xx(), r.connectErrors(), r.readErrors(), r.writeErrors(), r.timeouts(),
                every ? "every request answered" : "**CHECK: not every request was answered as expected**"));
        s.append(String.format(Locale.ROOT, "- latency at that rate: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms%n",
                r.p50() / 1e3, r.p99() / 1e3, r.p999() / 1e3, r.max() / 1e3));
        System.out.print(s);
        System.out.flush();
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
