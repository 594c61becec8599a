package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EscalationTest {
    @Test
    void duration_doublesPerOffence_untilTheCap() {
        Duration day = Duration.ofHours(24);
        Escalation e = Escalation.DEFAULT;
        assertEquals(day, e.duration(day, 1));
        assertEquals(Duration.ofHours(48), e.duration(day, 2));
        assertEquals(Duration.ofDays(4), e.duration(day, 3));
        assertEquals(Duration.ofDays(16), e.duration(day, 5));
        assertEquals(Duration.ofDays(30), e.duration(day, 6));
        assertEquals(Duration.ofDays(30), e.duration(day, 1000), "no overflow far out");
    }

    @Test
    void duration_keepsABaseLongerThanTheCap_andFactorOneNeverEscalates() {
        assertEquals(Duration.ofDays(60), new Escalation(2, Duration.ofDays(30)).duration(Duration.ofDays(60), 3));
        assertEquals(Duration.ofHours(4), new Escalation(1, Duration.ofDays(30)).duration(Duration.ofHours(4), 9));
        assertEquals(Duration.ofHours(6), new Escalation(1.5, Duration.ofDays(30)).duration(Duration.ofHours(4), 2));
    }

    @Test
    void escalation_refusesOutOfRangeSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Escalation(0.5, Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("allowed 1 to 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Escalation.DEFAULT.duration(Duration.ofHours(1), 0));
    }
}
