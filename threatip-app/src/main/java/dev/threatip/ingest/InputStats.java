package dev.threatip.ingest;

import dev.threatip.log.BadLine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One input's counters, as {@code /metrics} shows them.
 *
 * @param source          the input's name (file path, {@code syslog}, {@code http}, {@code stdin})
 * @param format          the format its lines are parsed with, or null while none fits
 * @param formatReason    why that format (given, or what detection saw), or why none fits
 * @param lines           lines received
 * @param events          lines stored as events
 * @param directives      format directives and comments ({@code #Fields:}), not events and not bad
 * @param badLines        lines that did not parse or had no valid client address: counted and skipped
 * @param badLineSamples  the first few of them, with line number, reason and an excerpt
 * @param newestEvent     event time of the newest event stored, or null before the first
 * @param lastIngest      when a batch was last committed, or null before the first
 * @param lag             ingest lag: how far the newest stored event's time is behind now, null before the first
 * @param eventsPerSecond events stored per second, over the last second or more
 * @param gatewayHits     events that were {@code threatip gate} hit-log lines, stored as gateway hits too
 * @param gatewayRefused  gate hit-log lines whose decision was not the policy vocabulary: stored as events
 *                        only, counted here
 * @param gatewayRefusedSamples the first few of them, with line number and reason
 */
public record InputStats(String source, String format, String formatReason, long lines, long events, long directives,
                         long badLines, List<BadLine> badLineSamples, Instant newestEvent, Instant lastIngest,
                         Duration lag, double eventsPerSecond, long gatewayHits, long gatewayRefused,
                         List<BadLine> gatewayRefusedSamples) {
    public InputStats {
        badLineSamples = List.copyOf(badLineSamples);
        gatewayRefusedSamples = List.copyOf(gatewayRefusedSamples);
    }
}
