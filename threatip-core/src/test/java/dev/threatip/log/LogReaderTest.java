package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.IpAddress;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parallel reader on plain, gzip and stdin inputs, good and hostile. */
class LogReaderTest {
    @TempDir
    Path dir;

    static String line(String ip, String path, int status) {
        return ip + " - - [01/Nov/2026:00:00:03 +0000] \"GET " + path + " HTTP/1.1\" " + status
                + " 512 \"-\" \"Mozilla/5.0 (test)\"";
    }

    /** Records every event as "file:line ip", per thread, merged after the read. */
    static final class Collector {
        final List<List<long[]>> perThread = Collections.synchronizedList(new ArrayList<>());
        final List<List<String>> uas = Collections.synchronizedList(new ArrayList<>());

        EventSink sink() {
            List<long[]> mine = new ArrayList<>();
            List<String> myUas = new ArrayList<>();
            perThread.add(mine);
            uas.add(myUas);
            return (fields, line, start, end, ref) -> {
                mine.add(new long[] {ref, fields.clientHi, fields.clientLo});
                if (myUas.size() < 100) {
                    myUas.add(fields.userAgent.asString());
                }
            };
        }

        /** "file:line" → client, sorted by position. */
        Map<String, String> events(ScanSummary s) {
            Map<String, String> out = new TreeMap<>();
            for (List<long[]> l : perThread) {
                for (long[] e : l) {
                    String ip = new IpAddress(e[1], e[2]).toString();
                    assertNull(out.put(s.position(e[0]).toString(), ip), "a line was delivered twice");
                }
            }
            return out;
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private Path gzip(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(data);
        }
        return p;
    }

    private static ScanSummary read(int threads, Collector c, LogInput... inputs) throws IOException {
        return read(new LogReader(new LogReader.Options(threads, 64 << 10)), c, inputs);
    }

    private static ScanSummary read(LogReader reader, Collector c, LogInput... inputs) throws IOException {
        return reader.read(List.of(inputs), FormatSelector.fixed(TestCombinedFormat.INSTANCE), ClientIpResolver.direct(), c::sink);
    }

    @Test
    void read_mixedGoodAndBadLines_linesEqualParsedPlusUnparsed() throws IOException {
        Path p = write("mixed.log", line("192.0.2.1", "/", 200) + "\n"
                + "garbage that is not a log line\n"
                + "\n"
                + "# a directive line\n"
                + line("999.1.1.1", "/", 200) + "\n"
                + line("2001:db8::7", "/x", 404) + "\n"
                + line("192.0.2.2", "/", 200));
        Collector c = new Collector();
        ScanSummary s = read(2, c, LogInput.of(p));
        assertEquals(5, s.lines());
        assertEquals(3, s.parsed());
        assertEquals(2, s.unparsed());
        assertEquals(s.lines(), s.parsed() + s.unparsed());
        assertEquals(Map.of(p + ":1", "192.0.2.1", p + ":7", "192.0.2.2"), filterV4(c.events(s)));
        assertEquals(p + ":6", c.events(s).entrySet().stream().filter(e -> e.getValue().equals("2001:db8::7"))
                .findFirst().orElseThrow().getKey());
        assertEquals(List.of(p + ":2: does not match format test-combined: garbage that is not a log line",
                        p + ":5: no valid client address: " + line("999.1.1.1", "/", 200)),
                s.badLines().stream().map(BadLine::toString).toList());
        FileSummary f = s.fileSummaries().get(0);
        assertEquals(new FileSummary(p.toString(), "test-combined", "given", 5, 3, 2, null), f);
    }

    private static Map<String, String> filterV4(Map<String, String> events) {
        Map<String, String> out = new TreeMap<>(events);
        out.values().removeIf(v -> v.contains(":"));
        return out;
    }

