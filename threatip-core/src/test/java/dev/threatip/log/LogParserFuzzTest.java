package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Adversarial inputs for every parser: each must return an outcome (no exception, no hang) and
 * leave every slice inside the line it was given or inside scratch space. The line is placed in
 * the middle of a larger buffer so reading outside {@code [start, end)} would show.
 */
class LogParserFuzzTest {
    private static final List<LogFormat> FORMATS = List.of(
            CombinedFormat.combined(),
            CombinedFormat.common(),
            JsonLinesFormat.defaults(),
            JsonLinesFormat.withIpField("a.b.c"),
            CloudflareLogpushFormat.instance(),
            NginxLogFormat.compile(NginxLogFormatTest.COMBINED + " \"$http_x_forwarded_for\" $request_time"),
            NginxLogFormat.compile("$time_iso8601 $remote_addr \"$request_method $uri$is_args$args\" $status $msec"),
            ApacheLogFormat.compile("%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\""),
            ApacheLogFormat.compile("%a %{%Y-%m-%d %H:%M:%S}t \"%m %U%q %H\" %>s %B %D"));

    private static final byte[] STRUCTURE = "\"[]{}\\ :,-.0123456789/?%$x\u0000\t".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void parse_randomBytes_alwaysReturnsOutcomeWithinBounds() {
        Random r = new Random(42);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[r.nextInt(300)];
            for (int k = 0; k < b.length; k++) {
                b[k] = r.nextBoolean() ? (byte) r.nextInt(256) : STRUCTURE[r.nextInt(STRUCTURE.length)];
            }
            inputs.add(b);
        }
        runAll(inputs);
    }

    @Test
    void parse_truncatedPrefixesOfGoldenLines_alwaysReturnOutcomeWithinBounds() throws Exception {
        List<byte[]> inputs = new ArrayList<>();
        for (Path c : LogFormatGoldenTest.cases().toList()) {
            for (byte[] line : LogFormatGoldenTest.inputLines(c)) {
                int step = Math.max(1, line.length / 200);
                for (int n = 0; n <= line.length; n += step) {
                    inputs.add(Arrays.copyOf(line, n));
                }
            }
        }
        runAll(inputs);
    }

    @Test
    void parse_mutatedGoldenLines_alwaysReturnOutcomeWithinBounds() throws Exception {
        Random r = new Random(5);
        List<byte[]> inputs = new ArrayList<>();
        for (Path c : LogFormatGoldenTest.cases().toList()) {
            for (byte[] line : LogFormatGoldenTest.inputLines(c)) {
                for (int m = 0; m < 20 && line.length > 0; m++) {
                    byte[] b = line.clone();
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        b[r.nextInt(b.length)] = STRUCTURE[r.nextInt(STRUCTURE.length)];
                    }
                    inputs.add(b);
                }
            }
        }
        runAll(inputs);
    }

    @Test
    void parse_hugeAndPathologicalLines_returnOutcomeWithoutHanging() {
        int mb = 1 << 20;
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(repeat("\"", mb));
        inputs.add(repeat("[", mb));
        inputs.add(repeat("{", mb));
        inputs.add(repeat("{\"a\":", mb / 5));
        inputs.add(concat(repeat("{\"a\":", 63), "\"192.0.2.1\"", repeat("}", 63)));
        inputs.add(concat(repeat("{\"a\":", 65), "\"192.0.2.1\"", repeat("}", 65)));
        inputs.add(repeat("\\", mb));
        inputs.add(repeat(" ", mb));
        inputs.add(new byte[mb]);
        inputs.add(concat("192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] \"GET /", repeat("A", mb), " HTTP/1.1\" 200 1 \"-\" \"-\""));
        inputs.add(concat("192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] \"", repeat("\\\"", mb / 2), ""));
        inputs.add(concat("{\"remote_addr\":\"192.0.2.1\",\"ua\":\"", repeat("\\u00e9\\\"", mb / 8), "\"}"));
        inputs.add(concat("{\"remote_addr\":\"192.0.2.1\",\"x\":", repeat("[", mb / 2), ""));
        inputs.add(concat("{\"remote_addr\":\"192.0.2.1\",\"n\":", repeat("9", mb), "}"));
        inputs.add(concat("192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"", repeat(" \"x", mb / 3), ""));
        runAll(inputs);
    }

    private static void runAll(List<byte[]> inputs) {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            LineFields fields = new LineFields();
            for (LogFormat format : FORMATS) {
                LineParser parser = format.newParser();
                for (byte[] input : inputs) {
                    // Pad on both sides with bytes that would complete a line, so out-of-range reads change results.
                    byte[] buf = new byte[input.length + 16];
                    Arrays.fill(buf, (byte) '"');
                    System.arraycopy(input, 0, buf, 8, input.length);
                    fields.reset();
                    LineParser.Outcome outcome;
                    try {
                        outcome = parser.parse(buf, 8, 8 + input.length, fields);
                    } catch (RuntimeException e) {
                        throw new AssertionError(format + " threw on " + preview(input), e);
                    }
                    assertNotNull(outcome, format + " returned null on " + preview(input));
                    checkBounds(format, fields, buf, 8, 8 + input.length, input);
                }
            }
        });
    }

    private static void checkBounds(LogFormat format, LineFields f, byte[] buf, int start, int end, byte[] input) {
        Slice[] slices = {f.remoteAddr, f.forwardedFor, f.realIp, f.connectingIp, f.method, f.host, f.path, f.query,
                f.protocol, f.userAgent, f.referer};
        for (Slice s : slices) {
            if (s.array() == null) {
                continue;
            }
            boolean ok = s.array() == buf
                    ? s.start() >= start && s.start() <= s.end() && s.end() <= end
                    : s.start() >= 0 && s.start() <= s.end() && s.end() <= s.array().length;
            if (!ok) {
                fail(format + " left a slice [" + s.start() + ", " + s.end() + ") outside the line [" + start + ", "
                        + end + ") on " + preview(input));
            }
        }
        assertTrue(f.status >= -1 && f.status <= 999, format + " status " + f.status);
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 120), StandardCharsets.ISO_8859_1);
        return "'" + s + "'" + (b.length > 120 ? " (" + b.length + " bytes)" : "");
    }

    private static byte[] repeat(String s, int n) {
        return s.repeat(n).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(Object... parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : (String) p);
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
