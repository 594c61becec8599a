package dev.threatip.bench;

import dev.threatip.intel.ReputationIndex;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end scale figures JMH does not give: feed generation, compile time and memory,
 * snapshot size, bytes per entry, open time and a quick lookup rate, per size, as a Markdown
 * table on stdout (progress on stderr).
 *
 * <pre>
 * mvn -q -DskipTests package -pl threatip-bench -am
 * java -Xmx2g -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.SnapshotScaleRunner [SIZE...]
 * </pre>
 * Sizes default to 1M, 10M and 100M feed lines; pass e.g. {@code 300000000} for the 300M run.
 * Each compile runs in a child JVM under {@code /usr/bin/time -v}, so its memory figure is the
 * child's maximum resident set, not a guess; the child's heap is sized from the entry count
 * (override with {@code -Dthreatip.bench.compileXmx=12g}). Feed generation is timed apart and
 * is not part of the compile time. The "cold" open is the first open after the snapshot's pages
 * were dropped from the page cache ({@code dd iflag=nocache}, best effort); the others are the
 * median of {@value #OPENS} opens with the page cache warm.
 */
public final class SnapshotScaleRunner {
    private static final int OPENS = 7;
    private static final int KEYS = 1 << 22;

    private SnapshotScaleRunner() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Long.parseLong(a.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000L, 10_000_000L, 100_000_000L);
        }
        List<String> rows = new ArrayList<>();
        for (long n : sizes) {
            rows.add(run(n));
            printTable(rows);
        }
    }

    private static String run(long n) throws Exception {
        if (Boolean.getBoolean("threatip.bench.lookupsOnly")) {
            ReputationIndex index = BenchData.open(BenchData.snapshot(n), ReputationIndex.Verification.STRUCTURE);
            double uniform = lookupRate(index, BenchData.keys("uniform", KEYS));
            double skewed = lookupRate(index, BenchData.keys("skewed", KEYS));
            return String.format(Locale.ROOT, "| %,d | lookups per CPU second: uniform %.2fM, skewed %.2fM |", n,
                    uniform / 1e6, skewed / 1e6);
        }
        log("== " + n + " feed lines, data in " + BenchData.dir());
        Path feed = BenchData.dir().resolve("feed-" + n + ".txt");
        String generation;
        if (Files.exists(feed)) {
            generation = "cached";
        } else {
            long t = System.nanoTime();
            BenchData.generateFeed(n, feed);
            generation = secs(System.nanoTime() - t);
        }
        log("feed " + feed + ": " + Files.size(feed) / (1 << 20) + " MB, generated in " + generation);

        Path snap = BenchData.snapshotPath(n);
        Map<String, String> c = compileInChild(n, feed, snap);
        log("compile: " + c);

        long fileBytes = Files.size(snap);
        BenchData.open(snap, ReputationIndex.Verification.STRUCTURE); // load the classes: time the I/O, not the JVM
        dropFromPageCache(snap);
        long t0 = System.nanoTime();
        ReputationIndex cold = BenchData.open(snap, ReputationIndex.Verification.FULL);
        long coldNanos = System.nanoTime() - t0;
        long entries = cold.ipv4Addresses();
        long ranges = cold.ipv4Ranges();
        long hot = cold.hotBytes();
        cold = null;
        double fullMs = medianOpenMs(snap, ReputationIndex.Verification.FULL);
        double structureMs = medianOpenMs(snap, ReputationIndex.Verification.STRUCTURE);
        log(String.format(Locale.ROOT, "open: cold %.1f ms, FULL %.1f ms, STRUCTURE %.1f ms", coldNanos / 1e6, fullMs,
                structureMs));

        ReputationIndex index = BenchData.open(snap, ReputationIndex.Verification.STRUCTURE);
        double uniform = lookupRate(index, BenchData.keys("uniform", KEYS));
        double skewed = lookupRate(index, BenchData.keys("skewed", KEYS));
        long rss = rssKb();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        log(String.format(Locale.ROOT, "lookups/s: uniform %.1fM, skewed %.1fM; RSS %d MB, heap used %d MB",
                uniform / 1e6, skewed / 1e6, rss / 1024, heapUsed >> 20));

        return String.join(" | ", "",
                String.format(Locale.ROOT, "%,d", n),
                String.format(Locale.ROOT, "%,d", entries),
                String.format(Locale.ROOT, "%,d", ranges),
                generation,
                c.getOrDefault("compile-ms", "?").equals("?") ? "?" : secs(Long.parseLong(c.get("compile-ms")) * 1_000_000L),
                mb(Long.parseLong(c.getOrDefault("max-rss-kb", "0")) * 1024) + " / " + mb(Long.parseLong(c.getOrDefault("peak-heap-bytes", "0")))
                        + " (-Xmx" + c.get("xmx") + ")",
                mb(fileBytes),
                mb(hot),
                String.format(Locale.ROOT, "%.2f", (double) hot / (entries + ranges)),
                String.format(Locale.ROOT, "%.1f", coldNanos / 1e6),
                String.format(Locale.ROOT, "%.1f", fullMs),
                String.format(Locale.ROOT, "%.1f", structureMs),
                String.format(Locale.ROOT, "%.1fM", uniform / 1e6),
                String.format(Locale.ROOT, "%.1fM", skewed / 1e6),
                mb(rss * 1024) + " / " + mb(heapUsed), "").strip();
    }

    private static void printTable(List<String> rows) {
        System.out.println();
        System.out.println("| feed lines | IPv4 addresses | IPv4 ranges | feed gen | compile | compile max RSS / peak heap"
                + " | file | hot bytes | hot B/entry | open cold FULL ms | open FULL ms | open STRUCTURE ms"
                + " | lookups/s uniform (1 thr) | lookups/s skewed (1 thr) | query RSS / heap |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (String r : rows) {
            System.out.println(r);
        }
        System.out.flush();
    }

    private static Map<String, String> compileInChild(long n, Path feed, Path snap) throws Exception {
        String xmx = System.getProperty("threatip.bench.compileXmx",
                Math.max(1024, n * 48 / 1_000_000 + 1024) + "m");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            cmd.addAll(List.of("/usr/bin/time", "-v"));
        }
        cmd.addAll(List.of(java, "-Xmx" + xmx, "-Dthreatip.bench.dir=" + BenchData.dir(),
                "-cp", System.getProperty("java.class.path"), BenchData.class.getName(), "compile", feed.toString(),
                snap.toString()));
        log("running " + String.join(" ", cmd));
        Path err = Files.createTempFile("threatip-compile", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (rc != 0) {
            throw new IOException("compile child failed (" + rc + "):\n" + out + stderr);
        }
        Map<String, String> m = new HashMap<>();
        m.put("xmx", xmx);
        for (String line : (out + "\n" + stderr).split("\n")) {
            line = line.strip();
            int eq = line.indexOf('=');
            if (eq > 0 && !line.contains(" ")) {
                m.put(line.substring(0, eq), line.substring(eq + 1));
            } else if (line.startsWith("Maximum resident set size (kbytes):")) {
                m.put("max-rss-kb", line.substring(line.indexOf(':') + 1).strip());
            } else if (line.startsWith("Elapsed (wall clock) time")) {
                m.put("child-wall", line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return m;
    }

    private static double medianOpenMs(Path snap, ReputationIndex.Verification v) throws IOException {
        double[] ms = new double[OPENS];
        long sink = 0;
        for (int i = 0; i < OPENS; i++) {
            long t = System.nanoTime();
            ReputationIndex idx = BenchData.open(snap, v);
            ms[i] = (System.nanoTime() - t) / 1e6;
            sink += idx.ipv4Addresses();
        }
        if (sink < 0) {
            throw new AssertionError();
        }
        Arrays.sort(ms);
        return ms[OPENS / 2];
    }

    /**
     * Lookups per second on one thread: a warm-up pass, then about two seconds of passes. Per
     * CPU second of this thread (not wall time), so that other processes on a shared machine
     * cost the figure their cache pollution but not their share of the cores; the wall-clock
     * rate is logged beside it.
     */
    private static double lookupRate(ReputationIndex index, int[] keys) {
        var threads = ManagementFactory.getThreadMXBean();
        long sink = pass(index, keys) + pass(index, keys);
        long ops = 0;
        long t = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        long elapsed;
        do {
            sink += pass(index, keys);
            ops += keys.length;
            elapsed = System.nanoTime() - t;
        } while (elapsed < 2_000_000_000L);
        long cpuElapsed = threads.getCurrentThreadCpuTime() - cpu;
        if (sink == 42) {
            log("");
        }
        log(String.format(Locale.ROOT, "  %d lookups: %.2fM/s wall, %.2fM/s per CPU second (thread got %.0f%% of a core)",
                ops, ops / (elapsed / 1e3), ops / (cpuElapsed / 1e3), 100.0 * cpuElapsed / elapsed));
        return ops / (cpuElapsed / 1e9);
    }

    private static long pass(ReputationIndex index, int[] keys) {
        long acc = 0;
        for (int k : keys) {
            acc += index.lookupIpv4(k).kind().ordinal();
        }
        return acc;
    }

    /** Evicts the file's pages from the page cache (posix_fadvise DONTNEED via GNU dd); best effort. */
    private static void dropFromPageCache(Path file) {
        try {
            new ProcessBuilder("dd", "if=" + file, "iflag=nocache", "count=0", "status=none").inheritIO().start().waitFor();
        } catch (IOException | InterruptedException e) {
            log("could not drop " + file + " from the page cache: " + e);
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String mb(long bytes) {
        return bytes >= 10L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MB", bytes >> 20);
    }

    private static void log(String s) {
        System.err.println(s);
    }
}
