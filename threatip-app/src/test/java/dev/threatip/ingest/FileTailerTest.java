package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {

    private static final Duration POLL = Duration.ofMillis(20);
    private static final long TIMEOUT_MS = 10_000;

    @TempDir Path dir;

    private final List<FileTailer> open = new ArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** Collects "lineNumber:text" per delivered line, as acknowledged. */
    static final class Collector implements LineBatchConsumer {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> sources = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String source, List<byte[]> batch, long first) throws Exception {
            for (int i = 0; i < batch.size(); i++) {
                lines.add((first + i) + ":" + new String(batch.get(i), StandardCharsets.UTF_8));
                sources.add(source);
            }
        }
    }

    @AfterEach
    void closeAll() {
        open.forEach(FileTailer::close);
    }

    private FileTailer.Builder builder(LineBatchConsumer consumer) {
        return FileTailer.builder(consumer)
                .stateDir(dir.resolve("state"))
                .pollInterval(POLL)
                .rescanInterval(POLL)
                .rotationGrace(Duration.ofMillis(100))
                .errorListener((source, e) -> errors.add(source + ": " + e.getMessage()));
    }

    private FileTailer started(FileTailer.Builder b) throws IOException {
        FileTailer t = b.build();
        open.add(t);
        t.start();
        return t;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitLines(Collector c, int n) throws InterruptedException {
        await(n + " lines (have " + c.lines + ")", () -> c.lines.size() >= n);
    }

    /** Lets a few polls pass, so that a duplicate or stray delivery would have shown up. */
    private static void settle() throws InterruptedException {
        Thread.sleep(POLL.toMillis() * 8);
    }

    private static List<String> numbered(int from, String... texts) {
        return IntStream.range(0, texts.length).mapToObj(i -> (from + i) + ":" + texts[i]).toList();
    }

    @Test
    void follow_appendedLines_arriveOnceInOrderWithLineNumbers() throws Exception {
        Path log = dir.resolve("access.log");
        append(log, "old1\nold2\n");
        Collector c = new Collector();
        started(builder(c).follow(log));

        append(log, "new1\n");
        append(log, "new2\nnew3\n");
        awaitLines(c, 3);
        settle();

        assertEquals(numbered(3, "new1", "new2", "new3"), c.lines);
        assertEquals(log.toAbsolutePath().normalize().toString(), c.sources.get(0));
    }

    @Test
    void follow_startAtBeginning_readsExistingContent() throws Exception {
        Path log = dir.resolve("access.log");
        append(log, "old1\r\nold2\n");
        Collector c = new Collector();
        started(builder(c).follow(log).startPosition(FileTailer.StartPosition.BEGINNING));

        awaitLines(c, 2);
        settle();

        assertEquals(numbered(1, "old1", "old2"), c.lines);
    }

    @Test
    void follow_partialLine_waitsForItsNewline() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        started(builder(c).follow(log));

        append(log, "first half ");
        settle();
        assertEquals(List.of(), c.lines);
        append(log, "second half\nnext");
        awaitLines(c, 1);
        settle();

        assertEquals(numbered(1, "first half second half"), c.lines);
    }

    @Test
    void follow_partialLineIdle_isFlushedAsALine() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        started(builder(c).follow(log).partialLineFlush(Duration.ofMillis(100)));

        append(log, "done\nno newline");
        awaitLines(c, 2);
        append(log, "more\n");
        awaitLines(c, 3);

        assertEquals(numbered(1, "done", "no newline", "more"), c.lines);
    }

    @Test
    void rotate_byRename_noLossNoDuplicatesAcrossTheSwitch() throws Exception {
        Path log = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        Files.createFile(log);
        Collector c = new Collector();
        FileTailer t = started(builder(c).follow(log));

        append(log, "a1\na2\n");
        awaitLines(c, 2);
        append(log, "a3\n");
        Files.move(log, rotated);                 // logrotate: mv access.log access.log.1
        append(rotated, "a4\n");                  // the server still writes to the old file
        Files.createFile(log);                    // logrotate: create
        append(rotated, "a5\n");                  // until it reopens its log
        append(log, "b1\nb2\n");
        awaitLines(c, 7);
        append(log, "b3\n");
        awaitLines(c, 8);
        settle();

        List<String> expected = new ArrayList<>(numbered(1, "a1", "a2", "a3", "a4", "a5"));
        expected.addAll(numbered(1, "b1", "b2", "b3"));
        assertEquals(expected, c.lines);
        assertEquals(1, t.stats().values().iterator().next().rotations());
    }

    @Test
    void rotate_deleteAndRecreate_readsTheNewFileFromLineOne() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        started(builder(c).follow(log));

        append(log, "a1\n");
        awaitLines(c, 1);
        Files.delete(log);
        settle();
        append(log, "b1\nb2\n");
        awaitLines(c, 3);
        settle();

        assertEquals(List.of("1:a1", "1:b1", "2:b2"), c.lines);
    }

    @Test
    void rotate_copyTruncate_restartsFromTheTop() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        FileTailer t = started(builder(c).follow(log));

        append(log, "a1\na2\n");
        awaitLines(c, 2);
        Files.copy(log, dir.resolve("access.log.1"));
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "b1\n");
        awaitLines(c, 3);
        settle();

        assertEquals(List.of("1:a1", "2:a2", "1:b1"), c.lines);
        assertEquals(1, t.stats().values().iterator().next().truncations());
    }

    @Test
    void rotate_copyTruncateThenRegrownPastOffset_detectedByFingerprint() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        CountDownLatch hold = new CountDownLatch(1);
        AtomicInteger batches = new AtomicInteger();
        LineBatchConsumer gate = (source, lines, first) -> {
            if (batches.incrementAndGet() == 2) {
                hold.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            c.accept(source, lines, first);
        };
        started(builder(gate).follow(log).batchLines(1));

        append(log, "a1\n");
        awaitLines(c, 1);
        append(log, "a2\n");
        await("second batch in flight", () -> batches.get() == 2);
        // while the tailer is blocked: truncate and write more than was there before
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "b1-longer-than-before\nb2\n");
        hold.countDown();
        await("b lines", () -> c.lines.contains("2:b2"));
        settle();

        // a2 was in flight when the file was replaced and is delivered from the old bytes read
        assertEquals(List.of("1:a1", "2:a2", "1:b1-longer-than-before", "2:b2"), c.lines);
    }

    @Test
    void restart_resumesFromSavedPosition_exactlyTheRest() throws Exception {
        Path log = dir.resolve("access.log");
        append(log, "x0\n");
        Collector first = new Collector();
        FileTailer t1 = started(builder(first).follow(log));
        append(log, "l2\nl3\n");
        awaitLines(first, 2);
        t1.close();

        append(log, "l4\nl5\n");
        Collector second = new Collector();
        started(builder(second).follow(log));
        awaitLines(second, 2);
        append(log, "l6\n");
        awaitLines(second, 3);
        settle();

        assertEquals(numbered(2, "l2", "l3"), first.lines);
        assertEquals(numbered(4, "l4", "l5", "l6"), second.lines);
        assertTrue(Files.readString(t1.stateFile()).contains("\"line\":6"), Files.readString(t1.stateFile()));
    }

    @Test
    void restart_fileRotatedWhileStopped_readsTheNewFileFromTheStart() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector first = new Collector();
        FileTailer t1 = started(builder(first).follow(log));
        append(log, "a1\n");
        awaitLines(first, 1);
        t1.close();

        Files.move(log, dir.resolve("access.log.1"));
        append(log, "b1\nb2\n");
        Collector second = new Collector();
        started(builder(second).follow(log));
        awaitLines(second, 2);
        settle();

        assertEquals(numbered(1, "b1", "b2"), second.lines);
    }

    @Test
    void restart_sameInodeRewrittenWhileStopped_fingerprintMismatchReadsFromStart() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector first = new Collector();
        FileTailer t1 = started(builder(first).follow(log));
        append(log, "a1\n");
        awaitLines(first, 1);
        t1.close();

        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "rewritten-1\nrewritten-2\n");
        Collector second = new Collector();
        started(builder(second).follow(log));
        awaitLines(second, 2);
        settle();

        assertEquals(numbered(1, "rewritten-1", "rewritten-2"), second.lines);
    }

    @Test
    void consumer_throws_batchIsRetriedNotLostNotSkipped() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        AtomicInteger calls = new AtomicInteger();
        LineBatchConsumer flaky = (source, lines, first) -> {
            if (calls.incrementAndGet() <= 3) {
                throw new IOException("store unavailable");
            }
            c.accept(source, lines, first);
        };
        FileTailer t = started(builder(flaky).follow(log));

        append(log, "l1\nl2\n");
        awaitLines(c, 2);
        append(log, "l3\n");
        awaitLines(c, 3);
        settle();

        assertEquals(numbered(1, "l1", "l2", "l3"), c.lines);
        assertEquals(1, errors.size(), errors.toString()); // repeated identical errors reported once
        assertTrue(errors.get(0).endsWith("store unavailable"), errors.toString());
        assertEquals(3, t.stats().values().iterator().next().errors());
        assertTrue(t.lastError().endsWith("store unavailable"), t.lastError());
    }

    @Test
    void consumer_slow_blocksTheTailerAndShowsBytesBehind() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        CountDownLatch release = new CountDownLatch(1);
        Collector c = new Collector();
        LineBatchConsumer slow = (source, lines, first) -> {
            release.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            c.accept(source, lines, first);
        };
        FileTailer t = started(builder(slow).follow(log).batchLines(2));

        append(log, "l1\nl2\nl3\nl4\nl5\n");
        await("size seen", () -> t.stats().values().iterator().next().size() == 15);
        FileTailer.SourceStats blocked = t.stats().values().iterator().next();
        assertEquals(0, blocked.offset());
        assertEquals(15, blocked.bytesBehind());
        release.countDown();
        awaitLines(c, 5);
        await("caught up", () -> t.stats().values().iterator().next().bytesBehind() == 0);

        assertEquals(numbered(1, "l1", "l2", "l3", "l4", "l5"), c.lines);
        assertEquals(5, t.stats().values().iterator().next().linesRead());
    }

    @Test
    void glob_fileCreatedLater_isPickedUpFromItsFirstLine() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        append(logs.resolve("a.log"), "a-old\n");
        Collector c = new Collector();
        FileTailer t = started(builder(c).follow(logs.resolve("*.log").toString()));

        append(logs.resolve("a.txt"), "ignored\n");
        append(logs.resolve("b.log"), "b1\nb2\n");
        awaitLines(c, 2);
        append(logs.resolve("a.log"), "a-new\n");
        awaitLines(c, 3);
        settle();

        assertEquals(List.of("1:b1", "2:b2", "2:a-new"), c.lines);
        assertEquals(2, t.stats().size());
    }

    @Test
    void glob_missingDirectory_isPickedUpWhenItAppears() throws Exception {
        Path logs = dir.resolve("later");
        Collector c = new Collector();
        started(builder(c).follow(logs.resolve("app-*.log").toString()));

        Files.createDirectory(logs);
        append(logs.resolve("app-1.log"), "x\n");
        awaitLines(c, 1);

        assertEquals(List.of("1:x"), c.lines);
    }

    @Test
    void longLine_isSkippedAndCounted_neighboursKept() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        FileTailer t = started(builder(c).follow(log).maxLineBytes(16));

        append(log, "short\n" + "x".repeat(100) + "\nafter\n");
        awaitLines(c, 2);
        settle();

        assertEquals(List.of("1:short", "3:after"), c.lines);
        assertEquals(1, t.stats().values().iterator().next().linesSkipped());
        assertTrue(errors.stream().anyMatch(e -> e.contains("line 2 is longer than 16 bytes")), errors.toString());
    }

    @Test
    void longLine_binaryLargerThanTheBufferArrivingInPieces_isSkipped() throws Exception {
        Path log = dir.resolve("access.log");
        Files.createFile(log);
        Collector c = new Collector();
        FileTailer t = started(builder(c).follow(log));

        byte[] junk = new byte[100 * 1024];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i % 251 == 10 ? 0 : i % 251); // binary, never a newline
        }
        append(log, "before\n");
        Files.write(log, junk, StandardOpenOption.APPEND);
        awaitLines(c, 1);
        settle();
        Files.write(log, junk, StandardOpenOption.APPEND);
        settle();
        append(log, "\nafter\n");
        awaitLines(c, 2);
        settle();

        assertEquals(List.of("1:before", "3:after"), c.lines);
        assertEquals(1, t.stats().values().iterator().next().linesSkipped());
    }

    @Test
    void batchBytes_longLinesBacklog_splitIntoBatchesUnderTheCapWithNothingLost() throws Exception {
        Path log = dir.resolve("access.log");
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            // 400-byte lines: a realistic long request line with a big user agent
            String line = "203.0.113." + i + " - - [01/Nov/2026:00:00:" + (10 + i) + " +0000] \"GET /search?q="
                    + "a".repeat(300) + " HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"";
            line = line + "x".repeat(400 - line.length());
            text.append(line).append('\n');
            expected.add(i + ":" + line);
        }
        append(log, text.toString());
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        Collector c = new Collector();
        started(builder((source, batch, first) -> {
            batchSizes.add(batch.size());
            c.accept(source, batch, first);
        }).follow(log).startPosition(FileTailer.StartPosition.BEGINNING).batchLines(1000).batchBytes(4096));

        awaitLines(c, 40);
        settle();

        assertEquals(expected, c.lines);
        assertTrue(batchSizes.stream().allMatch(n -> n <= 10), "4,096 bytes hold 10 lines of 400: " + batchSizes);
        assertEquals(4, batchSizes.size(), batchSizes.toString());
    }

    @Test
    void builder_invalidSettings_refusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileTailer.builder((s, l, f) -> { }).maxLineBytes(4));
        assertEquals("maxLineBytes must be between 16 and 16777216, was 4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FileTailer.builder((s, l, f) -> { }).batchBytes(100));
        assertEquals("batchBytes must be between 1024 and 1073741824, was 100", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FileTailer.builder((s, l, f) -> { }).follow("/var/*/access.log"));
        assertTrue(e.getMessage().contains("only in the file name"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> FileTailer.builder((s2, l, f) -> { }).follow("x.log").build());
        assertEquals("stateDir is required", s.getMessage());
    }

    @Test
    void start_corruptStateFile_refusesToStart() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve(PositionStore.FILE_NAME), "{not json");
        FileTailer t = builder(new Collector()).follow(dir.resolve("a.log")).build();
        open.add(t);

        IOException e = assertThrows(IOException.class, t::start);
        assertTrue(e.getMessage().contains("corrupt tail state"), e.getMessage());
    }
}
