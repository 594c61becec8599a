package dev.threatip.bench;

import dev.threatip.detect.DetectionState;
import dev.threatip.detect.Detector;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The per-line cost of the built-in behaviour rules: lines/s of parse + client resolution
 * ({@code parseResolve}, the intel-only scan's per-line work before its index lookup) against
 * parse + resolution + {@link DetectionState#offer} with {@link Detector#builtin()}
 * ({@code parseResolveDetect}), one thread, on the gen_corpus.py mix ({@link AccessCorpus}:
 * ~97% of lines benign, ~3% from scanners, brute-forcers, attackers and bots). The ratio of the
 * two scores is what the rules cost the parse loop; issue 4's target is that a scan with rules
 * keeps ≥ 50% of the intel-only throughput (measured end to end by {@code scan-bench.sh}).
 *
 * <pre>
 * mvn -q -o install -DskipTests
 * java -jar threatip-bench/target/benchmarks.jar DetectionBenchmark
 * java -jar threatip-bench/target/benchmarks.jar DetectionBenchmark -p format=json -p lines=1048576
 * </pre>
 *
 * <p>Each pass over the corpus starts a fresh {@link DetectionState}, so every pass is the scan
 * of one log of {@code lines} lines with event times rising over 24 hours: the state grows to
 * that log's distinct clients and rule keys (a larger {@code lines} means more keys, as in the
 * 5M corpus) and is never fed the same events twice. Creating the state is inside the measured
 * time, once per pass (negligible next to {@code lines} offers). The state's results are not
 * computed: that is once per scan, not per line. Line numbers are the line references, as a scan
 * of one file passes them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class DetectionBenchmark {
    /** Lines per invocation. */
    static final int BATCH = 1024;

    /** The format the corpus is written in; see {@link FormatParserBenchmark} for the names. */
    @Param({"combined"})
    public String format;

    /** Lines of the corpus, one "scan" per pass (rounded down to a multiple of {@link #BATCH}). */
    @Param({"262144"})
    public int lines;

    AccessCorpus.Lines corpus;
    LineParser parser;
    final LineFields fields = new LineFields();
    final ClientIpResolver resolver = ClientIpResolver.direct();
    Detector detector;
    DetectionState state;
    int batches;
    int batch;

    @Setup
    public void setUp() {
        int n = Math.max(BATCH, lines / BATCH * BATCH);
        List<AccessCorpus.Request> requests = AccessCorpus.requests(n, FormatParserBenchmark.SEED);
        corpus = AccessCorpus.render(format, requests);
        parser = AccessCorpus.checkedParser(AccessCorpus.format(format), corpus, requests);
        detector = Detector.builtin();
        batches = n / BATCH;
        // One untimed pass: how many lines any rule's filter matches, and what one scan tracks.
        DetectionState s = detector.newState();
        long matched = 0;
        for (int i = 0; i < n; i++) {
            fields.reset();
            parser.parse(corpus.data(), corpus.starts()[i], corpus.ends()[i], fields);
            resolver.resolve(fields);
            matched += s.offer(fields, i + 1) ? 1 : 0;
        }
        System.out.printf("%s: %d lines, %.1f MB; %d rules; %.2f%% of lines match a rule filter, %d skipped "
                        + "(known-good or no client); %d keys tracked after one pass%n", format, n,
                corpus.data().length / 1e6, detector.rules().size(), 100.0 * matched / n, s.skipped(), s.trackedKeys());
        // Which rules' filters pass most lines: those rules do work (a key update) on every such line.
        Map<String, Integer> perRule = new TreeMap<>();
        int sample = Math.min(n, 20_000);
        for (int i = 0; i < sample; i++) {
            fields.reset();
            parser.parse(corpus.data(), corpus.starts()[i], corpus.ends()[i], fields);
            resolver.resolve(fields);
            for (String id : detector.matchingRules(fields)) {
                perRule.merge(id, 1, Integer::sum);
            }
        }
        System.out.println("share of the first " + sample + " lines each rule's filter passes: " + perRule.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100.0 * e.getValue() / sample))
                .collect(Collectors.joining(", ")));
        state = detector.newState();
    }

    /** Parse and resolve the client: the baseline. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long parseResolve() {
        byte[] data = corpus.data();
        int[] starts = corpus.starts();
        int[] ends = corpus.ends();
        LineFields f = fields;
        long acc = 0;
        for (int i = batch * BATCH, end = i + BATCH; i < end; i++) {
            f.reset();
            parser.parse(data, starts[i], ends[i], f);
            acc += resolver.resolve(f) ? f.clientLo : 0;
        }
        batch = (batch + 1) % batches;
        return acc;
    }

    /** Parse, resolve, and offer the line to every built-in rule. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long parseResolveDetect() {
        if (batch == 0) {
            state = detector.newState();
        }
        byte[] data = corpus.data();
        int[] starts = corpus.starts();
        int[] ends = corpus.ends();
        LineFields f = fields;
        DetectionState s = state;
        long acc = 0;
        for (int i = batch * BATCH, end = i + BATCH; i < end; i++) {
            f.reset();
            parser.parse(data, starts[i], ends[i], f);
            resolver.resolve(f);
            acc += s.offer(f, i + 1) ? 1 : 0;
        }
        batch = (batch + 1) % batches;
        return acc;
    }
}
