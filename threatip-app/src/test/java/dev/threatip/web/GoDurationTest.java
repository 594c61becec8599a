package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Go's {@code time.Duration.String()} at whole seconds, as LAPI sends a decision's remaining time. */
class GoDurationTest {
    @Test
    void format_matchesGoDurationString() {
        // left: what Go prints for (time.Duration(n) * time.Second).String()
        assertEquals("0s", GoDuration.format(0));
        assertEquals("1s", GoDuration.format(1));
        assertEquals("59s", GoDuration.format(59));
        assertEquals("1m0s", GoDuration.format(60));
        assertEquals("4m0s", GoDuration.format(240));
        assertEquals("1h0m0s", GoDuration.format(3600));
        assertEquals("3h59m58s", GoDuration.format(4 * 3600 - 2));
        assertEquals("168h0m0s", GoDuration.format(7 * 24 * 3600), "Go has no day unit");
        assertEquals("-1m30s", GoDuration.format(-90));
        assertEquals("-5s", GoDuration.format(-5));
    }

    @Test
    void remaining_roundsTimeLeftUp_andTimePastTowardsZero() {
        assertEquals("1s", GoDuration.remaining(Duration.ofMillis(1)), "still in force: never 0s");
        assertEquals("2s", GoDuration.remaining(Duration.ofMillis(1700)));
        assertEquals("4h0m0s", GoDuration.remaining(Duration.ofHours(4)));
        assertEquals("0s", GoDuration.remaining(Duration.ZERO));
        assertEquals("-1s", GoDuration.remaining(Duration.ofMillis(-1500)));
    }
}
