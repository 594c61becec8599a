package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NginxLogFormatTest {
    static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
            + "\"$http_referer\" \"$http_user_agent\"";

    static String parse(LogFormat format, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        LineFields f = new LineFields();
        f.reset();
        return GoldenText.render(format.newParser().parse(b, 0, b.length, f), f);
    }

    @Test
    void compile_combinedString_givesSameFieldsAsCombinedFormat() {
        LogFormat compiled = NginxLogFormat.compile(COMBINED);
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String line = CombinedLines.line(r, false);
            String expected = parse(CombinedFormat.combined(), line);
            assertTrue(expected.startsWith("EVENT"), line);
            assertEquals(expected, parse(compiled, line), line);
        }
    }

    @Test
    void compile_combinedWithForwardedFor_givesSameFieldsAsCombinedFormat() {
        LogFormat compiled = NginxLogFormat.compile(COMBINED + " \"$http_x_forwarded_for\"");
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            String line = CombinedLines.line(r, true);
            assertEquals(parse(CombinedFormat.combined(), line), parse(compiled, line), line);
        }
    }

    @Test
    void compile_unknownVariable_isSkippedAsOpaqueField() {
        LogFormat f = NginxLogFormat.compile("$remote_addr [$time_local] $ssl_protocol/$ssl_cipher ${status}");
        assertEquals("EVENT remote=192.0.2.1 status=200 time=2026-11-01T00:00:00Z",
                parse(f, "192.0.2.1 [01/Nov/2026:00:00:00 +0000] TLSv1.3/TLS_AES_256_GCM_SHA384 200"));
    }

    @Test
    void compile_uriIsArgsArgs_mergesIntoPathAndQuery() {
        LogFormat f = NginxLogFormat.compile("$remote_addr $uri$is_args$args $status");
        assertEquals("EVENT remote=192.0.2.1 path=/a query=b=1 status=200", parse(f, "192.0.2.1 /a?b=1 200"));
        assertEquals("EVENT remote=192.0.2.1 path=/a status=200", parse(f, "192.0.2.1 /a 200"));
    }

    @Test
    void compile_lineThatDoesNotFit_isMalformed() {
        LogFormat f = NginxLogFormat.compile(COMBINED);
        assertEquals("MALFORMED", parse(f, "192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200"));
        assertEquals("MALFORMED", parse(f, ""));
    }

    @Test
    void compile_empty_throwsNamingSupportedVariables() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NginxLogFormat.compile(" "));
        assertTrue(e.getMessage().contains("$remote_addr"), e.getMessage());
    }

    @Test
    void compile_bareDollar_throwsNamingOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NginxLogFormat.compile("$remote_addr $ $status"));
        assertTrue(e.getMessage().contains("invalid variable '$'") && e.getMessage().contains("offset 13"), e.getMessage());
    }

    @Test
    void compile_unclosedBrace_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NginxLogFormat.compile("$remote_addr ${status"));
        assertTrue(e.getMessage().contains("unclosed '${'"), e.getMessage());
    }

    @Test
    void compile_adjacentVariables_throwsNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NginxLogFormat.compile("$remote_addr$status"));
        assertTrue(e.getMessage().contains("$remote_addr and $status"), e.getMessage());
    }

    @Test
    void compile_onlyLiterals_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NginxLogFormat.compile("plain"));
        assertTrue(e.getMessage().contains("no fields"), e.getMessage());
    }
}
