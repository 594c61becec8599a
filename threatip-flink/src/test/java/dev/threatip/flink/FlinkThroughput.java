package dev.threatip.flink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Events per second per task slot of the whole job (parse, intel lookup, rules, both keyed
 * stages, file sink) on a local MiniCluster, over a generated labelled corpus read from a file.
 * Not a test: run it on a quiet machine, the figure goes in the README.
 *
 * <pre>
 * mvn -B -q -pl threatip-flink -am test-compile
 * mvn -B -q -pl threatip-flink dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp threatip-flink/target/test-classes:threatip-flink/target/classes:threatip-core/target/classes:$(cat /tmp/cp.txt) \
 *      dev.threatip.flink.FlinkThroughput [lines=1000000] [parallelism=1,2]
 * </pre>
 */
public final class FlinkThroughput {
    private FlinkThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String[] parallelisms = (args.length > 1 ? args[1] : "1,2").split(",");
        Path dir = Files.createTempDirectory("threatip-flink-throughput");
        LabelledCorpus corpus = LabelledCorpus.generate(lines, 24, 7);
        Path log = dir.resolve("access.log");
        Files.write(log, corpus.lines(), StandardCharsets.UTF_8);
        Path intel = ScanOracle.snapshot(dir, "corpus_blocklist", corpus.listed(), "network_attack", "high");
        System.out.printf(Locale.ROOT, "corpus: %,d lines, %,d bytes, %d cores%n", lines, Files.size(log),
                Runtime.getRuntime().availableProcessors());
        for (String ps : parallelisms) {
            int p = Integer.parseInt(ps.strip());
            for (int run = 0; run < 2; run++) { // the first run warms the JIT up
                Configuration conf = new Configuration();
                conf.set(TaskManagerOptions.NUM_TASK_SLOTS, p);
                StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, conf);
                JobOptions o = JobOptions.parse("--files", log.toString(), "--out-dir", dir.resolve("out-" + p + "-" + run).toString(),
                        "--intel", intel.toString(), "--parallelism", String.valueOf(p), "--checkpoint-interval", "10s",
                        "--format", "combined", "--checkpoint-dir", dir.resolve("chk-" + p + "-" + run).toString());
                ThreatipJob.define(env, o);
                long t0 = System.nanoTime();
                JobExecutionResult r = env.execute("throughput p=" + p);
                double seconds = (System.nanoTime() - t0) / 1e9;
                long parsed = r.getAccumulatorResult("linesParsed");
                System.out.printf(Locale.ROOT, "parallelism %d, run %d: %,d events in %.1f s = %,.0f events/s, %,.0f events/s per slot%n",
                        p, run, parsed, seconds, parsed / seconds, parsed / seconds / p);
            }
        }
    }
}
