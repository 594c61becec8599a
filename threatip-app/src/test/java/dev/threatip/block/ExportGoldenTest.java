package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for every export format: each case folder {@code block/golden/<case>/} holds the
 * input ({@code decisions.json}, {@code options.properties}), one expected file per format named
 * {@code <format><extension>}, and {@code summary.txt} with each format's result (counts, every
 * decision left out and why, notes), which the JSON-only formats cannot carry in the file.
 * Cases: {@code mixed} (IPv4, IPv6, CIDRs, an expired, a duplicate, covered scopes, challenges,
 * a timeout past ipset's longest, an IPv6 /128 Cloudflare must widen), {@code cut} (the same
 * decisions with a limit of 2 and another name) and {@code hostile} (reasons written to break out
 * of comments and strings). To add a case, write its input, run this test with
 * {@code -Dgolden.update=true} (which writes the expected files into {@code src/test/resources})
 * and review every file before committing it.
 */
class ExportGoldenTest {
    private static final List<String> CASES = List.of("mixed", "cut", "hostile");

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String c : CASES) {
            for (String format : Exporter.targets()) {
                all.add(Arguments.of(c, format));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void export_goldenCase_matchesExpectedFile(String caseName, String format) throws IOException {
        Path dir = DecisionFixtures.golden(caseName);
        ExportOptions options = DecisionFixtures.options(dir);
        ExportResult result = Exporter.forTarget(format).export(DecisionFixtures.decisions(dir), options);
        String file = format + result.fileName().substring(options.name().length());
        if (Boolean.getBoolean("golden.update")) {
            Files.write(Path.of("src/test/resources/block/golden", caseName, file), result.content());
            return;
        }
        Path expected = dir.resolve(file);
        assertTrue(Files.exists(expected), "no golden file " + expected + "; run with -Dgolden.update=true and review it");
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), result.text(), caseName + "/" + file);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseNames")
    void export_goldenCase_reportsWhatWasLeftOut(String caseName) throws IOException {
        Path dir = DecisionFixtures.golden(caseName);
        StringBuilder sb = new StringBuilder();
        for (String format : Exporter.targets()) {
            ExportResult r = Exporter.forTarget(format).export(DecisionFixtures.decisions(dir), DecisionFixtures.options(dir));
            sb.append(r.summary()).append('\n');
            for (LeftOut l : r.leftOut()) {
                sb.append("  #").append(l.decision().id()).append(' ').append(l.decision().scope()).append(' ')
                        .append(l.decision().type().wireName()).append(": ").append(l.reason().wireName()).append(", ")
                        .append(l.detail()).append('\n');
            }
            for (String note : r.notes()) {
                sb.append("  note: ").append(note).append('\n');
            }
        }
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/block/golden", caseName, "summary.txt"), sb);
            return;
        }
        assertEquals(Files.readString(dir.resolve("summary.txt")), sb.toString(), caseName + "/summary.txt");
    }

    static Stream<String> caseNames() {
        return CASES.stream();
    }

    @Test
    void goldenFolders_holdOnlyKnownFormats() throws IOException {
        for (String c : CASES) {
            try (Stream<Path> files = Files.list(DecisionFixtures.golden(c))) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    boolean known = name.equals("decisions.json") || name.equals("options.properties")
                            || name.equals("summary.txt")
                            || Exporter.targets().stream().anyMatch(t -> name.startsWith(t + "."));
                    assertTrue(known, "stale golden file " + f + ": no format writes it");
                }
            }
        }
    }
}
