package dev.threatip.log;

import static dev.threatip.log.NginxLogFormatTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ApacheLogFormatTest {
    static final String COMBINED = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"";

    @Test
    void compile_combinedString_givesSameFieldsAsCombinedFormat() {
        LogFormat compiled = ApacheLogFormat.compile(COMBINED);
        Random r = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            String line = CombinedLines.line(r, false);
            assertEquals(parse(CombinedFormat.combined(), line), parse(compiled, line), line);
        }
    }

    @Test
    void compile_debianCombinedWithO_takesSizeFromO() {
        LogFormat f = ApacheLogFormat.compile("%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"");
        assertEquals("EVENT remote=192.0.2.1 method=GET path=/ proto=HTTP/1.1 status=200 bytes=512 "
                        + "time=2026-11-01T00:00:00Z ua=curl/8.5.0",
                parse(f, "192.0.2.1 - - [01/Nov/2026:00:00:00 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\""));
    }

    @Test
    void compile_remoteIpClientAndPeer_prefersClient() {
        LogFormat f = ApacheLogFormat.compile("%{c}a %a %h %{sec}t %>s");
        assertEquals("EVENT remote=203.0.113.5 status=200 time=2026-11-01T00:00:00Z",
                parse(f, "10.0.0.1 203.0.113.5 10.0.0.1 1793491200 200"));
    }

    @Test
    void compile_conditionsAndModifiers_areAccepted() {
        LogFormat f = ApacheLogFormat.compile("%h %!200,304{Referer}i %<s %400,501{User-Agent}i %%");
        assertEquals("EVENT remote=192.0.2.1 status=404 ua=x ref=r", parse(f, "192.0.2.1 r 404 x %"));
    }

    @Test
    void compile_unknownDirective_throwsNamingItAndSupported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApacheLogFormat.compile("%h %Z %>s"));
        assertTrue(e.getMessage().contains("'%Z'") && e.getMessage().contains("supported directives: %h"), e.getMessage());
    }

    @Test
    void compile_unclosedBrace_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApacheLogFormat.compile("%h %{Referer"));
        assertTrue(e.getMessage().contains("unclosed '{'"), e.getMessage());
    }

    @Test
    void compile_trailingPercent_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApacheLogFormat.compile("%h %"));
        assertTrue(e.getMessage().contains("without its letter"), e.getMessage());
    }

    @Test
    void compile_headerWithoutName_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApacheLogFormat.compile("%h %i"));
        assertTrue(e.getMessage().contains("{Header-Name}"), e.getMessage());
    }

    @Test
    void compile_adjacentDirectives_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApacheLogFormat.compile("%h%>s"));
        assertTrue(e.getMessage().contains("%h and %>s"), e.getMessage());
    }

    @Test
    void compile_pathThenQuery_mergesIntoOneTarget() {
        LogFormat f = ApacheLogFormat.compile("%h \"%m %U%q %H\" %s");
        assertEquals("EVENT remote=192.0.2.1 method=GET path=/a query=b=1 proto=HTTP/1.1 status=200",
                parse(f, "192.0.2.1 \"GET /a?b=1 HTTP/1.1\" 200"));
    }
}
