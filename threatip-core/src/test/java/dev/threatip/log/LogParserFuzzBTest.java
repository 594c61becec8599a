package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial inputs for every parser of this suite: random and mutated bytes, every prefix of
 * every golden line, a 1 MB line, NULs, and field headers of 10,000 columns. Each call must
 * return an outcome — never throw, never spin — and leave every slice inside its array.
 */
@Timeout(120)
class LogParserFuzzBTest {
    private static final byte[] ALPHABET = " \t\"[]#:-/?%+\\x0123456789.GETPOSTHhttps://abcXYZ()\u0000,=\r".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void parse_randomAndMutatedBytes_returnsOutcomeWithSlicesInBounds() throws Exception {
        List<byte[]> golden = goldenLines();
        for (Map.Entry<String, LogFormat> e : LogFormatGoldenBTest.FORMATS.entrySet()) {
            Random random = new Random(e.getKey().hashCode());
            LineParser parser = e.getValue().newParser();
            LineFields fields = new LineFields();
            for (int n = 0; n < 20_000; n++) {
                byte[] line = switch (n % 4) {
                    case 0 -> randomBytes(random, random.nextInt(300));
                    case 1 -> fromAlphabet(random, random.nextInt(400));
                    default -> mutate(random, golden.get(random.nextInt(golden.size())));
                };
                check(e.getKey(), parser, line, 0, line.length, fields);
            }
        }
    }

    @Test
    void parse_everyPrefixOfGoldenLines_neverThrows() throws Exception {
        List<byte[]> golden = goldenLines();
        for (Map.Entry<String, LogFormat> e : LogFormatGoldenBTest.FORMATS.entrySet()) {
            LineParser parser = e.getValue().newParser();
            LineFields fields = new LineFields();
            for (byte[] line : golden) {
                for (int len = 0; len <= line.length; len++) {
                    // Parse a window of a larger array so an over-read past the line end would show.
                    byte[] padded = Arrays.copyOf(line, line.length + 8);
                    Arrays.fill(padded, line.length, padded.length, (byte) ']');
                    check(e.getKey(), parser, padded, 0, len, fields);
                }
            }
        }
    }

    @Test
    void parse_oneMegabyteLinesAndNuls_returnOutcome() throws Exception {
        Random random = new Random(7);
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        byte[] quoted = fromAlphabet(random, 1 << 20);
        byte[] brackets = new byte[1 << 20];
        for (int i = 0; i < brackets.length; i++) {
            brackets[i] = (byte) "[] ".charAt(i % 3);
        }
        byte[] nuls = new byte[4096];
        for (Map.Entry<String, LogFormat> e : LogFormatGoldenBTest.FORMATS.entrySet()) {
            LineParser parser = e.getValue().newParser();
            LineFields fields = new LineFields();
            for (byte[] line : List.of(spaces, quoted, brackets, nuls)) {
                check(e.getKey(), parser, line, 0, line.length, fields);
            }
            for (byte[] line : goldenLines()) {
                byte[] withNul = line.clone();
                if (withNul.length > 0) {
                    withNul[withNul.length / 2] = 0;
                }
                check(e.getKey(), parser, withNul, 0, withNul.length, fields);
            }
        }
    }

    @Test
    void parse_fieldsHeaderOfTenThousandColumns_refusesHeaderAndStaysBounded() {
        StringBuilder w3c = new StringBuilder("#Fields:");
        StringBuilder zeek = new StringBuilder("#fields");
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            w3c.append(" c-ip");
            zeek.append("\tid.orig_h");
            row.append(i == 0 ? "" : " ").append("192.0.2.1");
        }
        byte[] rowBytes = row.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] tabRow = row.toString().replace(' ', '\t').getBytes(StandardCharsets.US_ASCII);
        for (String name : List.of("w3c", "aws-cloudfront", "zeek")) {
            LineParser parser = LogFormatGoldenBTest.FORMATS.get(name).newParser();
            LineFields fields = new LineFields();
            byte[] header = (name.equals("zeek") ? zeek : w3c).toString().getBytes(StandardCharsets.US_ASCII);
            assertEquals(LineParser.Outcome.DIRECTIVE, check(name, parser, header, 0, header.length, fields));
            byte[] data = name.equals("w3c") ? rowBytes : tabRow;
            assertEquals(LineParser.Outcome.MALFORMED, check(name, parser, data, 0, data.length, fields), name);
        }
    }

    private static LineParser.Outcome check(String format, LineParser parser, byte[] line, int start, int end,
                                            LineFields f) {
        f.reset();
        LineParser.Outcome outcome = parser.parse(line, start, end, f);
        assertNotNull(outcome, format);
        for (Slice s : List.of(f.remoteAddr, f.forwardedFor, f.realIp, f.connectingIp, f.method, f.host, f.path,
                f.query, f.protocol, f.userAgent, f.referer)) {
            if (s.isEmpty()) {
                continue;
            }
            byte[] a = s.array();
            assertTrue(s.start() >= 0 && s.start() <= s.end() && s.end() <= a.length, format + ": slice out of its array");
            if (a == line) {
                assertTrue(s.start() >= start && s.end() <= end, format + ": slice outside the line: "
                        + new String(line, start, end - start, StandardCharsets.ISO_8859_1));
            }
        }
        return outcome;
    }

    private static List<byte[]> goldenLines() throws IOException, URISyntaxException {
        List<byte[]> lines = new ArrayList<>();
        try (Stream<Path> cases = LogFormatGoldenBTest.cases()) {
            for (Path dir : cases.toList()) {
                for (String l : Files.readAllLines(dir.resolve("input.log"), StandardCharsets.ISO_8859_1)) {
                    lines.add(l.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        return lines;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] fromAlphabet(Random random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return b;
    }

    private static byte[] mutate(Random random, byte[] line) {
        byte[] b = line.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            b[random.nextInt(b.length)] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return random.nextBoolean() || b.length == 0 ? b : Arrays.copyOf(b, random.nextInt(b.length));
    }
}
