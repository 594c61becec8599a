package dev.threatip.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Newline search and counting on byte arrays, eight bytes at a time (SWAR: the "has a zero
 * byte" trick of Hacker's Delight §6.1 applied to {@code word ^ 0x0A0A...}). Reading longs
 * little-endian makes the lowest flagged bit the first matching byte, so the search is exact
 * even though the cheap test can also flag bytes above a real match.
 */
final class Lines {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A_0A0A_0A0A_0A0AL;
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    private static final long LOWS = 0x7F7F_7F7F_7F7F_7F7FL;

    private Lines() {
    }

    /** The index of the first {@code '\n'} in {@code b[from, to)}, or -1. */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long t = (x - ONES) & ~x & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first byte in {@code b[from, to)} equal to {@code x} or {@code y}, or -1:
     * the same eight-at-a-time test, for quoted-field ends and escapes.
     */
    static int indexOfEither(byte[] b, int from, int to, byte x, byte y) {
        long xs = ONES * (x & 0xFF);
        long ys = ONES * (y & 0xFF);
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long w = (long) LONGS.get(b, i);
            long a = w ^ xs;
            long c = w ^ ys;
            long t = ((a - ONES) & ~a | (c - ONES) & ~c) & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the last {@code '\n'} in {@code b[from, to)}, or -1; lines are short, so bytewise. */
    static int lastIndexOfNewline(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** How many {@code '\n'} bytes {@code b[from, to)} holds (exact form of the zero-byte test). */
    static long countNewlines(byte[] b, int from, int to) {
        long n = 0;
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long nonZero = ((x & LOWS) + LOWS) | x;
            n += Long.bitCount(~nonZero & HIGHS);
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * Up to {@code maxBytes} of a line as printable text for a message: decoded as UTF-8 (invalid
     * bytes become U+FFFD) with control characters written {@code \xNN}, so hostile lines cannot
     * drive a terminal.
     */
    static String excerpt(byte[] b, int from, int to, int maxBytes) {
        String s = new String(b, from, Math.min(to - from, maxBytes), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
