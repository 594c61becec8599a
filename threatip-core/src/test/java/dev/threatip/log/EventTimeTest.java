package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTimeTest {
    private static long parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return EventTime.parse(b, 0, b.length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10/Oct/2000:13:55:36 -0700|2000-10-10T20:55:36Z",
        "01/Nov/2026:00:00:03 +0000|2026-11-01T00:00:03Z",
        "17/May/2015:10:05:03 +0000|2015-05-17T10:05:03Z",
        "22/Jan/2019:03:56:14 +0330|2019-01-22T00:26:14Z",
        "2026-11-01T00:00:03Z|2026-11-01T00:00:03Z",
        "2026-11-01T00:00:03.250Z|2026-11-01T00:00:03.250Z",
        "2026-11-01 02:00:03+02:00|2026-11-01T00:00:03Z",
        "2026-11-01T00:00:03.123456789+0000|2026-11-01T00:00:03.123Z",
        "2026-11-01T00:00:03|2026-11-01T00:00:03Z",
        "1762000000|2025-11-01T12:26:40Z",
        "1762000000.5|2025-11-01T12:26:40.500Z",
        "1762000000123|2025-11-01T12:26:40.123Z",
        "1762000000123456789|2025-11-01T12:26:40.123Z",
    })
    void parse_supportedForms_giveEpochMillis(String text, String expected) {
        assertEquals(Instant.parse(expected).toEpochMilli(), parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "-", "10/Foo/2000:13:55:36 -0700", "2026-13-01T00:00:00Z",
        "2026-11-01T25:00:00Z", "2026-11-01T00:00:00Q", "12ab", "10/Oct/2000:13:55:36 +9999", "1.2.3"})
    void parse_garbage_isInvalid(String text) {
        assertEquals(EventTime.INVALID, parse(text));
    }

    @Test
    void parseIso_randomInstants_matchJavaTime() {
        Random rnd = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long s = 0 + (rnd.nextLong() & 0xFFFFFFFFL) * 2; // 1970..2242
            LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
            String text = t.toString().length() == 16 ? t + ":00Z" : t + "Z";
            assertEquals(s * 1000, parse(text), text);
        }
    }
}
