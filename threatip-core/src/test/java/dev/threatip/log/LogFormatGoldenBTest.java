package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases as data: every folder {@code logs/golden-b/<format>/<case>/} holds
 * {@code input.log} and {@code expected.txt}, one expected line per input line:
 * <pre>
 * EVENT remote=192.0.2.10 xff=- method=GET host=example.com path=/a query=q=1 status=200 bytes=512 time=2024-05-01T10:00:00Z ua=curl/8.0 ref=-
 * DIRECTIVE
 * MALFORMED
 * </pre>
 * ({@code real=} and {@code conn=} follow {@code xff=} only when the line has them; {@code -} is
 * absent.) One parser reads the whole file, so header directives carry over to later lines.
 * To add a case, write its input and an empty {@code expected.txt}, run this test with
 * {@code -Dgolden.update=true} (which rewrites the expected files in {@code src/test/resources}),
 * and review the result line by line before committing it.
 */
class LogFormatGoldenBTest {
    /** The formats of this suite by golden folder name (the format's {@code name()}, and {@code iis} for the alias). */
    static final Map<String, LogFormat> FORMATS = formats();

    private static Map<String, LogFormat> formats() {
        Map<String, LogFormat> m = new LinkedHashMap<>();
        for (LogFormat f : List.of(new AwsAlbFormat(), new W3cFormat(), new CloudFrontFormat(), new ZeekHttpFormat(),
                new TencentClbFormat(), new TencentCdnFormat(), new TencentCosFormat(), new TencentApiGatewayFormat())) {
            m.put(f.name(), f);
        }
        m.put("iis", m.get("w3c"));
        return m;
    }

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(LogFormatGoldenBTest.class.getResource("/logs/golden-b").toURI());
        List<Path> all = new ArrayList<>();
        try (Stream<Path> formats = Files.list(root)) {
            for (Path format : formats.sorted().toList()) {
                try (Stream<Path> cases = Files.list(format)) {
                    all.addAll(cases.filter(Files::isDirectory).sorted().toList());
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parse_goldenCase_matchesExpected(Path dir) throws IOException {
        String format = dir.getParent().getFileName().toString();
        assertTrue(FORMATS.containsKey(format), "no format bound for golden folder " + format);
        byte[] input = Files.readAllBytes(dir.resolve("input.log"));
        List<String> actual = parseAll(FORMATS.get(format), input);
        Path expectedFile = dir.resolve("expected.txt");
        if (Boolean.getBoolean("golden.update")) {
            Path source = Path.of("src/test/resources/logs/golden-b", format, dir.getFileName().toString(), "expected.txt");
            Files.writeString(source, String.join("\n", actual) + "\n");
            return;
        }
        List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8);
        assertEquals(String.join("\n", expected), String.join("\n", actual), dir.toString());
    }

    /** Parses every {@code \n}-terminated line of {@code input} with one parser, as a reader of one file would. */
    static List<String> parseAll(LogFormat format, byte[] input) {
        LineParser parser = format.newParser();
        LineFields fields = new LineFields();
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < input.length) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            fields.reset();
            LineParser.Outcome outcome = parser.parse(input, start, end, fields);
            out.add(outcome == LineParser.Outcome.EVENT ? render(fields) : outcome.name());
            start = end + 1;
        }
        return out;
    }

    static String render(LineFields f) {
        StringBuilder sb = new StringBuilder("EVENT");
        add(sb, "remote", f.remoteAddr);
        add(sb, "xff", f.forwardedFor);
        if (!f.realIp.isEmpty()) {
            add(sb, "real", f.realIp);
        }
        if (!f.connectingIp.isEmpty()) {
            add(sb, "conn", f.connectingIp);
        }
        add(sb, "method", f.method);
        add(sb, "host", f.host);
        add(sb, "path", f.path);
        add(sb, "query", f.query);
        sb.append(" status=").append(f.status == LineFields.NONE ? "-" : Integer.toString(f.status));
        sb.append(" bytes=").append(f.bytes == LineFields.NONE ? "-" : Long.toString(f.bytes));
        sb.append(" time=").append(f.timeMillis == LineFields.NONE ? "-" : Instant.ofEpochMilli(f.timeMillis).toString());
        add(sb, "ua", f.userAgent);
        add(sb, "ref", f.referer);
        return sb.toString();
    }

    private static void add(StringBuilder sb, String key, Slice s) {
        sb.append(' ').append(key).append('=').append(s.isEmpty() ? "-" : s.asString());
    }
}
