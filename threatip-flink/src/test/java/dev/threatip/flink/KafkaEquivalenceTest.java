package dev.threatip.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a Flink MiniCluster against a real in-process Kafka broker (KRaft) reaches the
 * verdicts {@code threatip scan} reaches on the same lines: same addresses, categories and
 * confidences; hostile lines among them are counted and skipped.
 */
class KafkaEquivalenceTest extends KafkaJobTestBase {
    @Test
    void job_labelledCorpusWithBadLines_sameVerdictsAsScan_badLinesCounted(@TempDir Path dir) throws Exception {
        LabelledCorpus corpus = LabelledCorpus.generate(20_000, 1.5, 7);
        Path intel = ScanOracle.snapshot(dir, "corpus_blocklist", corpus.listed(), "network_attack", "high");
        Map<String, String> expected = ScanOracle.scan(dir, corpus.lines(), intel);

        List<byte[]> records = new ArrayList<>();
        corpus.lines().forEach(l -> records.add(l.getBytes(StandardCharsets.UTF_8)));
        List<byte[]> bad = List.of(
                "999.1.2.3 - - [01/Nov/2026:00:10:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"x\"".getBytes(StandardCharsets.UTF_8),
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE, 9, 27},
                ("192.0.2.1 - - [01/Nov/2026:00:10:00 +0000] \"GET /" + "a".repeat(70_000) + " HTTP/1.1\" 200 1 \"-\" \"x\"")
                        .getBytes(StandardCharsets.UTF_8),
                "{\"status\": 200, \"uri\": \"/no-client\"}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < bad.size(); i++) {
            records.add(2_000 * (i + 1), bad.get(i));
        }
        kafka.createTopic("logs", 4);
        kafka.createTopic("detections", 2);
        kafka.produce("logs", 4, records);

        JobOptions o = JobOptions.parse("--bootstrap-servers", kafka.bootstrapServers(), "--input-topic", "logs",
                "--bounded", "--output-topic", "detections", "--intel", intel.toString(), "--parallelism", "2",
                "--checkpoint-interval", "500ms", "--transactional-id-prefix", "equivalence");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatipJob.define(env, o);
        JobExecutionResult result = env.execute("equivalence");

        List<ConsumerRecord<String, String>> out = kafka.readCommitted("detections");
        Map<String, List<String>> byIp = JobRuns.byAddress(out.stream().map(r -> Map.entry(r.key(), r.value())).toList());
        byIp.forEach((ip, values) -> values.forEach(v -> assertEquals(ip, JobRuns.read(v).get("ip").asText(), "record key")));
        Map<String, String> actual = JobRuns.lastSignatures(byIp);

        assertEquals(expected, actual, diff(expected, actual));
        assertTrue(expected.size() >= 40, "flagged addresses: " + expected.size());
        assertTrue(expected.values().stream().filter(s -> s.contains("account_takeover")).count() >= 20, expected.toString());
        for (String kind : List.of("scanner", "brute_force", "web_attack", "malicious_bot", "network_attack")) {
            assertTrue(expected.values().stream().anyMatch(s -> s.contains(kind + "=")), kind + " in " + expected);
        }
        assertTrue(expected.values().stream().anyMatch(s -> s.contains("=high")), "some high confidence");
        assertEquals((long) bad.size(), (Long) result.getAccumulatorResult("linesMalformed"));
        assertEquals((long) corpus.lines().size(), (Long) result.getAccumulatorResult("linesParsed"));
    }

    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        return expected.entrySet().stream().filter(e -> !e.getValue().equals(actual.get(e.getKey())))
                .map(e -> e.getKey() + ": scan " + e.getValue() + ", job " + actual.get(e.getKey()))
                .collect(Collectors.joining("\n")) + "\nonly job: " + actual.keySet().stream()
                .filter(k -> !expected.containsKey(k)).map(k -> k + " " + actual.get(k)).toList();
    }
}