    /** A 50 MB file with planted lines at known numbers: exact positions whatever the split. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void read_plantedLinesIn50MbFile_lineNumbersExactAcrossChunks(int threads) throws IOException {
        Path p = dir.resolve("big.log");
        Map<String, String> planted = new TreeMap<>();
        Random rnd = new Random(42);
        long lines = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16)) {
            long bytes = 0;
            while (bytes < 50L << 20) {
                lines++;
                String l;
                if (rnd.nextInt(5000) == 0) {
                    String ip = "203.0.113." + (lines % 250 + 1);
                    planted.put(p + ":" + lines, ip);
                    l = line(ip, "/.env", 404);
                } else {
                    l = line("198.51.100." + rnd.nextInt(256), "/p/" + "x".repeat(rnd.nextInt(300)), 200);
                }
                byte[] b = (l + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                bytes += b.length;
            }
        }
        assertTrue(planted.size() > 20, "enough planted lines: " + planted.size());
        Collector c = new Collector();
        ScanSummary s = read(threads, c, LogInput.of(p));
        assertEquals(lines, s.lines());
        assertEquals(lines, s.parsed());
        Map<String, String> found = new TreeMap<>(c.events(s));
        found.values().removeIf(ip -> !ip.startsWith("203.0.113."));
        assertEquals(planted, found);
    }

    @Test
    void read_crlfLines_stripCarriageReturn() throws IOException {
        Path p = write("crlf.log", line("192.0.2.1", "/", 200) + "\r\n" + line("192.0.2.2", "/", 200) + "\r\n\r\n");
        Collector c = new Collector();
        ScanSummary s = read(1, c, LogInput.of(p));
        assertEquals(2, s.parsed());
        assertEquals(0, s.unparsed());
        assertEquals(List.of("Mozilla/5.0 (test)", "Mozilla/5.0 (test)"), c.uas.get(0));
    }

    private static byte[] withHugeLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a = (line("192.0.2.1", "/", 200) + "\n").getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(a);
        byte[] huge = new byte[10 << 20];
        Arrays.fill(huge, (byte) 'A');
        out.writeBytes(huge);
        out.write('\n');
        out.writeBytes((line("192.0.2.3", "/", 200) + "\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void read_10MbLineInPlainFile_oneUnparsedLineAndNeighboursNumbered() throws IOException {
        Path p = dir.resolve("huge.log");
        Files.write(p, withHugeLine());
        for (int threads : new int[] {1, 3}) {
            Collector c = new Collector();
            ScanSummary s = read(threads, c, LogInput.of(p));
            assertEquals(3, s.lines());
            assertEquals(1, s.unparsed());
            assertEquals(Map.of(p + ":1", "192.0.2.1", p + ":3", "192.0.2.3"), c.events(s));
            assertEquals(p + ":2: line longer than 65536 bytes: " + "A".repeat(120), s.badLines().get(0).toString());
        }
    }

    @Test
    void read_10MbLineInGzipAndStdin_oneUnparsedLineAndNeighboursNumbered() throws IOException {
        Path gz = gzip("huge.log.gz", withHugeLine());
        Collector c = new Collector();
        ScanSummary s = read(2, c, LogInput.of(gz));
        assertEquals(Map.of(gz + ":1", "192.0.2.1", gz + ":3", "192.0.2.3"), c.events(s));
        assertEquals(gz + ":2", s.badLines().get(0).file() + ":" + s.badLines().get(0).line());
        assertEquals(1, s.unparsed());

        Collector viaStdin = new Collector();
        LogReader reader = new LogReader(new LogReader.Options(2, 64 << 10)).withStdin(new ByteArrayInputStream(withHugeLine()));
        ScanSummary t = read(reader, viaStdin, LogInput.stdin());
        assertEquals(Map.of("-:1", "192.0.2.1", "-:3", "192.0.2.3"), viaStdin.events(t));
        assertEquals(3, t.lines());
    }

    @Test
    void read_binaryGarbage_countedUnparsedNeverThrows() throws IOException {
        byte[] junk = new byte[3 << 20];
        new Random(7).nextBytes(junk);
        Path p = dir.resolve("junk.bin");
        Files.write(p, junk);
        Collector c = new Collector();
        ScanSummary s = read(2, c, LogInput.of(p));
        assertEquals(s.lines(), s.parsed() + s.unparsed());
        assertEquals(0, s.parsed());
        assertTrue(s.unparsed() > 1000, "lines: " + s.unparsed());
        assertTrue(s.badLines().stream().allMatch(b -> b.excerpt().chars().noneMatch(Character::isISOControl)),
                "excerpts are printable");
        assertNull(s.fileSummaries().get(0).problem());
    }

    @Test
    void read_truncatedGzip_linesBeforeAreReadAndProblemReported() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20000; i++) {
            text.append(line("192.0.2." + (i % 200 + 1), "/item/" + i, 200)).append('\n');
        }
        Path full = gzip("full.gz", text.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.log.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Path ok = write("ok.log", line("192.0.2.250", "/", 200) + "\n");
        Collector c = new Collector();
        ScanSummary s = read(2, c, LogInput.of(cut), LogInput.of(ok));
        FileSummary f = s.fileSummaries().get(0);
        assertTrue(f.parsed() > 1000 && f.parsed() < 20000, "parsed " + f.parsed());
        assertEquals("truncated gzip after " + f.lines() + " lines", f.problem());
        assertEquals(0, f.unparsed());
        assertEquals(1, s.fileSummaries().get(1).parsed());
        assertTrue(s.hasProblems());
        Map<String, String> events = c.events(s);
        for (long n = 1; n <= f.lines(); n++) {
            assertEquals("192.0.2." + (n % 200 + 1), events.get(cut + ":" + n), "line " + n);
        }
    }

    @Test
    void read_emptyFile_zeroLinesReportedWithoutProblem() throws IOException {
        Path p = write("empty.log", "");
        Path gz = gzip("empty.log.gz", new byte[0]);
        ScanSummary s = read(2, new Collector(), LogInput.of(p), LogInput.of(gz));
        assertEquals(0, s.lines());
        assertEquals(new FileSummary(p.toString(), "-", "empty file", 0, 0, 0, null), s.fileSummaries().get(0));
        assertEquals(new FileSummary(gz.toString(), "-", "empty file", 0, 0, 0, null), s.fileSummaries().get(1));
        assertFalse(s.hasProblems());
    }

    @Test
    void read_stdinPlainAndGzip_sameEvents() throws IOException {
        String text = line("192.0.2.1", "/", 200) + "\n" + "bad\n" + line("192.0.2.2", "/", 200) + "\n";
        for (boolean gz : new boolean[] {false, true}) {
            byte[] data = text.getBytes(StandardCharsets.US_ASCII);
            if (gz) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (OutputStream z = new GZIPOutputStream(out)) {
                    z.write(data);
                }
                data = out.toByteArray();
            }
            Collector c = new Collector();
            LogReader reader = new LogReader(new LogReader.Options(2, 64 << 10)).withStdin(new ByteArrayInputStream(data));
            ScanSummary s = read(reader, c, LogInput.stdin());
            assertEquals(Map.of("-:1", "192.0.2.1", "-:3", "192.0.2.2"), c.events(s), "gzip " + gz);
            assertEquals("-:2: does not match format test-combined: bad", s.badLines().get(0).toString());
        }
    }

    @Test
    void read_manyFiles_eachCountedAndPositioned() throws IOException {
        List<LogInput> inputs = new ArrayList<>();
        for (int f = 0; f < 60; f++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i <= f; i++) {
                sb.append(line("192.0.2." + (f + 1), "/", 200)).append('\n');
            }
            Path p = f % 3 == 0 ? gzip("f" + f + ".log.gz", sb.toString().getBytes(StandardCharsets.US_ASCII))
                    : write("f" + f + ".log", sb.toString());
            inputs.add(LogInput.of(p));
        }
        Collector c = new Collector();
        ScanSummary s = read(new LogReader(new LogReader.Options(4, 64 << 10)), c, inputs.toArray(LogInput[]::new));
        assertEquals(60, s.files());
        assertEquals(60 * 61 / 2, s.parsed());
        for (int f = 0; f < 60; f++) {
            assertEquals(f + 1, s.fileSummaries().get(f).parsed());
        }
        Map<String, String> events = c.events(s);
        assertEquals("192.0.2.60", events.get(inputs.get(59).name() + ":60"));
        assertEquals("192.0.2.1", events.get(inputs.get(0).name() + ":1"));
    }

    /** A format whose events only parse after a "#ok" header, like W3C's #Fields. */
    static final class HeaderFormat implements LogFormat {
        @Override
        public String name() {
            return "needs-header";
        }

