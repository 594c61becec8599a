package dev.threatip.intel;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corrupt-input corpus run through every reader: each input must end in entries plus bad
 * lines, or in a {@link FeedFormatException} or {@link IOException} whose message names the
 * file; never another exception, never a hang.
 */
class FeedReaderAdversarialTest {
    private static final Map<String, Supplier<FeedReader>> READERS = new LinkedHashMap<>();

    static {
        READERS.put("plain", PlainListReader::new);
        READERS.put("ipset", IpsetReader::new);
        READERS.put("ipsum", IpsumReader::new);
        READERS.put("csv", CsvFeedReader::new);
        READERS.put("tor", TorExitReader::new);
        READERS.put("warninglist", WarninglistReader::new);
    }

    private static final String FILE_NAME = "hostile-feed.bin";

    static Map<String, byte[]> corpus() throws IOException {
        Map<String, byte[]> c = new LinkedHashMap<>();
        Random random = new Random(20260823L);
        byte[] noise = new byte[256 * 1024];
        random.nextBytes(noise);
        c.put("random bytes", noise);
        byte[] gzNoise = noise.clone();
        gzNoise[0] = 0x1f;
        gzNoise[1] = (byte) 0x8b;
        c.put("random bytes behind a gzip magic", gzNoise);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            many.append("192.0.2.").append(i % 256).append('\t').append(i % 10).append('\n');
        }
        byte[] gz = gzip(many.toString().getBytes(StandardCharsets.US_ASCII));
        c.put("truncated gzip", Arrays.copyOf(gz, gz.length / 2));
        c.put("gzip header only", Arrays.copyOf(gz, 10));
        c.put("empty file", new byte[0]);
        c.put("only comments", "# one\n; two\n// three\n#\n".getBytes(StandardCharsets.US_ASCII));
        byte[] nuls = new byte[64 * 1024];
        c.put("NUL bytes", nuls);
        byte[] mixed = "192.0.2.1\n\0\0\0\n198.51.100.2\0\n\0".getBytes(StandardCharsets.ISO_8859_1);
        c.put("NULs between lines", mixed);
        byte[] longLine = new byte[2 * 1024 * 1024];
        Arrays.fill(longLine, (byte) '1');
        c.put("2 MB single line", longLine);
        byte[] longQuoted = new byte[2 * 1024 * 1024];
        Arrays.fill(longQuoted, (byte) 'a');
        longQuoted[0] = '"';
        c.put("2 MB unterminated quote", longQuoted);
        c.put("deeply nested JSON", ("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.US_ASCII));
        c.put("deeply nested JSON object in list", ("{\"list\": [" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)
                + "]}").getBytes(StandardCharsets.US_ASCII));
        c.put("invalid JSON", "{\"name\": \"x\", \"list\": [\"192.0.2.1\",, }".getBytes(StandardCharsets.US_ASCII));
        c.put("JSON not an object", "[\"192.0.2.1\"]".getBytes(StandardCharsets.US_ASCII));
        c.put("JSON list not an array", "{\"list\": \"192.0.2.1\"}".getBytes(StandardCharsets.US_ASCII));
        c.put("JSON truncated string", "{\"list\": [\"192.0.2.1".getBytes(StandardCharsets.US_ASCII));
        c.put("invalid UTF-8", new byte[]{'{', '"', 'l', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        c.put("CSV header only", "ip,score\n".getBytes(StandardCharsets.US_ASCII));
        c.put("CSV without IP column", "host,score\nexample.net,3\n".getBytes(StandardCharsets.US_ASCII));
        c.put("control characters", "\u0001\u0002\u001b[31m192.0.2.1\u001b[0m\n".getBytes(StandardCharsets.ISO_8859_1));
        c.put("BOM only", new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        c.put("CR only line ends", "192.0.2.1\r198.51.100.1\r".getBytes(StandardCharsets.US_ASCII));
        c.put("ExitAddress without address", "ExitAddress\nExitAddress \n".getBytes(StandardCharsets.US_ASCII));
        c.put("huge numbers", ("192.0.2.1\t" + "9".repeat(5000) + "\n").getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    static List<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> input : corpus().entrySet()) {
            for (String reader : READERS.keySet()) {
                out.add(Arguments.of(reader, input.getKey(), input.getValue()));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} reading {1}")
    @MethodSource("cases")
    void read_corruptInput_endsInEntriesOrNamedError(String reader, String inputName, byte[] bytes, @TempDir Path dir)
            throws IOException {
        Path file = dir.resolve(FILE_NAME);
        Files.write(file, bytes);
        FeedContext ctx = new FeedContext("hostile", Map.of());
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long[] entries = new long[1];
            try {
                READERS.get(reader).get().read(FeedInput.of(file), ctx, e -> entries[0]++);
            } catch (FeedFormatException | IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(FILE_NAME),
                        "error should name the file: " + e);
                return;
            }
            for (FeedContext.BadLine bad : ctx.badLineSamples()) {
                assertTrue(bad.file().contains(FILE_NAME), "bad line should name the file: " + bad);
                assertTrue(bad.why().length() < 200, "bad-line message should stay short: " + bad.why().length());
            }
        });
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
