package dev.threatip.bench;

import dev.threatip.detect.DetectionState;
import dev.threatip.detect.Detector;
import dev.threatip.ingest.FileTailer;
import dev.threatip.ingest.IngestPipeline;
import dev.threatip.ingest.InputStats;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.AccessEvent;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatChoice;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormats;
import dev.threatip.log.LogInput;
import dev.threatip.serve.ThreatipServer;
import dev.threatip.store.EventStore;
import dev.threatip.store.IpFilter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Sustained ingest into the store with detection on, assembled as {@code ThreatipServer} does it:
 * a real DuckDB store in a fresh directory, the live reputation over a compiled snapshot, the
 * built-in rules, format {@code auto}, and {@link IngestPipeline#flush()} every second on one
 * scheduler thread with a fixed delay. The clock runs from the first batch to the last commit
 * plus a final flush, so every event is stored and every detection and profile written.
 *
 * <p>Inputs are either {@link CorpusReader}s (the file split into that many line-aligned parts,
 * each its own input on its own thread, in batches of the given size) or the real
 * {@link FileTailer} following the file from its beginning.
 */
final class IngestBench {
    /** How often serve flushes. */
    private static final long FLUSH_MILLIS = 1000;

    private final Path intel;
    private final Path workDir;
    private final boolean verbose = Boolean.getBoolean("threatip.bench.verbose");

    private final int batchLines;

    /**
     * @param intel      the compiled snapshot
     * @param workDir    where stores are created (and deleted)
     * @param batchLines lines per batch of every input, the tailer included
     */
    IngestBench(Path intel, Path workDir, int batchLines) {
        this.intel = intel;
        this.workDir = workDir;
        this.batchLines = batchLines;
    }

    /**
     * One end-to-end run.
     *
     * @param mode            what fed the pipeline, for the report
     * @param lines           lines read
     * @param events          events stored (from the pipeline's input counters)
     * @param stored          events counted in the store afterwards
     * @param badLines        lines counted as bad
     * @param seconds         wall time, first batch to final flush done
     * @param cpuSeconds      CPU time of the whole process over the same span (both cores)
     * @param flushes         flushes run, the final one included
     * @param flushSeconds    time spent in them
     * @param maxFlushMillis  the longest one
     * @param detections      detections stored
     * @param profiles        profiles stored
     * @param storeBytes      size of the store file and its WAL at the end
     */
    record Result(String mode, long lines, long events, long stored, long badLines, double seconds, double cpuSeconds,
                  int flushes, double flushSeconds, double maxFlushMillis, long detections, long profiles,
                  long storeBytes) {
        double eventsPerSecond() {
            return events / seconds;
        }
    }

    /** Ingests {@code corpus} split into {@code inputs} parallel readers, into a fresh store deleted afterwards. */
    Result readers(Path corpus, int inputs) throws Exception {
        Path dir = Files.createTempDirectory(workDir, "ingest-");
        try {
            return readersInto(corpus, inputs, dir);
        } finally {
            deleteTree(dir);
        }
    }

    /** Ingests {@code corpus} split into {@code inputs} parallel readers into the store in {@code dataDir}, kept. */
    Result readersInto(Path corpus, int inputs, Path dataDir) throws Exception {
        long[] offsets = CorpusReader.split(corpus, inputs);
        String mode = inputs == 1 ? "reader, 1 input" : "reader, " + inputs + " inputs";
        try (Assembly a = new Assembly(dataDir)) {
            ExecutorService threads = Executors.newFixedThreadPool(inputs);
            try {
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                a.startFlushing();
                List<Future<Long>> parts = new ArrayList<>();
                for (int i = 0; i < inputs; i++) {
                    String source = inputs == 1 ? corpus.toString() : corpus + "#" + (i + 1);
                    long from = offsets[i];
                    long to = offsets[i + 1];
                    parts.add(threads.submit(() -> CorpusReader.read(corpus, from, to, batchLines,
                            (lines, first) -> a.pipeline.ingest(source, lines, first))));
                }
                long lines = 0;
                for (Future<Long> f : parts) {
                    lines += f.get();
                }
                a.stopFlushingAndFlush();
                long t1 = System.nanoTime();
                long cpu1 = processCpuNanos();
                return a.result(mode, lines, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** Ingests {@code corpus} through the real {@link FileTailer} following it from byte 0. */
    Result tailer(Path corpus) throws Exception {
        Path dir = Files.createTempDirectory(workDir, "ingest-");
        try (Assembly a = new Assembly(dir)) {
            long size = Files.size(corpus);
            AtomicLong errors = new AtomicLong();
            String name = corpus.toAbsolutePath().normalize().toString();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            a.startFlushing();
            long lines;
            try (FileTailer tailer = FileTailer.builder(a.pipeline).follow(corpus.toString()).stateDir(dir.resolve("tail"))
                    .startPosition(FileTailer.StartPosition.BEGINNING).batchLines(batchLines)
                    .batchBytes(ThreatipServer.TAIL_BATCH_BYTES)
                    .errorListener((source, e) -> {
                        if (errors.getAndIncrement() < 5) {
                            ServeBenchRunner.log("tailer error on " + source + ": " + e.getMessage());
                        }
                    })
                    .build()) {
                tailer.start();
                while (true) {
                    FileTailer.SourceStats s = tailer.stats().get(name);
                    if (s != null && s.offset() >= size) {
                        lines = s.linesRead();
                        break;
                    }
                    Thread.sleep(5);
                }
            }
            a.stopFlushingAndFlush();
            long t1 = System.nanoTime();
            long cpu1 = processCpuNanos();
            return a.result("FileTailer from byte 0", lines, (t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The cost of each step of the pipeline on its own, one thread, over the first {@code sample}
     * lines: parse (what runs outside the pipeline lock), store append (one transaction per batch),
     * detect (re-parse plus the rules, under the lock). Seconds per step.
     */
    PhaseSplit phases(Path corpus, int sample) throws Exception {
        List<List<byte[]>> batches = new ArrayList<>();
        long[] read = CorpusReader.split(corpus, 1);
        try {
            CorpusReader.read(corpus, read[0], read[1], batchLines, (lines, first) -> {
                batches.add(List.copyOf(lines));
                if (batches.size() * (long) batchLines >= sample) {
                    throw new StopReading();
                }
            });
        } catch (StopReading enough) {
            // the sample is complete
        }
        List<String> head = new ArrayList<>();
        for (byte[] l : batches.get(0).subList(0, Math.min(50, batches.get(0).size()))) {
            head.add(new String(l, StandardCharsets.UTF_8));
        }
        FormatChoice choice = LogFormats.selector("auto", null, null).select(new LogInput(null, corpus.toString()), head);
        ClientIpResolver resolver = ClientIpResolver.direct();
        long lines = batches.stream().mapToLong(List::size).sum();

        // parse + resolve + materialise, as the pipeline does per batch before taking its lock
        List<List<AccessEvent>> events = new ArrayList<>(batches.size());
        LineParser parser = choice.format().newParser();
        LineFields f = new LineFields();
        long t0 = System.nanoTime();
        for (List<byte[]> b : batches) {
            List<AccessEvent> out = new ArrayList<>(b.size());
            for (byte[] line : b) {
                f.reset();
                if (parser.parse(line, 0, line.length, f) == LineParser.Outcome.EVENT && resolver.resolve(f)) {
                    out.add(AccessEvent.of(f, line, 0, line.length));
                }
            }
            events.add(out);
        }
        double parse = (System.nanoTime() - t0) / 1e9;

        // the store append alone, one transaction per batch
        Path dir = Files.createTempDirectory(workDir, "phase-");
        double store;
        try (EventStore s = EventStore.open(dir, Clock.systemUTC())) {
            long t1 = System.nanoTime();
            long line = 1;
            for (List<AccessEvent> b : events) {
                long[] numbers = new long[b.size()];
                for (int i = 0; i < numbers.length; i++) {
                    numbers[i] = line++;
                }
                s.appendEvents(b, corpus.toString(), numbers);
            }
            store = (System.nanoTime() - t1) / 1e9;
        } finally {
            deleteTree(dir);
        }

        // the rules: re-parse and offer, as the pipeline's detect step does under its lock
        DetectionState state = Detector.builtin().newState();
        LineParser detectParser = choice.format().newParser();
        long ref = 0;
        long t2 = System.nanoTime();
        for (List<byte[]> b : batches) {
            for (byte[] line : b) {
                f.reset();
                if (detectParser.parse(line, 0, line.length, f) == LineParser.Outcome.EVENT && resolver.resolve(f)) {
                    state.offer(f, ++ref);
                }
            }
        }
        double detect = (System.nanoTime() - t2) / 1e9;
        long t3 = System.nanoTime();
        int detections = state.results().detections().size();
        double results = (System.nanoTime() - t3) / 1e9;
        return new PhaseSplit(lines, parse, store, detect, results, detections);
    }

    /**
     * Seconds each step took on its own over {@code lines} lines.
     *
     * @param results computing the rules' results once at the end (what every flush does)
     */
    record PhaseSplit(long lines, double parse, double store, double detect, double results, int detections) {
    }

    private static final class StopReading extends RuntimeException {
        StopReading() {
            super(null, null, false, false);
        }
    }

    /** Store, reputation, rules, pipeline and the flush scheduler of one run. */
    private final class Assembly implements AutoCloseable {
        final EventStore store;
        final IngestPipeline pipeline;
        final ScheduledExecutorService scheduler;
        private long flushNanos;
        private long maxFlushNanos;
        private int flushes;

        Assembly(Path dataDir) throws IOException {
            store = EventStore.open(dataDir, Clock.systemUTC());
            LiveReputation reputation = LiveReputation.open(intel, ReputationIndex.OpenOptions.defaults());
            pipeline = IngestPipeline.builder(store, reputation).detector(Detector.builtin())
                    .formats(LogFormats.selector("auto", null, null)).build();
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-flush");
                t.setDaemon(true);
                return t;
            });
        }

        void startFlushing() {
            scheduler.scheduleWithFixedDelay(this::timedFlush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        }

        void stopFlushingAndFlush() throws InterruptedException {
            scheduler.shutdown();
            if (!scheduler.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a flush did not finish in 5 minutes");
            }
            timedFlush();
        }

        private synchronized void timedFlush() {
            long t = System.nanoTime();
            IngestPipeline.FlushResult r = pipeline.flush();
            long d = System.nanoTime() - t;
            if (verbose) {
                ServeBenchRunner.log(String.format(java.util.Locale.ROOT, "flush %d: %.0f ms, %d detections, %d profiles",
                        flushes + 1, d / 1e6, r.detections(), r.profiles()));
            }
            flushNanos += d;
            maxFlushNanos = Math.max(maxFlushNanos, d);
            flushes++;
        }

        Result result(String mode, long lines, double seconds, double cpuSeconds) throws IOException {
            long events = 0;
            long bad = 0;
            for (InputStats s : pipeline.stats().values()) {
                events += s.events();
                bad += s.badLines();
                if (!s.badLineSamples().isEmpty()) {
                    ServeBenchRunner.log("bad lines in " + s.source() + ": " + s.badLineSamples());
                }
            }
            long stored = store.countEvents();
            long detections = store.countDetections();
            long profiles = store.ips(new IpFilter(null, null, null, null, 1, 0)).total();
            long bytes = fileSize(store.file()) + fileSize(Path.of(store.file() + ".wal"));
            return new Result(mode, lines, events, stored, bad, seconds, cpuSeconds, flushes, flushNanos / 1e9,
                    maxFlushNanos / 1e6, detections, profiles, bytes);
        }

        @Override
        public void close() {
            scheduler.shutdownNow();
            store.close();
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long fileSize(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
