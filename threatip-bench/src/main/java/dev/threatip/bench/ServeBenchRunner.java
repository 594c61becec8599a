package dev.threatip.bench;

import dev.threatip.serve.ThreatipServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark of {@code threatip serve} (issue: serve benchmarks), printing one table with
 * ratios measured side by side in one run:
 *
 * <ol>
 *   <li>sustained ingest into the store with detection on, events/s end to end (last event
 *       committed, final flush done), from {@link CorpusReader} inputs and from the real
 *       {@code FileTailer}, with the cost of each pipeline step on its own;</li>
 *   <li>{@code wc -l} (the floor for reading the file) and GoAccess building its HTML report from
 *       the same file, and our ingest rate against both;</li>
 *   <li>API latency (p50/p95/p99/max) of stats, the IP list (first and filtered pages), an IP's
 *       profile and its logs over a store of a big corpus, through the real web server.</li>
 * </ol>
 *
 * <pre>
 * threatip-bench/serve-bench.sh      # prepares corpora and the snapshot, builds, runs this
 * java -Xmx4g -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.ServeBenchRunner \
 *     --corpus access-5m.log --intel intel.tis --work DIR [--runs 3] [--inputs 1,2] [--tailer true]
 *     [--api-corpus access-10m.log] [--requests 200] [--warmup 30] [--goaccess goaccess] [--split 1000000]
 *     [--batch 20000]
 * </pre>
 * Batches default to what {@code serve}'s tailer delivers from a file that is behind
 * ({@link ThreatipServer#TAIL_BATCH_LINES}). The result table goes to stdout as Markdown,
 * progress to stderr.
 */
public final class ServeBenchRunner {
    private ServeBenchRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path corpus = Path.of(require(o, "corpus"));
        Path intel = Path.of(require(o, "intel"));
        Path work = Files.createDirectories(Path.of(require(o, "work")));
        int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
        List<Integer> inputs = Arrays.stream(o.getOrDefault("inputs", "1,2").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
        boolean tailer = Boolean.parseBoolean(o.getOrDefault("tailer", "true"));
        String apiCorpus = o.get("api-corpus");
        int requests = Integer.parseInt(o.getOrDefault("requests", "200"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        String goaccess = o.getOrDefault("goaccess", "goaccess");
        int split = Integer.parseInt(o.getOrDefault("split", "1000000"));
        int batch = Integer.parseInt(o.getOrDefault("batch", Integer.toString(ThreatipServer.TAIL_BATCH_LINES)));

        String loadBefore = uptime();
        long lines = countLines(corpus);
        long bytes = Files.size(corpus);
        log("corpus " + corpus + ": " + lines + " lines, " + bytes / 1_000_000 + " MB; " + loadBefore);
        readAll(corpus); // every tool reads from the page cache

        // the references: wc -l and GoAccess on the same file
        ToolTime wc = best(runs, () -> timeCommand(List.of("wc", "-l", corpus.toString()), work));
        ToolTime goa = null;
        if (onPath(goaccess)) {
            Path report = work.resolve("goaccess-report.html");
            goa = best(runs, () -> timeCommand(List.of(goaccess, corpus.toString(), "--log-format=COMBINED", "-o",
                    report.toString()), work));
        } else {
            log("goaccess not found on PATH: its row is skipped (apt-get install -y goaccess)");
        }

        // ingest, best of runs per mode
        IngestBench ingest = new IngestBench(intel, work, batch);
        List<IngestBench.Result> results = new ArrayList<>();
        for (int n : inputs) {
            results.add(bestIngest(runs, () -> ingest.readers(corpus, n)));
        }
        if (tailer) {
            results.add(bestIngest(runs, () -> ingest.tailer(corpus)));
        }
        IngestBench.PhaseSplit phases = split > 0 ? ingest.phases(corpus, split) : null;

        // API latency over the big store
        List<ApiLatencyBench.Latency> api = List.of();
        IngestBench.Result apiBuild = null;
        long apiEvents = 0;
        if (apiCorpus != null) {
            ApiLatencyBench bench = new ApiLatencyBench(intel, ingest);
            Path apiCorpusPath = Path.of(apiCorpus);
            Path store = work.resolve("api-store-" + name(apiCorpusPath));
            apiBuild = bench.ensureStore(apiCorpusPath, store);
            api = bench.measure(store, firstDay(apiCorpusPath), requests, warmup);
            apiEvents = Long.parseLong(Files.readString(store.resolve("complete")).split(" ")[0]);
        }
        String loadAfter = uptime();

        print(corpus, lines, bytes, runs, batch, wc, goa, results, phases, apiCorpus, apiEvents, apiBuild, api, requests,
                warmup, loadBefore, loadAfter);
    }

    private static void print(Path corpus, long lines, long bytes, int runs, int batch, ToolTime wc, ToolTime goa,
                              List<IngestBench.Result> results, IngestBench.PhaseSplit phases, String apiCorpus,
                              long apiEvents, IngestBench.Result apiBuild, List<ApiLatencyBench.Latency> api,
                              int requests, int warmup, String loadBefore, String loadAfter) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n## serve benchmark: %s (%,d lines, %,d MB), %d cores, best of %d, batches of %,d lines%n%n",
                corpus.getFileName(), lines, bytes / 1_000_000, Runtime.getRuntime().availableProcessors(), runs, batch));
        s.append("load before: ").append(loadBefore).append("  \nload after:  ").append(loadAfter).append("\n\n");
        s.append("| what | seconds | lines/s | events/s | CPU s | lines per CPU s | vs wc -l | vs GoAccess | vs GoAccess per CPU s | flushes (total / max) | detections | profiles | store |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        s.append(String.format(Locale.ROOT, "| `wc -l` | %.2f | %s | | %s | %s | | | | | | | |%n", wc.seconds(),
                rate(lines / wc.seconds()), cpu(wc.cpuSeconds()), rate(lines / wc.cpuSeconds())));
        if (goa != null) {
            s.append(String.format(Locale.ROOT, "| GoAccess `--log-format=COMBINED -o report.html` | %.2f | %s | | %s | %s | %.3fx | | | | | | |%n",
                    goa.seconds(), rate(lines / goa.seconds()), cpu(goa.cpuSeconds()), rate(lines / goa.cpuSeconds()),
                    wc.seconds() / goa.seconds()));
        } else {
            s.append("| GoAccess | not installed | | | | | | | | | | | |\n");
        }
        for (IngestBench.Result r : results) {
            s.append(String.format(Locale.ROOT, "| ingest: %s | %.2f | %s | %s | %.1f | %s | %.3fx | %s | %s | %d: %.1f s / %.0f ms | %,d | %,d | %,d MB |%n",
                    r.mode(), r.seconds(), rate(r.lines() / r.seconds()), rate(r.eventsPerSecond()), r.cpuSeconds(),
                    rate(r.lines() / r.cpuSeconds()), wc.seconds() / r.seconds(),
                    goa == null ? "" : String.format(Locale.ROOT, "**%.2fx**", goa.seconds() / r.seconds()),
                    goa == null || Double.isNaN(goa.cpuSeconds()) ? ""
                            : String.format(Locale.ROOT, "%.2fx", goa.cpuSeconds() / r.cpuSeconds()),
                    r.flushes(), r.flushSeconds(), r.maxFlushMillis(), r.detections(), r.profiles(),
                    r.storeBytes() / 1_000_000));
        }
        s.append("\nvs wc -l and vs GoAccess are lines/s ratios (ours ÷ theirs), wall clock; per CPU s divides by the CPU\n"
                + "seconds (user + sys) each used, which is the fairer figure while other work shares the cores.\n"
                + "Ingest target: >= 200k events/s.\n");
        for (IngestBench.Result r : results) {
            if (r.stored() != r.events() || r.badLines() > 0) {
                s.append(String.format(Locale.ROOT, "CHECK %s: %,d events counted, %,d in the store, %,d bad lines%n",
                        r.mode(), r.events(), r.stored(), r.badLines()));
            }
        }
        if (phases != null) {
            double n = phases.lines();
            s.append(String.format(Locale.ROOT, "%nEach step on its own, one thread, first %,d lines (events/s of that step alone):%n%n", phases.lines()));
            s.append("| step | seconds | µs per 1,000 lines | events/s alone |\n|---|---:|---:|---:|\n");
            step(s, "parse + client + materialise (outside the lock)", phases.parse(), n);
            step(s, String.format(Locale.ROOT, "store append, 1 transaction per %,d lines (under the lock)", batch), phases.store(), n);
            step(s, "detect: re-parse + 25 rules (under the lock)", phases.detect(), n);
            step(s, "rule results once (each flush)", phases.results(), n);
        }
        if (apiCorpus != null) {
            s.append(String.format(Locale.ROOT, "%nAPI latency over a store of %,d events (%s), %d requests per endpoint after %d warm-up, one client on loopback:%n%n",
                    apiEvents, Path.of(apiCorpus).getFileName(), requests, warmup));
            if (apiBuild != null) {
                s.append(String.format(Locale.ROOT, "(store built in this run: %,d events in %.1f s = %s events/s, %,d MB)%n%n",
                        apiBuild.events(), apiBuild.seconds(), rate(apiBuild.eventsPerSecond()), apiBuild.storeBytes() / 1_000_000));
            }
            s.append("| endpoint | p50 ms | p95 ms | p99 ms | max ms | target p95 <= 200 ms | answered (last) |\n|---|---:|---:|---:|---:|---|---|\n");
            for (ApiLatencyBench.Latency l : api) {
                s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %s | %s |%n", l.name(),
                        l.percentile(50), l.percentile(95), l.percentile(99), l.max(),
                        l.percentile(95) <= 200 ? "met" : "**missed**", l.answered()));
            }
        }
        System.out.print(s);
        System.out.flush();
    }

    private static void step(StringBuilder s, String what, double seconds, double lines) {
        s.append(String.format(Locale.ROOT, "| %s | %.2f | %.0f | %s |%n", what, seconds, seconds / lines * 1e9,
                rate(lines / seconds)));
    }

    private interface Timed {
        ToolTime time() throws Exception;
    }

    /** Wall and CPU (user + sys, NaN when unknown) seconds of one tool run. */
    private record ToolTime(double seconds, double cpuSeconds) {
    }

    private static String cpu(double seconds) {
        return Double.isNaN(seconds) ? "" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    private interface IngestRun {
        IngestBench.Result run() throws Exception;
    }

    private static ToolTime best(int runs, Timed t) throws Exception {
        ToolTime best = null;
        for (int i = 0; i < runs; i++) {
            ToolTime r = t.time();
            if (best == null || r.seconds() < best.seconds()) {
                best = r;
            }
        }
        return best;
    }

    private static IngestBench.Result bestIngest(int runs, IngestRun run) throws Exception {
        IngestBench.Result best = null;
        for (int i = 0; i < runs; i++) {
            IngestBench.Result r = run.run();
            log(String.format(Locale.ROOT, "ingest %s: %,d events in %.2f s = %s events/s (CPU %.1f s; %d flushes, %.1f s, max %.0f ms; "
                            + "%,d detections, %,d profiles)", r.mode(), r.events(), r.seconds(), rate(r.eventsPerSecond()),
                    r.cpuSeconds(), r.flushes(), r.flushSeconds(), r.maxFlushMillis(), r.detections(), r.profiles()));
            if (best == null || r.seconds() < best.seconds()) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Runs a command to its end, output discarded; its wall seconds, and its CPU seconds when
     * {@code /usr/bin/time} is there to tell.
     */
    private static ToolTime timeCommand(List<String> command, Path work) throws IOException, InterruptedException {
        Path times = work.resolve("tool-time.txt");
        Files.deleteIfExists(times);
        List<String> run = new ArrayList<>();
        boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
        if (timed) {
            run.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()));
        }
        run.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(run).redirectErrorStream(true)
                .redirectOutput(work.resolve("tool-output.txt").toFile());
        long t = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in 30 minutes");
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " exited with " + p.exitValue() + ": "
                    + Files.readString(work.resolve("tool-output.txt")).strip());
        }
        double cpu = Double.NaN;
        if (timed && Files.exists(times)) {
            String[] us = Files.readAllLines(times).get(0).trim().split(" ");
            cpu = Double.parseDouble(us[0]) + Double.parseDouble(us[1]);
        }
        log(String.format(Locale.ROOT, "%s: %.2f s (CPU %s s)", String.join(" ", command), s, cpu(cpu)));
        return new ToolTime(s, cpu);
    }

    private static boolean onPath(String tool) {
        if (tool.contains("/")) {
            return Files.isExecutable(Path.of(tool));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String uptime() {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return "load average " + load[0] + ", " + load[1] + ", " + load[2] + " (1, 5, 15 min) at " + Instant.now();
        } catch (IOException e) {
            return "load unknown (" + e.getMessage() + ")";
        }
    }

    private static long countLines(Path file) throws Exception {
        long[] range = CorpusReader.split(file, 1);
        return CorpusReader.read(file, range[0], range[1], 100_000, (lines, first) -> { });
    }

    private static void readAll(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) > 0) {
                // into the page cache
            }
        }
    }

    /** Midnight UTC of the day of the corpus' first timestamp ({@code [dd/Mon/yyyy:...]}). */
    private static Instant firstDay(Path corpus) throws IOException {
        try (var r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            int open = first == null ? -1 : first.indexOf('[');
            if (open < 0) {
                throw new IllegalArgumentException(corpus + ": the first line has no [time]: " + first);
            }
            LocalDate day = LocalDate.parse(first.substring(open + 1, open + 12),
                    DateTimeFormatter.ofPattern("dd/MMM/yyyy", Locale.ENGLISH));
            return day.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    private static String name(Path corpus) {
        String n = corpus.getFileName().toString();
        return n.endsWith(".log") ? n.substring(0, n.length() - 4) : n;
    }

    static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", perSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.0fk", perSecond / 1e3);
    }

    static void log(String message) {
        System.err.println("[serve-bench] " + message);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs; got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
