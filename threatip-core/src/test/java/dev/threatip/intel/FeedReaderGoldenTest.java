package dev.threatip.intel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden cases as data: every folder {@code feeds/golden/<format>/<case>/} on the test class
 * path holds {@code input.*} (and optionally {@code options.properties}, the feed spec's format
 * options) and {@code expected.txt}:
 * <pre>
 * 192.0.2.0/24 line=3 -                      one line per entry, in order, with its evidence
 * 198.51.100.7/32 line=4 tags=scanner.example   (or "-" for Evidence.NONE)
 * bad 5 not an IP address                    every bad line: its number and part of its why
 * header title=blocklist_de_ssh              every header field the reader filled in
 * </pre>
 * To add a case, write its input and an empty {@code expected.txt}, run this test with
 * {@code -Dgolden.update=true} (which rewrites the expected files in {@code src/test/resources}),
 * and review the result line by line before committing it.
 */
class FeedReaderGoldenTest {
    private static final Map<String, Supplier<FeedReader>> READERS = Map.of(
            "plain", PlainListReader::new,
            "ipset", IpsetReader::new,
            "ipsum", IpsumReader::new,
            "csv", CsvFeedReader::new,
            "tor", TorExitReader::new,
            "warninglist", WarninglistReader::new);

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(FeedReaderGoldenTest.class.getResource("/feeds/golden").toURI());
        try (Stream<Path> formats = Files.list(root)) {
            List<Path> all = new ArrayList<>();
            for (Path format : formats.sorted().toList()) {
                try (Stream<Path> cases = Files.list(format)) {
                    all.addAll(cases.filter(Files::isDirectory).sorted().toList());
                }
            }
            return all.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void read_goldenCase_matchesExpected(Path dir) throws IOException {
        String format = dir.getParent().getFileName().toString();
        assertTrue(READERS.containsKey(format), "no reader bound for golden folder " + format);
        Path input;
        try (Stream<Path> files = Files.list(dir)) {
            input = files.filter(p -> p.getFileName().toString().startsWith("input")).findFirst()
                    .orElseThrow(() -> new AssertionError("no input.* in " + dir));
        }
        Map<String, String> options = new HashMap<>();
        Path opts = dir.resolve("options.properties");
        if (Files.exists(opts)) {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(opts)));
            p.stringPropertyNames().forEach(k -> options.put(k, p.getProperty(k)));
        }
        FeedContext ctx = new FeedContext(dir.getFileName().toString(), options);
        List<String> actual = new ArrayList<>();
        FeedHeader header = READERS.get(format).get().read(new FeedInput(input, input.getFileName().toString()), ctx,
                e -> actual.add(e.network() + " line=" + e.line() + " " + summary(e.evidence())));
        List<String> badLines = ctx.badLineSamples().stream()
                .map(b -> "bad " + b.line() + " " + b.why()).toList();
        List<String> headerLines = headerLines(header);

        Path expectedFile = dir.resolve("expected.txt");
        if (Boolean.getBoolean("golden.update")) {
            List<String> out = new ArrayList<>(actual);
            out.addAll(badLines);
            out.addAll(headerLines);
            Path source = Path.of("src/test/resources/feeds/golden", format, dir.getFileName().toString(), "expected.txt");
            Files.writeString(source, String.join("\n", out) + "\n");
            return;
        }
        List<String> expected = Files.readAllLines(expectedFile).stream().filter(l -> !l.isBlank()).toList();
        List<String> expectedEntries = expected.stream()
                .filter(l -> !l.startsWith("bad ") && !l.startsWith("header ")).toList();
        List<String> expectedBad = expected.stream().filter(l -> l.startsWith("bad ")).toList();
        List<String> expectedHeader = expected.stream().filter(l -> l.startsWith("header ")).toList();

        assertEquals(String.join("\n", expectedEntries), String.join("\n", actual), dir + ": entries");
        assertEquals(expectedBad.size(), ctx.badLines(), dir + ": bad line count; got " + badLines);
        for (int i = 0; i < expectedBad.size(); i++) {
            String[] parts = expectedBad.get(i).split(" ", 3);
            FeedContext.BadLine got = ctx.badLineSamples().get(i);
            assertEquals(Long.parseLong(parts[1]), got.line(), dir + ": bad line " + i + " is " + got);
            assertTrue(got.why().contains(parts.length > 2 ? parts[2] : ""),
                    dir + ": bad line " + got + " should say '" + parts[2] + "'");
            assertEquals(input.getFileName().toString(), got.file(), dir + ": bad line names the file");
        }
        assertEquals(String.join("\n", expectedHeader), String.join("\n", headerLines), dir + ": header");
    }

    static String summary(Evidence e) {
        if (e == Evidence.NONE) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        if (!e.categories().isEmpty()) {
            parts.add("categories=" + e.categories().stream().map(Category::wireName).sorted()
                    .collect(Collectors.joining(",")));
        }
        if (e.score() != Evidence.NO_SCORE) {
            parts.add("score=" + e.score());
        }
        if (e.listCount() != 0) {
            parts.add("lists=" + e.listCount());
        }
        if (e.firstSeen() != null) {
            parts.add("first=" + e.firstSeen());
        }
        if (e.lastSeen() != null) {
            parts.add("last=" + e.lastSeen());
        }
        if (e.validUntil() != null) {
            parts.add("until=" + e.validUntil());
        }
        if (!e.tags().isEmpty()) {
            parts.add("tags=" + String.join("|", e.tags()));
        }
        return parts.isEmpty() ? "(empty)" : String.join(" ", parts);
    }

    static List<String> headerLines(FeedHeader h) {
        List<String> out = new ArrayList<>();
        add(out, "title", h.title());
        add(out, "description", h.description());
        add(out, "maintainer", h.maintainer());
        add(out, "category", h.category());
        add(out, "published", h.published());
        if (h.declaredEntries() >= 0) {
            out.add("header declaredEntries=" + h.declaredEntries());
        }
        add(out, "sourceUrl", h.sourceUrl());
        return out;
    }

    private static void add(List<String> out, String field, Object value) {
        if (value != null) {
            out.add("header " + field + "=" + value);
        }
    }
}
