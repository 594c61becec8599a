package dev.threatip.log;

/**
 * Byte scans shared by the text-format parsers: finding a field's terminator (with backslash
 * escapes inside quoted fields), the {@code -} convention for absent values, and a cheap
 * "looks like an address" test. Everything works on {@code b[from, end)} and never reads past
 * {@code end}, so attacker-written lines cannot push a parser out of its line.
 */
final class LineScan {
    private LineScan() {
    }

    /** Index of the first {@code c} in {@code b[from, end)}, or {@code end}. */
    static int indexOf(byte[] b, int from, int end, byte c) {
        for (int i = from; i < end; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return end;
    }

    /**
     * Where a field that ends with literal {@code lit} ends: the first {@code p >= from} with
     * {@code b[p, p + lit.length) == lit}. With {@code escapes} a backslash hides the byte after it
     * (Apache writes {@code \"} inside quoted fields). With {@code last} the literal closes the
     * format, so it must be followed by the end of the line or a space (trailing extra fields).
     *
     * @return the index of the literal, or -1 when it does not occur
     */
    static int findLiteral(byte[] b, int from, int end, byte[] lit, boolean escapes, boolean last) {
        byte first = lit[0];
        // Without escapes the second byte to look for is the first again: one skip loop for both.
        byte escape = escapes ? (byte) '\\' : first;
        int limit = end - lit.length;
        int p = from;
        while (p <= limit) {
            p = Lines.indexOfEither(b, p, limit + 1, first, escape);
            if (p < 0) {
                return -1;
            }
            if (escapes && b[p] == '\\') {
                p += 2; // the escaped byte never ends a field
                continue;
            }
            if (regionMatches(b, p, end, lit)) {
                int after = p + lit.length;
                if (!last || after == end || b[after] == ' ') {
                    return p;
                }
            }
            p++;
        }
        return -1;
    }

    /** Whether {@code b[at, ...)} starts with {@code lit} within {@code end}. */
    static boolean regionMatches(byte[] b, int at, int end, byte[] lit) {
        if (at + lit.length > end) {
            return false;
        }
        for (int k = 0; k < lit.length; k++) {
            if (b[at + k] != lit[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} is the single byte {@code -}, the logs' spelling of "absent". */
    static boolean isDash(byte[] b, int from, int to) {
        return to - from == 1 && b[from] == '-';
    }

    /** Points {@code s} at {@code b[from, to)} unless the value is empty or {@code -}. */
    static void setUnlessDash(Slice s, byte[] b, int from, int to) {
        if (to > from && !isDash(b, from, to)) {
            s.set(b, from, to);
        }
    }

    /**
     * Whether {@code b[from, to)} is shaped like an IPv4 or IPv6 address (digits, hex, dots,
     * colons, at most 45 bytes, a dot or colon present). A shape test only, for telling layouts
     * apart; strict parsing is the client-IP resolver's job.
     */
    static boolean looksLikeIp(byte[] b, int from, int to) {
        int len = to - from;
        if (len < 2 || len > 45) {
            return false;
        }
        boolean sep = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '.' || c == ':') {
                sep = true;
            } else if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))) {
                return false;
            }
        }
        return sep;
    }

    /**
     * A status code field: {@code -} is absent ({@link LineFields#NONE}); anything else must be
     * digits. Returns false when the field is not a status.
     */
    static boolean status(byte[] b, int from, int to, LineFields out) {
        if (isDash(b, from, to)) {
            return true;
        }
        long v = Decimal.parse(b, from, to);
        if (v == Decimal.INVALID || v > 999) {
            return false;
        }
        out.status = (int) v;
        return true;
    }

    /**
     * A byte-count field. {@code -} is 0: Apache's {@code %b} prints {@code -} when no body bytes
     * were sent, so the response size is known to be zero. Returns false for anything else that is
     * not digits.
     */
    static boolean bytes(byte[] b, int from, int to, LineFields out) {
        if (isDash(b, from, to)) {
            out.bytes = 0;
            return true;
        }
        long v = Decimal.parse(b, from, to);
        if (v == Decimal.INVALID) {
            return false;
        }
        out.bytes = v;
        return true;
    }

    /** Splits a request target ({@code /p?q}) into path and query (without {@code ?}). */
    static void target(byte[] b, int from, int to, LineFields out) {
        if (to <= from || isDash(b, from, to)) {
            return;
        }
        int q = indexOf(b, from, to, (byte) '?');
        out.path.set(b, from, q);
        if (q < to) {
            out.query.set(b, q + 1, to);
        }
    }
}
