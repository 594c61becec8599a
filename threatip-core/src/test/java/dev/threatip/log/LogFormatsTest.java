package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.junit.jupiter.params.provider.MethodSource;

/** The registry: names, user format strings, and detection on every golden sample of a built-in format. */
class LogFormatsTest {
    private static final Path[] GOLDEN = {Path.of("src/test/resources/logs/golden"), Path.of("src/test/resources/logs/golden-b")};

    /** Golden folders named after a built-in format, except user-compiled strings and the cases of deliberate garbage. */
    static Stream<Path> goldenCasesOfBuiltInFormats() throws IOException {
        List<Path> cases = new ArrayList<>();
        for (Path root : GOLDEN) {
            try (Stream<Path> formats = Files.list(root)) {
                for (Path format : formats.sorted().toList()) {
                    if (!LogFormats.names().contains(format.getFileName().toString())) {
                        continue;
                    }
                    try (Stream<Path> c = Files.list(format)) {
                        c.filter(d -> Files.exists(d.resolve("input.log")) && !Files.exists(d.resolve("format.txt"))
                                && !d.getFileName().toString().contains("malformed"))
                                .sorted().forEach(cases::add);
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("goldenCasesOfBuiltInFormats")
    void detect_goldenSample_picksItsFormat(Path goldenCase) throws IOException {
        String expected = goldenCase.getParent().getFileName().toString();
        List<String> lines = Files.readAllLines(goldenCase.resolve("input.log"), StandardCharsets.UTF_8);
        FormatChoice choice = LogFormats.detect(lines.subList(0, Math.min(lines.size(), FormatSelector.SAMPLE_LINES)), null);
        // common lines are also read by combined, which then simply lacks referer and agent
        String got = choice.format() == null ? "none: " + choice.reason() : choice.format().name();
        assertTrue(got.equals(expected) || (expected.equals("common") && got.equals("combined")),
                goldenCase + ": expected " + expected + ", detected " + got + " (" + choice.reason() + ")");
    }

    @Test
    void detect_prose_choosesNothingAndSaysWhy() {
        FormatChoice c = LogFormats.detect(List.of("Dear operator,", "the logs are attached.", "Regards"), null);
        assertNull(c.format());
        assertTrue(c.reason().contains("no known format"), c.reason());
    }

    @Test
    void named_unknown_listsKnownFormats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormats.named("apache2", null));
        assertTrue(e.getMessage().startsWith("unknown format 'apache2'; known: auto, cloudflare, json"), e.getMessage());
    }

    @Test
    void named_alias_givesTheFormatButIsNotTriedTwice() {
        assertEquals("w3c", LogFormats.named("iis", null).name());
        assertTrue(!LogFormats.names().contains("iis") && LogFormats.names().contains("w3c"), LogFormats.names().toString());
    }

    @Test
    void compile_nginxAndApacheStrings_areToldApart() {
        byte[] line = "203.0.113.7 - - [01/Nov/2026:00:00:03 +0000] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"zgrab/0.x\""
                .getBytes(StandardCharsets.UTF_8);
        for (String format : List.of("$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                + "\"$http_referer\" \"$http_user_agent\"", "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"")) {
            LineFields f = new LineFields();
            f.reset();
            assertEquals(LineParser.Outcome.EVENT, LogFormats.compile(format).newParser().parse(line, 0, line.length, f), format);
            assertEquals("/.env", f.path.asString());
            assertEquals(404, f.status);
        }
        assertThrows(IllegalArgumentException.class, () -> LogFormats.compile("just words"));
    }
}
