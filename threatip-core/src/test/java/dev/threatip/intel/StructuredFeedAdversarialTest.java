package dev.threatip.intel;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A corrupt-input corpus for the structured readers: every input ends in entries and bad
 * lines, or in a {@link FeedFormatException} or {@link IOException} naming the file, within a
 * few seconds, and never in any other exception (no StackOverflowError, no NPE, no
 * ClassCastException from a JSON node of the wrong kind).
 */
class StructuredFeedAdversarialTest {
    private static final String VALID_INDICATOR = "{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '198.51.100.1']\"}";

    @TempDir
    static Path dir;

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("empty", new byte[0]);
        c.put("whitespace", utf8("  \n\t\n"));
        c.put("not-json", utf8("198.51.100.1\n203.0.113.0/24\n"));
        c.put("invalid-json", utf8("{\"type\": \"bundle\", \"objects\": [ {\"type\": } ]}"));
        c.put("truncated-json", utf8("{\"type\":\"bundle\",\"objects\":[" + VALID_INDICATOR + ",{\"type\":\"indic"));
        c.put("trailing-garbage", utf8("{\"type\":\"bundle\",\"objects\":[]} {\"more\": 1}"));
        c.put("array-of-numbers", utf8("[1, 2, 3.5, -7, 1e309]"));
        c.put("array-of-arrays", utf8("[[1], [[2]], []]"));
        c.put("json-string", utf8("\"just a string\""));
        c.put("json-number", utf8("42"));
        c.put("json-null", utf8("null"));
        c.put("event-is-number", utf8("{\"Event\": 5}"));
        c.put("event-attribute-is-object", utf8("{\"Event\": {\"info\": \"x\", \"Attribute\": {\"type\": \"ip-src\"}}}"));
        c.put("event-attributes-wrong-kinds", utf8("{\"Event\": {\"info\": \"x\", \"threat_level_id\": [1], \"Tag\": 7,"
                + " \"Attribute\": [null, 1, [], {\"type\": 5, \"value\": {}}, {\"type\": \"ip-src\", \"value\": [\"198.51.100.1\"],"
                + " \"to_ids\": true}, {\"type\": \"ip-src\", \"to_ids\": true, \"Tag\": [{\"name\": 3}], \"value\": \"198.51.100.2\"}],"
                + " \"Object\": [5, {\"Attribute\": \"x\"}]}}"));
        c.put("bundle-objects-not-array", utf8("{\"type\":\"bundle\",\"objects\": {\"a\": 1}}"));
        c.put("indicator-fields-wrong-kinds", utf8("{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"pattern\": 7},"
                + "{\"type\":\"indicator\",\"pattern\":\"[ipv4-addr:value = '198.51.100.9']\",\"indicator_types\": 5,"
                + "\"labels\": {\"x\": 1}, \"confidence\": \"high\", \"valid_from\": 3, \"name\": []}]}"));
        c.put("deep-arrays-10k", utf8("[".repeat(10_000) + "]".repeat(10_000)));
        c.put("deep-objects-10k", utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        c.put("deep-arrays-unclosed", utf8("[".repeat(100_000)));
        c.put("megabyte-string", utf8("{\"type\":\"bundle\",\"objects\":[{\"type\":\"indicator\",\"name\":\""
                + "x".repeat(1 << 20) + "\",\"pattern\":\"[ipv4-addr:value = '" + "1".repeat(1 << 20) + "']\"}]}"));
        c.put("megabyte-pattern-nesting", utf8("{\"type\":\"indicator\",\"pattern\":\"" + "(".repeat(200_000) + "\"}"));
        c.put("pattern-deep-brackets", utf8("{\"type\":\"indicator\",\"pattern\":\"" + "([".repeat(5000) + "\"}"));
        c.put("huge-number", utf8("{\"type\":\"indicator\",\"confidence\": " + "9".repeat(5000) + "}"));
        c.put("invalid-utf8", new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        c.put("utf32-garbage", new byte[] {0, 0, 0, '[', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        c.put("nul-bytes", new byte[4096]);
        Random random = new Random(20260301L);
        for (int i = 0; i < 5; i++) {
            byte[] b = new byte[1 + random.nextInt(64 * 1024)];
            random.nextBytes(b);
            c.put("random-" + i, b);
        }
        c.put("csv-unclosed-quote", utf8("value,type,to_ids\n\"198.51.100.1,ip-src,1\n"));
        c.put("csv-megabyte-line", utf8("value,type,to_ids\n" + "a".repeat(3 << 20) + "\n198.51.100.1,ip-src,1\n"));
        c.put("csv-only-header", utf8("value,type\n"));
        c.put("csv-ragged", utf8("type,value,to_ids\nip-src\nip-src,198.51.100.1,1,extra,fields\n,,,\n"));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> read_corruptInput_endsInEntriesOrTypedError() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : corpus().entrySet()) {
            Path file = dir.resolve(e.getKey() + ".in");
            Files.write(file, e.getValue());
            Path gz = dir.resolve(e.getKey() + ".in.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(e.getValue());
            }
            for (FeedFormat format : List.of(FeedFormat.STIX, FeedFormat.MISP, FeedFormat.MISP_CSV)) {
                tests.add(DynamicTest.dynamicTest(format.wireName() + " " + e.getKey(), () -> readSafely(format, file)));
            }
            tests.add(DynamicTest.dynamicTest("stix gzip " + e.getKey(), () -> readSafely(FeedFormat.STIX, gz)));
        }
        return tests.stream();
    }

    @Test
    void read_deeplyNestedJson_failsAsFeedFormatException() throws IOException {
        Path file = dir.resolve("deep.json");
        Files.writeString(file, "[".repeat(10_000) + "]".repeat(10_000));
        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> new StixReader().read(FeedInput.of(file), context(), x -> { }));
        assertEquals(file.toString(), e.file());
        assertTrue(e.why().contains("nesting depth"), e.getMessage());
    }

    @Test
    void read_truncatedGzip_failsAsIoExceptionNamingFile() throws IOException {
        byte[] whole;
        Path full = dir.resolve("whole.json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(full))) {
            out.write(utf8("{\"type\":\"bundle\",\"objects\":[" + (VALID_INDICATOR + ",").repeat(2000) + VALID_INDICATOR + "]}"));
        }
        whole = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.json.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> new StixReader().read(FeedInput.of(cut), context(), x -> { }));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    }

