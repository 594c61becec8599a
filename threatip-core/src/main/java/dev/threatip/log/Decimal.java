package dev.threatip.log;

/** Non-negative decimal numbers straight from bytes, as logs write status codes, sizes and times. */
public final class Decimal {
    /** Returned for anything that is not 1-19 ASCII digits within a long. */
    public static final long INVALID = -1;

    private Decimal() {
    }

    /** Parses {@code b[from, to)} as 1-19 ASCII digits, or returns {@link #INVALID} (also on overflow). */
    public static long parse(byte[] b, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 19) {
            return INVALID;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return INVALID;
            }
            v = v * 10 + d;
        }
        return v < 0 ? INVALID : len == 19 && v < 1_000_000_000_000_000_000L ? INVALID : v;
    }
}
