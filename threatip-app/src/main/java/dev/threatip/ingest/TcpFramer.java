package dev.threatip.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Splits one TCP connection's byte stream into syslog frames (RFC 6587), deciding the framing
 * per frame, so one connection may mix both:
 * <ul>
 *   <li><b>Octet counting</b> (§3.4.1): {@code MSG-LEN SP SYSLOG-MSG}, MSG-LEN a decimal without
 *       leading zero. Recognised when a frame starts with 1–10 digits, a space and {@code <} (every
 *       syslog message starts with its PRI), so a bare access-log line such as
 *       {@code 203.0.113.7 - - ...} is never mistaken for a count.</li>
 *   <li><b>Non-transparent framing</b> (§3.4.2): everything else, up to the next LF — or NUL,
 *       the trailer some senders use. Empty frames (a stray LF after a counted frame, CRLF) are
 *       skipped without counting.</li>
 * </ul>
 *
 * <p>Memory: one buffer per connection, grown on demand up to {@code maxMessageBytes + 16} and
 * shrunk back when it empties. Recovery from an over-long frame: a counted frame longer than
 * the limit is skipped by its count (the stream stays in sync); an LF-framed line longer than the
 * limit is discarded up to its LF. Each is one malformed frame. A wrong count desynchronises the
 * stream: what follows is read as LF-framed lines, which recovers at the next LF — a sender that
 * never sends LF loses the rest of that connection, counted as over-long frames.
 *
 * <p>Scanning is linear: the search for a trailer resumes where the previous read left it, so a
 * line arriving one byte per packet costs no more than one arriving whole.
 */
final class TcpFramer {

    /** Receives what the framer finds, synchronously, on the reading thread. */
    interface Sink {
        /**
         * A complete frame {@code buf[off, off + len)}, its trailer excluded.
         *
         * @return false to stop framing: the rest of the stream is discarded unread
         */
        boolean frame(byte[] buf, int off, int len);

        /** A frame that cannot be delivered; {@code buf[off, off + len)} is an excerpt of it. */
        void malformed(String reason, byte[] buf, int off, int len);
    }

    static final String TOO_LONG_COUNTED = "octet-counted frame longer than the maximum message size; skipped";
    static final String TOO_LONG_LINE = "line longer than the maximum message size; skipped to its end";
    static final String TRUNCATED = "connection ended inside an octet-counted frame";

    private static final int INITIAL = 8 * 1024;
    private static final int MAX_COUNT_DIGITS = 10;
    private static final int EXCERPT = 256;

    private final int maxMessageBytes;
    private final int capacity;
    private byte[] buf;
    private int start;
    private int end;
    /** Where the trailer search resumes in the current LF-framed frame. */
    private int scanFrom = -1;
    /** Bytes of an over-long counted frame still to discard. */
    private long skipBytes;
    /** Discarding an over-long line up to its trailer. */
    private boolean skipLine;
    private boolean stopped;

    TcpFramer(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.capacity = maxMessageBytes + 16;
        this.buf = new byte[Math.min(INITIAL, capacity)];
    }

    /**
     * Reads once from {@code ch} into the buffer and hands every complete frame to {@code sink}.
     *
     * @return the bytes read, 0 if none were available, -1 at end of stream
     */
    int readFrom(ReadableByteChannel ch, Sink sink) throws IOException {
        if (stopped) {
            return -1;
        }
        ByteBuffer target = space();
        int n = ch.read(target);
        if (n > 0) {
            end += n;
            decode(sink);
        }
        return n;
    }

    /**
     * The peer closed its side (or the connection is being dropped as idle): an unterminated last
     * line is a frame; an incomplete counted frame is malformed.
     */
    void endOfStream(Sink sink) {
        if (stopped || skipBytes > 0 || skipLine) {
            skipBytes = 0;
            skipLine = false;
            start = end = 0;
            return;
        }
        skipEmpty();
        if (start == end) {
            return;
        }
        long count = octetCount();
        if (count > 0) {
            sink.malformed(TRUNCATED, buf, start, Math.min(end - start, EXCERPT));
        } else {
            sink.frame(buf, start, end - start);
        }
        start = end = 0;
        scanFrom = -1;
    }

