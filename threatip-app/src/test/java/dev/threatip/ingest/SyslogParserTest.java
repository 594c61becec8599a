package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.ingest.SyslogMessage.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class SyslogParserTest {

    /** One golden case from {@code ingest/syslog-frames.txt}. */
    record Case(int line, byte[] frame, Kind kind, byte[] expected) {}

    @TestFactory
    List<DynamicTest> parse_goldenFrames_yieldTheAnnotatedMessage() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            String name = "line " + c.line() + ": " + TransportCounters.excerpt(c.frame(), 0, c.frame().length);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                // parse it in the middle of a larger array, as the receiver does
                byte[] padded = new byte[c.frame().length + 10];
                Arrays.fill(padded, (byte) 'Z');
                System.arraycopy(c.frame(), 0, padded, 5, c.frame().length);
                SyslogMessage m = SyslogParser.parse(padded, 5, c.frame().length);
                assertEquals(c.kind(), m.kind(), () -> "problem: " + m.problem());
                if (c.kind() == Kind.MALFORMED) {
                    assertEquals(new String(c.expected(), StandardCharsets.UTF_8), m.problem());
                } else {
                    assertNull(m.problem());
                    assertEquals(text(c.expected()),
                            text(Arrays.copyOfRange(padded, m.start(), m.end())));
                }
            }));
        }
        assertTrue(tests.size() >= 40, "golden file read: " + tests.size() + " cases");
        return tests;
    }

    @Test
    void parse_nginxMessage_reportsItsPriority() {
        byte[] frame = "<190>Nov 23 20:00:00 web1 nginx: 203.0.113.7 - - [23/Nov/2026:20:00:00 +0000] \"GET / HTTP/1.1\" 200 5"
                .getBytes(StandardCharsets.US_ASCII);
        SyslogMessage m = SyslogParser.parse(frame, 0, frame.length);
        assertEquals(190, m.priority()); // local7.info
        assertEquals(Kind.RFC3164, m.kind());
    }

    @Test
    void parse_randomBytesAndTruncatedHeaders_neverThrowAndStayInsideTheFrame() {
        Random random = new Random(42);
        List<byte[]> seeds = new ArrayList<>();
        for (Case c : casesUnchecked()) {
            seeds.add(c.frame());
        }
        byte[] alphabet = "<>1234567890 -[]\"\\:=abcNovTZ\n\r\u0000".getBytes(StandardCharsets.ISO_8859_1);
        int malformed = 0;
        for (int round = 0; round < 50_000; round++) {
            byte[] frame;
            if (round % 2 == 0) {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                frame = Arrays.copyOf(seed, random.nextInt(seed.length + 1)); // every truncation
                if (frame.length > 0 && random.nextBoolean()) {
                    frame[random.nextInt(frame.length)] = alphabet[random.nextInt(alphabet.length)];
                }
            } else {
                frame = new byte[random.nextInt(80)];
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                            : alphabet[random.nextInt(alphabet.length)];
                }
            }
            SyslogMessage m = SyslogParser.parse(frame, 0, frame.length);
            if (m.kind() == Kind.MALFORMED) {
                assertNotNull(m.problem());
                malformed++;
            } else {
                assertTrue(m.start() >= 0 && m.start() < m.end() && m.end() <= frame.length,
                        () -> m + " for " + TransportCounters.excerpt(frame, 0, frame.length));
                byte last = frame[m.end() - 1];
                assertTrue(last != '\n' && last != '\r' && last != 0, "trailer stripped");
            }
        }
        assertTrue(malformed > 1000 && malformed < 49_000, "both outcomes exercised: " + malformed);
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = SyslogParserTest.class.getResourceAsStream("/ingest/syslog-frames.txt")) {
            assertNotNull(in, "ingest/syslog-frames.txt on the test class path");
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].startsWith("frame: ")) {
                    continue;
                }
                String expect = lines[i + 1];
                assertTrue(expect.startsWith("expect: "), "line " + (i + 2) + " must be an expect: line");
                String[] kindAndText = expect.substring("expect: ".length()).split(" \\| ", 2);
                out.add(new Case(i + 1, unescape(lines[i].substring("frame: ".length())),
                        Kind.valueOf(kindAndText[0]), unescape(kindAndText[1])));
            }
        }
        return out;
    }

    private static List<Case> casesUnchecked() {
        try {
            return cases();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code \xHH} is one byte, {@code \\} a backslash; everything else is UTF-8 text. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && i + 1 < b.length && b[i + 1] == '\\') {
                out.write('\\');
                i++;
            } else if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x') {
                out.write(Integer.parseInt(new String(b, i + 2, 2, StandardCharsets.US_ASCII), 16));
                i += 3;
            } else {
                out.write(b[i]);
            }
        }
        return out.toByteArray();
    }

    /** The whole array as text with every non-ASCII or control byte spelled \xHH. */
    private static String text(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
