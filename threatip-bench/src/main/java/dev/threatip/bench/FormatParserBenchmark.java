package dev.threatip.bench;

import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lines parsed per second by each log format's {@link LineParser}, one thread, on the
 * gen_corpus.py traffic mix written in that format's layout ({@link AccessCorpus}): mostly
 * benign browsing, crawlers, and scanners, brute-forcers and payloads. The score is lines/s
 * ({@code @OperationsPerInvocation} = the {@value #BATCH} lines of a batch); the secondary score
 * {@code parse:bytes} is the same run in bytes/s (line bytes plus the newline), so MB/s is
 * {@code bytes / 1e6}. Parsing only: no client resolution, no rules (see {@link DetectionBenchmark}).
 *
 * <pre>
 * mvn -q -o install -DskipTests
 * java -jar threatip-bench/target/benchmarks.jar FormatParserBenchmark
 * java -jar threatip-bench/target/benchmarks.jar FormatParserBenchmark -p format=combined,json
 * </pre>
 *
 * Formats: the built-in {@code combined}, {@code common}, {@code json} (gen_corpus.py's member
 * names) and {@code cloudflare} (Logpush {@code http_requests} shape), and the combined layout as
 * an nginx {@code log_format} ({@code nginx-combined}) and an Apache {@code LogFormat}
 * ({@code apache-combined}) string, compiled by {@code LogFormats.compile}. A format registered in
 * {@code LogFormats} needs a layout in {@link AccessCorpus#LAYOUTS} and its name in the
 * {@code @Param} list below to be benchmarked; the setup names registered formats without one.
 *
 * <p>The corpus is {@value #LINES} lines (~15 MB as combined, more than the L2 and most of a
 * shared L3, as a file streamed from the page cache would be), walked in batches; one parser
 * and one {@link LineFields} are reused, as a reader thread does. Every line is checked once at
 * setup to parse as an event with its client and status, so a broken layout fails the run
 * rather than measuring rejections.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FormatParserBenchmark {
    /** Lines parsed per invocation. */
    static final int BATCH = 1024;

    /** Lines in the corpus the batches walk through (a multiple of {@link #BATCH}). */
    static final int LINES = 1 << 16;

    /** The seed of the traffic; the same requests for every format. */
    static final long SEED = 7;

    @Param({"combined", "common", "json", "cloudflare", "nginx-combined", "apache-combined"})
    public String format;

    AccessCorpus.Lines lines;
    LineParser parser;
    final LineFields fields = new LineFields();
    /** Bytes (with newline) of each batch, for the bytes/s counter. */
    long[] batchBytes;
    int batch;

    /** JMH divides these by the iteration's time: {@code bytes} is reported as bytes/s. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Throughput {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setUp() {
        List<String> uncovered = AccessCorpus.uncoveredFormats();
        if (!uncovered.isEmpty()) {
            System.out.println("note: registered formats without a sample layout, not benchmarked: " + uncovered);
        }
        List<AccessCorpus.Request> requests = AccessCorpus.requests(LINES, SEED);
        lines = AccessCorpus.render(format, requests);
        LogFormat f = AccessCorpus.format(format);
        parser = AccessCorpus.checkedParser(f, lines, requests);
        batchBytes = new long[LINES / BATCH];
        for (int i = 0; i < LINES; i++) {
            batchBytes[i / BATCH] += lines.fileBytes(i);
        }
        System.out.printf("format %s (%s): %d lines, %.1f MB, %.1f bytes per line%n", format, f, LINES,
                (lines.data().length) / 1e6, lines.averageLineBytes());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long parse(Throughput t) {
        byte[] data = lines.data();
        int[] starts = lines.starts();
        int[] ends = lines.ends();
        LineFields f = fields;
        LineParser p = parser;
        int b = batch;
        long acc = 0;
        for (int i = b * BATCH, end = i + BATCH; i < end; i++) {
            f.reset();
            acc += p.parse(data, starts[i], ends[i], f).ordinal() + f.status + f.timeMillis + f.path.end();
        }
        t.bytes += batchBytes[b];
        batch = (b + 1) % batchBytes.length;
        return acc;
    }
}
