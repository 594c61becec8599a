package dev.threatip.intel;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden cases as data: {@code feeds/golden-structured/<format>/<case>/} holds one input (the
 * only file or folder besides {@code expected.txt} and {@code options.txt}), the feed options
 * ({@code key=value} lines, optional) and the expected result, one line per entry in read order:
 *
 * <pre>{@code
 * <cidr> line=<n> score=<s|-> cats=<a,b> tags=<x,y> first=<iso|-> last=<iso|-> until=<iso|->
 * }</pre>
 *
 * then one {@code bad <line> <substring of why>} line per bad line, in report order. Lines
 * starting {@code #} are comments. A new case is a new folder; no code changes.
 */
class StructuredFeedGoldenTest {
    private static final String ROOT = "/feeds/golden-structured";

    @TestFactory
    Stream<DynamicTest> read_goldenCase_matchesExpected() throws IOException, URISyntaxException {
        Path root = Path.of(StructuredFeedGoldenTest.class.getResource(ROOT).toURI());
        List<Path> cases;
        try (Stream<Path> formats = Files.list(root)) {
            cases = formats.filter(Files::isDirectory).sorted().flatMap(StructuredFeedGoldenTest::list).toList();
        }
        assertFalse(cases.isEmpty(), "no golden cases under " + root);
        return cases.stream().map(c -> DynamicTest.dynamicTest(
                c.getParent().getFileName() + "/" + c.getFileName(), () -> check(c)));
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(Path dir) throws IOException {
        FeedFormat format = FeedFormat.fromWire(dir.getParent().getFileName().toString());
        List<Path> inputs;
        try (Stream<Path> s = Files.list(dir)) {
            inputs = s.filter(p -> !p.getFileName().toString().equals("expected.txt")
                    && !p.getFileName().toString().equals("options.txt")).toList();
        }
        assertEquals(1, inputs.size(), "one input per case in " + dir + ": " + inputs);
        Map<String, String> options = new HashMap<>();
        Path optionsFile = dir.resolve("options.txt");
        if (Files.exists(optionsFile)) {
            for (String l : Files.readAllLines(optionsFile, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    options.put(l.substring(0, l.indexOf('=')).trim(), l.substring(l.indexOf('=') + 1).trim());
                }
            }
        }
        FeedContext context = new FeedContext(dir.getFileName().toString(), options);
        List<String> actual = new ArrayList<>();
        readerFor(format).read(FeedInput.of(inputs.get(0)), context, e -> actual.add(format(e)));

        List<String> expectedEntries = new ArrayList<>();
        List<String> expectedBad = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.UTF_8)) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            (l.startsWith("bad ") ? expectedBad : expectedEntries).add(l);
        }
        assertEquals(String.join("\n", expectedEntries), String.join("\n", actual), "entries of " + dir);

        List<FeedContext.BadLine> bad = context.badLineSamples();
        assertEquals(expectedBad.size(), context.badLines(), "bad lines of " + dir + ": " + bad);
        for (int i = 0; i < expectedBad.size(); i++) {
            String[] parts = expectedBad.get(i).split(" ", 3);
            FeedContext.BadLine b = bad.get(i);
            assertEquals(Long.parseLong(parts[1]), b.line(), "line of bad line " + b);
            assertTrue(b.why().contains(parts[2]), "'" + parts[2] + "' in " + b);
        }
    }

    static FeedReader readerFor(FeedFormat format) {
        switch (format) {
            case STIX:
                return new StixReader();
            case MISP:
                return new MispReader();
            case MISP_CSV:
                return new MispCsvReader();
            default:
                throw new IllegalArgumentException("no structured reader for " + format);
        }
    }

    static String format(FeedEntry e) {
        Evidence ev = e.evidence();
        return e.network() + " line=" + e.line()
                + " score=" + (ev.score() == Evidence.NO_SCORE ? "-" : String.valueOf(ev.score()))
                + " cats=" + ev.categories().stream().map(Category::wireName).sorted().collect(Collectors.joining(","))
                + " tags=" + String.join(",", ev.tags())
                + " first=" + time(ev.firstSeen()) + " last=" + time(ev.lastSeen()) + " until=" + time(ev.validUntil());
    }

    private static String time(Instant i) {
        return i == null ? "-" : i.toString();
    }
}