    @Test
    void read_eventIsNumber_failsNamingFileAndShape() throws IOException {
        Path file = dir.resolve("event5.json");
        Files.writeString(file, "{\"Event\": 5}");
        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> new MispReader().read(FeedInput.of(file), context(), x -> { }));
        assertEquals(file.toString(), e.file());
        assertTrue(e.why().contains("'Event' is not a JSON object"), e.getMessage());
    }

    @Test
    void read_mispDirectoryWithoutManifest_failsNamingDirectory() throws IOException {
        Path feed = Files.createDirectories(dir.resolve("no-manifest"));
        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> new MispReader().read(FeedInput.of(feed), context(), x -> { }));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }

    @Test
    void read_unknownToIdsOption_failsListingAllowedValues() throws IOException {
        Path file = dir.resolve("opt.csv");
        Files.writeString(file, "value,type\n198.51.100.1,ip-src\n");
        FeedContext ctx = new FeedContext("t", Map.of("to-ids", "maybe"));
        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> new MispCsvReader().read(FeedInput.of(file), ctx, x -> { }));
        assertTrue(e.why().contains("allowed: true, any"), e.getMessage());
    }

    private static void readSafely(FeedFormat format, Path file) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                List<FeedEntry> entries = new ArrayList<>();
                StructuredFeedGoldenTest.readerFor(format).read(FeedInput.of(file), context(), entries::add);
            } catch (FeedFormatException e) {
                assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()),
                        "names the file: " + e.getMessage());
            } catch (Throwable t) {
                fail(format + " on " + file.getFileName() + " threw " + t, t);
            }
        });
    }

    private static FeedContext context() {
        return new FeedContext("adversarial", Map.of());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
