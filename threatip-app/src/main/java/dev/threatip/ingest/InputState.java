package dev.threatip.ingest;

import dev.threatip.log.AccessEvent;
import dev.threatip.log.BadLine;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pipeline keeps per input: its format and parsers, and its counters. Guarded by its
 * own monitor; the pipeline parses one batch of an input at a time.
 */
final class InputState {
    final String source;
    final LineFields fields = new LineFields();
    LineParser parser;
    /** A second parser over the same lines, for the detection pass under the pipeline lock. */
    LineParser detectParser;
    String format;
    String formatReason;
    String formatProblem;

    private long lines;
    private long events;
    long directives;
    private long badLines;
    private final List<BadLine> badSamples = new ArrayList<>();
    private long gatewayHits;
    private long gatewayRefused;
    private final List<BadLine> gatewayRefusedSamples = new ArrayList<>();
    private Instant newestEvent;
    private Instant lastIngest;
    private long eventsAtLastRate;
    private Instant lastRateAt;
    private double eventsPerSecond;

    InputState(String source) {
        this.source = source;
    }

    void bad(long lineNumber, String reason, byte[] line) {
        badLines++;
        if (badSamples.size() < IngestPipeline.BAD_LINE_SAMPLES) {
            badSamples.add(BadLine.of(source, lineNumber, reason, line, 0, line.length));
        }
    }

    /** Counts a committed batch: {@code batchLines} lines were offered, {@code stored} became events. */
    void committed(int batchLines, List<AccessEvent> stored, Instant now) {
        lines += batchLines;
        events += stored.size();
        for (AccessEvent e : stored) {
            Instant t = e.time() == null ? now : e.time();
            if (newestEvent == null || t.isAfter(newestEvent)) {
                newestEvent = t;
            }
        }
        lastIngest = now;
    }

    /** Counts a committed batch's gateway hits and the gate lines whose decision was refused. */
    void gatewayCommitted(int hits, List<BadLine> refused) {
        gatewayHits += hits;
        gatewayRefused += refused.size();
        for (BadLine b : refused) {
            if (gatewayRefusedSamples.size() < IngestPipeline.BAD_LINE_SAMPLES) {
                gatewayRefusedSamples.add(b);
            }
        }
    }

    /**
     * The counters as of {@code now}; the events/s rate is measured over the time since the
     * previous snapshot older than a second, so a one-second scrape or flush sees a steady figure.
     */
    InputStats snapshot(Instant now) {
        if (lastRateAt == null) {
            lastRateAt = now;
            eventsAtLastRate = events;
        } else {
            Duration d = Duration.between(lastRateAt, now);
            if (d.toMillis() >= 1000) {
                eventsPerSecond = (events - eventsAtLastRate) * 1000.0 / d.toMillis();
                lastRateAt = now;
                eventsAtLastRate = events;
            }
        }
        Duration lag = null;
        if (newestEvent != null) {
            Duration behind = Duration.between(newestEvent, now);
            lag = behind.isNegative() ? Duration.ZERO : behind; // a line stamped ahead of our clock is not "ahead"
        }
        return new InputStats(source, format, formatReason != null ? formatReason : formatProblem, lines, events,
                directives, badLines, badSamples, newestEvent, lastIngest, lag, eventsPerSecond, gatewayHits, gatewayRefused,
                gatewayRefusedSamples);
    }
}