        @Override
        public LineParser newParser() {
            boolean[] ready = new boolean[1];
            return (b, s, e, f) -> {
                if (b[s] == '#') {
                    ready[0] = e - s == 3 && b[s + 1] == 'o' && b[s + 2] == 'k';
                    return LineParser.Outcome.DIRECTIVE;
                }
                return ready[0] ? TestCombinedFormat.parse(b, s, e, f) : LineParser.Outcome.MALFORMED;
            };
        }
    }

    @Test
    void read_headerDefinedFormatSplitAcrossWorkers_everyChunkKnowsTheHeader() throws IOException {
        Path p = dir.resolve("w3c.log");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p))) {
            out.write("#version 1\n#ok\n".getBytes(StandardCharsets.US_ASCII));
            byte[] l = (line("192.0.2.9", "/", 200) + "\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 60_000; i++) {
                out.write(l);
            }
        }
        ScanSummary s = new LogReader(new LogReader.Options(4, 64 << 10)).read(List.of(LogInput.of(p)),
                FormatSelector.fixed(new HeaderFormat()), ClientIpResolver.direct(), () -> (f, b, st, e, r) -> { });
        assertEquals(60_000, s.parsed());
        assertEquals(0, s.unparsed());
    }

    @Test
    void read_undetectableFormat_fileSkippedWithProblemOthersRead() throws IOException {
        Path a = write("a.log", "what is this\n");
        Path b = write("b.log", line("192.0.2.1", "/", 200) + "\n");
        FormatSelector selector = (in, first) -> first.get(0).startsWith("what")
                ? FormatChoice.none("no known format matches the first 1 lines") : new FormatChoice(TestCombinedFormat.INSTANCE, "detected");
        ScanSummary s = new LogReader(new LogReader.Options(2, 64 << 10)).read(List.of(LogInput.of(a), LogInput.of(b)),
                selector, ClientIpResolver.direct(), () -> (f, x, st, e, r) -> { });
        assertEquals("no known format matches the first 1 lines", s.fileSummaries().get(0).problem());
        assertEquals(1, s.fileSummaries().get(1).parsed());
        assertEquals("detected", s.fileSummaries().get(1).formatReason());
    }

    @Test
    void read_sinkThrows_failureSurfacesWithoutHang() {
        Path p = assertDoesNotThrowWrite();
        RuntimeException e = assertThrows(IllegalStateException.class, () -> new LogReader(new LogReader.Options(2, 64 << 10))
                .read(List.of(LogInput.of(p)), FormatSelector.fixed(TestCombinedFormat.INSTANCE), ClientIpResolver.direct(),
                        () -> (f, b, s, en, r) -> {
                            throw new IllegalStateException("sink broke");
                        }));
        assertEquals("sink broke", e.getMessage());
    }

    private Path assertDoesNotThrowWrite() {
        try {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                sb.append(line("192.0.2.1", "/", 200)).append('\n');
            }
            return write("many.log", sb.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Property: random corpora give the same events, positions and counts with 1-4 threads as a naive oracle. */
    @Test
    void read_randomCorpora_parallelEqualsSingleThreadAndOracle() throws IOException {
        Random rnd = new Random(2026);
        for (int round = 0; round < 12; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n = 2000 + rnd.nextInt(40_000);
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(20);
                String l = switch (kind) {
                    case 0 -> "";
                    case 1 -> "# comment";
                    case 2 -> "junk " + rnd.nextInt();
                    case 3 -> line("10.0.0." + rnd.nextInt(300), "/", 200);
                    default -> line("192.0.2." + rnd.nextInt(256), "/" + "p".repeat(rnd.nextInt(2000)), 200);
                };
                out.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
                if (i < n - 1 || rnd.nextBoolean()) {
                    out.writeBytes(rnd.nextInt(10) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
                }
            }
            byte[] data = out.toByteArray();
            Path p = dir.resolve("r" + round + (round % 4 == 3 ? ".log.gz" : ".log"));
            if (round % 4 == 3) {
                gzip(p.getFileName().toString(), data);
            } else {
                Files.write(p, data);
            }
            Map<String, String> oracle = oracle(p.toString(), new String(data, StandardCharsets.US_ASCII));
            for (int threads = 1; threads <= 4; threads++) {
                Collector c = new Collector();
                // a small line limit forces many blocks, carries and chunk boundaries on small files
                LogReader reader = new LogReader(new LogReader.Options(threads, 4096));
                ScanSummary s = reader.read(List.of(LogInput.of(p)), FormatSelector.fixed(TestCombinedFormat.INSTANCE),
                        ClientIpResolver.direct(), c::sink);
                assertEquals(oracle, c.events(s), "round " + round + " threads " + threads);
                assertEquals(s.lines(), s.parsed() + s.unparsed());
                assertEquals(oracle.size(), s.parsed());
            }
        }
    }

    private static Map<String, String> oracle(String file, String text) {
        Map<String, String> out = new TreeMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (l.length() > 4096) {
                continue;
            }
            String ip = l.split(" ", 2)[0];
            if (l.startsWith("192.0.2.") || l.startsWith("10.0.0.")) {
                try {
                    out.put(file + ":" + (i + 1), IpAddress.parse(ip).toString());
                } catch (IllegalArgumentException e) {
                    // 10.0.0.256+ is not an address: unparsed
                }
            }
        }
        return out;
    }
}
