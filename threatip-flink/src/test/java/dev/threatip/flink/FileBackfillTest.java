package dev.threatip.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backfills from files (plain and gzip) into NDJSON part files, and the flags' validation. */
class FileBackfillTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = JobRuns.miniCluster();

    @Test
    void job_filesSource_writesScanVerdictsToCommittedPartFiles(@TempDir Path dir) throws Exception {
        LabelledCorpus corpus = LabelledCorpus.generate(10_000, 1.0, 3);
        Path intel = ScanOracle.snapshot(dir, "corpus_blocklist", corpus.listed(), "network_attack", "high");
        Map<String, String> expected = ScanOracle.scan(dir, corpus.lines(), intel);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        int half = corpus.lines().size() / 2;
        Files.write(logs.resolve("access.log"), corpus.lines().subList(0, half), StandardCharsets.UTF_8);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(logs.resolve("access.log.1.gz")))) {
            out.write((String.join("\n", corpus.lines().subList(half, corpus.lines().size())) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path outDir = dir.resolve("out");
        Path checkpoints = dir.resolve("checkpoints");

        JobOptions o = JobOptions.parse("--files", logs.toString(), "--out-dir", outDir.toString(), "--intel",
                intel.toString(), "--parallelism", "2", "--checkpoint-interval", "300ms", "--format", "combined",
                "--checkpoint-dir", checkpoints.toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatipJob.define(env, o);
        env.execute("backfill");

        List<Map.Entry<String, String>> records = new ArrayList<>();
        try (Stream<Path> parts = Files.list(outDir)) {
            for (Path p : parts.sorted().toList()) {
                assertTrue(p.getFileName().toString().startsWith("detections") && p.toString().endsWith(".ndjson"),
                        "only committed part files, no in-progress ones: " + p);
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    records.add(Map.entry(JobRuns.read(line).get("ip").asText(), line));
                }
            }
        }
        assertEquals(expected, JobRuns.lastSignatures(JobRuns.byAddress(records)));
        assertTrue(expected.size() >= 30, "flagged: " + expected.size());
        try (Stream<Path> jobDirs = Files.list(checkpoints)) {
            assertEquals(1, jobDirs.count(), "the job's checkpoints went to --checkpoint-dir");
        }
    }

    @Test
    void checkpointDir_setsFileCheckpointStorage_notTheJobManagersMemory(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "");
        JobOptions o = JobOptions.parse("--files", log.toString(), "--out-dir", dir.resolve("out").toString(),
                "--checkpoint-dir", dir.resolve("chk").toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ThreatipJob.configure(env, o);
        FileSystemCheckpointStorage storage = assertInstanceOf(FileSystemCheckpointStorage.class,
                env.getCheckpointConfig().getCheckpointStorage());
        assertEquals(dir.resolve("chk").toUri(), storage.getCheckpointPath().toUri());
        assertEquals("--checkpoint-dir: 'checkpoints' needs a scheme and a path, e.g. file:///var/lib/threatip/checkpoints or s3://bucket/checkpoints",
                assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--files", log.toString(),
                        "--out-dir", "x", "--checkpoint-dir", "checkpoints")).getMessage());
    }

    @Test
    void parse_badFlags_refusedNamingTheFlag(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "");
        assertEquals("--input-topic / --files: give exactly one source (a topic or files)", assertThrows(
                IllegalArgumentException.class, () -> JobOptions.parse("--out-dir", "x")).getMessage());
        assertEquals("--bootstrap-servers: required with --input-topic or --output-topic", assertThrows(
                IllegalArgumentException.class, () -> JobOptions.parse("--input-topic", "logs", "--out-dir", "x")).getMessage());
        assertEquals("--parallelism: 0 is out of range 1-32768", assertThrows(IllegalArgumentException.class,
                () -> JobOptions.parse("--files", log.toString(), "--out-dir", "x", "--parallelism", "0")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--files", log.toString(),
                "--out-dir", "x", "--format", "nginx-ish")).getMessage().startsWith("--format: unknown format 'nginx-ish'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--files", log.toString(),
                "--out-dir", "x", "--checkpoint-interval", "soon")).getMessage().startsWith("--checkpoint-interval: "));
        assertEquals("--intel: no such file: " + dir.resolve("none.tis"), assertThrows(IllegalArgumentException.class,
                () -> JobOptions.parse("--files", log.toString(), "--out-dir", "x", "--intel", dir.resolve("none.tis").toString()))
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JobOptions.parse("--files", log.toString(),
                "--out-dir", "x", "--trusted-proxy", "10.0.0.0/33")).getMessage().startsWith("--trusted-proxy: "));
        assertEquals("unknown flag '--paralelism'", assertThrows(IllegalArgumentException.class,
                () -> JobOptions.parse("--files", log.toString(), "--out-dir", "x", "--paralelism", "2")).getMessage());
    }
}