    /** Discards everything buffered and everything that follows. */
    private void stop() {
        stopped = true;
        start = end = 0;
        skipBytes = 0;
        skipLine = false;
    }

    /** Whether a sink refused a frame: the connection should be closed. */
    boolean stopped() {
        return stopped;
    }

    /** Bytes held for an incomplete frame. */
    int buffered() {
        return end - start;
    }

    private void decode(Sink sink) {
        while (true) {
            if (skipBytes > 0) {
                int n = (int) Math.min(skipBytes, end - start);
                start += n;
                skipBytes -= n;
                if (skipBytes > 0) {
                    return;
                }
                continue;
            }
            if (skipLine) {
                int t = trailer(start);
                if (t < 0) {
                    start = end;
                    return;
                }
                start = t + 1;
                skipLine = false;
                continue;
            }
            skipEmpty();
            if (start == end) {
                return;
            }
            long count = octetCount();
            if (count == 0) {
                return; // undecided: need more bytes to tell a count from a line
            }
            if (count > 0) {
                int headerEnd = countHeaderEnd();
                if (count > maxMessageBytes) {
                    sink.malformed(TOO_LONG_COUNTED, buf, headerEnd,
                            Math.min(end - headerEnd, EXCERPT));
                    start = headerEnd;
                    skipBytes = count;
                    continue;
                }
                if (end - headerEnd < count) {
                    return;
                }
                int len = (int) count;
                start = headerEnd + len;
                if (!sink.frame(buf, headerEnd, len)) {
                    stop();
                    return;
                }
                continue;
            }
            // LF-framed
            int from = scanFrom >= start ? scanFrom : start;
            int t = trailer(from);
            if (t < 0) {
                scanFrom = end;
                if (end - start > maxMessageBytes + 1) {
                    sink.malformed(TOO_LONG_LINE, buf, start, EXCERPT);
                    start = end;
                    skipLine = true;
                }
                return;
            }
            int frameStart = start;
            start = t + 1;
            scanFrom = -1;
            int len = t - frameStart;
            if (len > 0 && buf[t - 1] == '\r') {
                len--;
            }
            if (len > maxMessageBytes) {
                sink.malformed(TOO_LONG_LINE, buf, frameStart, EXCERPT);
            } else if (!sink.frame(buf, frameStart, len)) {
                stop();
                return;
            }
        }
    }

    /**
     * Whether the frame at {@code start} is octet-counted: its count (&gt; 0), -1 if it is
     * LF-framed, 0 if more bytes are needed to tell.
     */
    private long octetCount() {
        int i = start;
        if (buf[i] < '1' || buf[i] > '9') {
            return -1;
        }
        long n = 0;
        while (i < end && i - start < MAX_COUNT_DIGITS && isDigit(buf[i])) {
            n = n * 10 + (buf[i] - '0');
            i++;
        }
        if (i == end) {
            return 0;
        }
        if (buf[i] != ' ') {
            return -1;
        }
        if (i + 1 == end) {
            return 0;
        }
        return buf[i + 1] == '<' ? n : -1;
    }

    /** Index of the first message byte of the counted frame at {@code start}. */
    private int countHeaderEnd() {
        int i = start;
        while (isDigit(buf[i])) {
            i++;
        }
        return i + 1;
    }

    private int trailer(int from) {
        for (int i = from; i < end; i++) {
            byte c = buf[i];
            if (c == '\n' || c == 0) {
                return i;
            }
        }
        return -1;
    }

    private void skipEmpty() {
        while (start < end && (buf[start] == '\n' || buf[start] == '\r' || buf[start] == 0)) {
            start++;
        }
    }

    /** Free space after {@code end}: compacts, grows up to the capacity, or shrinks when empty. */
    private ByteBuffer space() {
        if (start == end) {
            start = end = 0;
            scanFrom = -1;
            if (buf.length > INITIAL) {
                buf = new byte[INITIAL];
            }
        }
        if (end == buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                if (scanFrom >= start) {
                    scanFrom -= start;
                } else {
                    scanFrom = -1;
                }
                end -= start;
                start = 0;
            } else {
                byte[] grown = new byte[(int) Math.min((long) buf.length * 2, capacity)];
                System.arraycopy(buf, 0, grown, 0, end);
                buf = grown;
            }
        }
        return ByteBuffer.wrap(buf, end, buf.length - end);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
