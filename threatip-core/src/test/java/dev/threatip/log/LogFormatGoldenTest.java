package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases as data: {@code src/test/resources/logs/golden/<format>/<case>/input.log} and
 * {@code expected.txt}, one {@link GoldenText} line per input line ({@code #} lines and blank
 * lines in {@code expected.txt} are annotations). An optional {@code format.txt} configures the
 * format: the {@code log_format} / {@code LogFormat} string for {@code nginx} / {@code apache},
 * the {@code --ip-field} for {@code json}. Run with {@code -Dgolden.update=true} to rewrite the
 * expectations from the parsers (keeping annotations), then review the diff.
 */
class LogFormatGoldenTest {
    static final Path ROOT = Path.of("src/test/resources/logs/golden");

    /** Folder name to format, given the case's format.txt (or null). Explicit, like the registry. */
    static final Map<String, Function<String, LogFormat>> FORMATS = Map.of(
            "combined", cfg -> CombinedFormat.combined(),
            "common", cfg -> CombinedFormat.common(),
            "json", cfg -> cfg == null ? JsonLinesFormat.defaults() : JsonLinesFormat.withIpField(cfg),
            "cloudflare", cfg -> CloudflareLogpushFormat.instance(),
            "nginx", NginxLogFormat::compile,
            "apache", ApacheLogFormat::compile);

    static Stream<Path> cases() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> formats = Files.list(ROOT)) {
            for (Path format : formats.sorted().toList()) {
                try (Stream<Path> cs = Files.list(format)) {
                    cs.filter(Files::isDirectory).sorted().forEach(out::add);
                }
            }
        }
        return out.stream();
    }

    static LogFormat formatOf(Path caseDir) throws IOException {
        String folder = caseDir.getParent().getFileName().toString();
        Function<String, LogFormat> f = FORMATS.get(folder);
        assertTrue(f != null, "no format registered for golden folder '" + folder + "'; known: " + FORMATS.keySet());
        Path cfg = caseDir.resolve("format.txt");
        return f.apply(Files.exists(cfg) ? Files.readString(cfg).strip() : null);
    }

    /** The lines of input.log as byte ranges, split on LF with one trailing CR dropped. */
    static List<byte[]> inputLines(Path caseDir) throws IOException {
        byte[] all = Files.readAllBytes(caseDir.resolve("input.log"));
        List<byte[]> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i == all.length && from == i) {
                    break;
                }
                int to = i > from && all[i - 1] == '\r' ? i - 1 : i;
                byte[] line = new byte[to - from];
                System.arraycopy(all, from, line, 0, line.length);
                lines.add(line);
                from = i + 1;
            }
        }
        return lines;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parse_goldenCase_matchesExpected(Path caseDir) throws IOException {
        LineParser parser = formatOf(caseDir).newParser();
        LineFields fields = new LineFields();
        List<String> actual = new ArrayList<>();
        for (byte[] line : inputLines(caseDir)) {
            fields.reset();
            actual.add(GoldenText.render(parser.parse(line, 0, line.length, fields), fields));
        }
        Path expectedFile = caseDir.resolve("expected.txt");
        List<String> raw = Files.exists(expectedFile) ? Files.readAllLines(expectedFile, StandardCharsets.UTF_8) : List.of();
        if (Boolean.getBoolean("golden.update")) {
            Files.write(expectedFile, merge(raw, actual), StandardCharsets.UTF_8);
            return;
        }
        List<String> expected = raw.stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(expected.size(), actual.size(), caseDir + ": expected.txt entries vs input.log lines");
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), caseDir + " line " + (i + 1));
        }
    }

    /** The new entries with the old annotations kept before the entry they preceded. */
    private static List<String> merge(List<String> old, List<String> entries) {
        List<String> out = new ArrayList<>();
        int entry = 0;
        for (String l : old) {
            if (l.isBlank() || l.startsWith("#")) {
                out.add(l);
            } else if (entry < entries.size()) {
                out.add(entries.get(entry++));
            }
        }
        while (entry < entries.size()) {
            out.add(entries.get(entry++));
        }
        return out;
    }
}
