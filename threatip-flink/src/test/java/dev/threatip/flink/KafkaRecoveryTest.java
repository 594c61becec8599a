package dev.threatip.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exactly-once output across a task failure, and a new intel snapshot picked up while running. */
class KafkaRecoveryTest extends KafkaJobTestBase {
    @Test
    void job_taskFailsMidStream_resumesFromCheckpoint_committedOutputHasNoLossNoDuplicates(@TempDir Path dir) throws Exception {
        LabelledCorpus corpus = LabelledCorpus.generate(12_000, 1.0, 11);
        Path intel = ScanOracle.snapshot(dir, "corpus_blocklist", corpus.listed(), "network_attack", "high");
        Map<String, String> expected = ScanOracle.scan(dir, corpus.lines(), intel);
        kafka.createTopic("failure-logs", 2);
        kafka.createTopic("failure-detections", 2);
        kafka.produceLines("failure-logs", 2, corpus.lines());

        JobOptions o = JobOptions.parse("--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", "failure-logs",
                "--bounded", "--output-topic", "failure-detections", "--intel", intel.toString(), "--parallelism", "2",
                "--checkpoint-interval", "200ms", "--transactional-id-prefix", "failure", "--group-id", "failure");
        FailOnce.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatipJob.configure(env, o);
        DataStream<RawLine> lines = ThreatipJob.source(env, o)
                .map(new FailOnce(4_000)).returns(TypeInformation.of(RawLine.class)).name("fail once");
        ThreatipJob.sink(ThreatipJob.detect(lines, o), o);
        env.execute("failure");

        assertTrue(FailOnce.FAILED.get(), "the task failed once");
        assertTrue(FailOnce.RESTORED.get(), "the restarted task resumed from a checkpoint");
        List<ConsumerRecord<String, String>> out = kafka.readCommitted("failure-detections");
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (ConsumerRecord<String, String> r : out) {
            if (!seen.add(r.key() + " " + JobRuns.signature(r.value()))) {
                duplicates.add(r.key() + " " + JobRuns.signature(r.value()));
            }
        }
        assertEquals(List.of(), duplicates, "a verdict committed twice");
        Map<String, String> actual = JobRuns.lastSignatures(JobRuns.byAddress(out.stream()
                .map(r -> Map.entry(r.key(), r.value())).toList()));
        assertEquals(expected, actual, "no verdict lost");
        assertTrue(expected.size() >= 30, "flagged: " + expected.size());
    }

    @Test
    void job_newSnapshotVersionAtPath_laterLinesJudgedByIt_withoutRestart(@TempDir Path dir) throws Exception {
        String listedFirst = "45.155.205.1";
        String listedLater = "45.155.205.2";
        Path v1 = ScanOracle.snapshot(dir, "v1", List.of(listedFirst), "scanner", "high");
        Path v2 = ScanOracle.snapshot(dir, "v2", List.of(listedFirst, listedLater), "brute_force", "high");
        Path live = dir.resolve("intel.tis");
        Files.copy(v1, live);
        kafka.createTopic("reload-logs", 1);
        kafka.createTopic("reload-detections", 1);
        JobOptions o = JobOptions.parse("--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", "reload-logs",
                "--output-topic", "reload-detections", "--intel", live.toString(), "--intel-check-interval", "100ms",
                "--parallelism", "1", "--checkpoint-interval", "200ms", "--transactional-id-prefix", "reload",
                "--group-id", "reload");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatipJob.define(env, o);
        JobClient job = env.executeAsync("reload");
        try {
            long t = LabelledCorpus.START;
            kafka.produceLines("reload-logs", 1, List.of(
                    LabelledCorpus.line(listedFirst, t, "GET", "/", 200, LabelledCorpus.BROWSERS[0]),
                    LabelledCorpus.line(listedLater, t + 1000, "GET", "/", 200, LabelledCorpus.BROWSERS[0])));
            Map<String, String> seen = awaitVerdict(listedFirst, 60);
            assertEquals("malicious scanner=high", seen.get(listedFirst));
            assertTrue(!seen.containsKey(listedLater), "not listed yet: " + seen);

            Path tmp = dir.resolve("intel.tis.new");
            Files.copy(v2, tmp);
            Files.move(tmp, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + 60_000_000_000L;
            int i = 2;
            while (!seen.containsKey(listedLater) && System.nanoTime() < deadline) {
                kafka.produceLines("reload-logs", 1, List.of(
                        LabelledCorpus.line(listedLater, t + 1000L * i++, "GET", "/", 200, LabelledCorpus.BROWSERS[0])));
                Thread.sleep(300);
                seen = JobRuns.lastSignatures(JobRuns.byAddress(kafka.readCommitted("reload-detections").stream()
                        .map(r -> Map.entry(r.key(), r.value())).toList()));
            }
            assertEquals("malicious brute_force=high", seen.get(listedLater), "judged by the new version: " + seen);
        } finally {
            job.cancel().get();
        }
    }

    private static Map<String, String> awaitVerdict(String ip, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Map<String, String> seen = Map.of();
        while (!seen.containsKey(ip) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = JobRuns.lastSignatures(JobRuns.byAddress(kafka.readCommitted("reload-detections").stream()
                    .map(r -> Map.entry(r.key(), r.value())).toList()));
        }
        return seen;
    }
}
