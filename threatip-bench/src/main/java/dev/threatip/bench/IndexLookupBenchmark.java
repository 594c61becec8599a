package dev.threatip.bench;

import dev.threatip.intel.ReputationIndex;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * IPv4 lookups per second against snapshots of 1M, 10M and 100M feed lines (1% networks), for
 * uniform random keys (mostly misses) and a skewed log-like mix (see {@link BenchData}).
 * Scores are lookups per second per thread: {@code lookup} runs one thread, {@code lookup2Threads}
 * two (one per core here), whose score JMH reports as the sum over both threads.
 *
 * <p>Build the snapshots first (the scale runner does, or the first trial compiles them):
 * <pre>
 * mvn -q -DskipTests package -pl threatip-bench -am
 * java -Xmx4g -jar threatip-bench/target/benchmarks.jar IndexLookupBenchmark
 * </pre>
 * The snapshot is memory-mapped (off-heap, in the page cache); the heap holds the key array
 * (16 MB) and the index's range arrays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class IndexLookupBenchmark {
    /** Keys looked up per invocation. */
    static final int BATCH = 1024;

    /** Keys in the array the batches walk through: 16 MB, larger than any cache. */
    static final int KEYS = 1 << 22;

    @Param({"1000000", "10000000", "100000000"})
    public long entries;

    @Param({"uniform", "skewed"})
    public String keys;

    ReputationIndex index;
    int[] keyArray;

    @Setup
    public void open() throws IOException {
        index = ReputationIndex.open(BenchData.snapshot(entries));
        keyArray = BenchData.keys(keys, KEYS);
        // Touch the mapped entries once so the first iteration does not measure page faults.
        int sum = 0;
        for (int k : BenchData.uniformKeys(1 << 20, 7)) {
            sum += index.lookupIpv4(k).kind().ordinal();
        }
        if (sum < 0) {
            throw new AssertionError();
        }
    }

    /** Where one thread is in the key array; threads start half the array apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int position;

        @Setup
        public void start(ThreadParams t) {
            position = (int) ((long) KEYS * t.getThreadIndex() / Math.max(1, t.getThreadCount())) & -BATCH;
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Threads(1)
    public void lookup(Cursor c, Blackhole bh) {
        bh.consume(batch(c));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    @Threads(2)
    public void lookup2Threads(Cursor c, Blackhole bh) {
        bh.consume(batch(c));
    }

    private int batch(Cursor c) {
        ReputationIndex idx = index;
        int[] k = keyArray;
        int p = c.position;
        int acc = 0;
        for (int i = 0; i < BATCH; i++) {
            acc += idx.lookupIpv4(k[p + i]).kind().ordinal();
        }
        c.position = (p + BATCH) & (KEYS - 1);
        return acc;
    }
}
