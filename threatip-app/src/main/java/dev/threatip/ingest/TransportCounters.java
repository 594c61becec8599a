package dev.threatip.ingest;

import dev.threatip.ingest.SyslogReceiver.MalformedSample;
import dev.threatip.ingest.SyslogReceiver.TransportStats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters of one transport. Each is written by that transport's reader thread and read
 * by {@link SyslogReceiver#stats()} from any thread; a snapshot is consistent per counter, not
 * across counters.
 */
final class TransportCounters {

    /** How many malformed frames are kept as samples, from the first one on. */
    static final int SAMPLES = 5;
    private static final int EXCERPT_BYTES = 120;

    private final String transport;
    private final Clock clock;
    final AtomicLong messages = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong bare = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicInteger connectionsOpen = new AtomicInteger();
    final AtomicLong connectionsAccepted = new AtomicLong();
    final AtomicLong connectionsRejected = new AtomicLong();
    final AtomicLong connectionsIdleClosed = new AtomicLong();
    private volatile long lastMessageMillis = -1;
    private final List<MalformedSample> firstSamples = new ArrayList<>(SAMPLES);
    private volatile MalformedSample lastSample;

    TransportCounters(String transport, Clock clock) {
        this.transport = transport;
        this.clock = clock;
    }

    void message(boolean bareLine) {
        messages.incrementAndGet();
        if (bareLine) {
            bare.incrementAndGet();
        }
        lastMessageMillis = clock.millis();
    }

    void malformed(String peer, String reason, byte[] b, int off, int len) {
        malformed.incrementAndGet();
        MalformedSample s = new MalformedSample(clock.instant(), peer, reason, excerpt(b, off, len));
        lastSample = s;
        synchronized (firstSamples) {
            if (firstSamples.size() < SAMPLES) {
                firstSamples.add(s);
            }
        }
    }

    TransportStats snapshot(boolean enabled, int port) {
        List<MalformedSample> samples;
        synchronized (firstSamples) {
            samples = List.copyOf(firstSamples);
        }
        long last = lastMessageMillis;
        return new TransportStats(transport, enabled, port, messages.get(), bytes.get(), bare.get(),
                malformed.get(), samples, lastSample, dropped.get(), connectionsOpen.get(),
                connectionsAccepted.get(), connectionsRejected.get(), connectionsIdleClosed.get(),
                last < 0 ? null : Instant.ofEpochMilli(last));
    }

    /**
     * The first bytes of a frame as safe text: printable ASCII as is, everything else (and the
     * backslash) escaped, so hostile bytes never reach a log, a terminal or a metrics page raw.
     */
    static String excerpt(byte[] b, int off, int len) {
        int n = Math.min(len, EXCERPT_BYTES);
        StringBuilder sb = new StringBuilder(n + 8);
        for (int i = off; i < off + n; i++) {
            int c = b[i] & 0xFF;
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        if (len > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
