package dev.threatip.log;

/**
 * Byte-level pieces shared by the cloud and header-driven parsers: absent markers, numbers in
 * range, {@code addr:port} splitting, absolute request targets, and the three escape schemes
 * the formats use (W3C {@code +} for space, URL {@code %XX}, Zeek {@code \xNN}). Nothing here
 * allocates; decoded values go to the line's scratch space, and only when the value holds an
 * escape at all.
 */
final class FieldBytes {
    private FieldBytes() {
    }

    /** Whether {@code b[from, to)} is the single byte {@code -}, the usual "absent" marker. */
    static boolean isDash(byte[] b, int from, int to) {
        return to - from == 1 && b[from] == '-';
    }

    /** Points {@code slice} at the value unless it is empty or {@code -}. */
    static void setPresent(Slice slice, byte[] b, int from, int to) {
        if (to > from && !isDash(b, from, to)) {
            slice.set(b, from, to);
        }
    }

    /** An HTTP status of 0-999 ({@code 000} is how CloudFront and ALB log an aborted request), else {@link LineFields#NONE}. */
    static int status(byte[] b, int from, int to) {
        long v = to - from <= 3 ? Decimal.parse(b, from, to) : Decimal.INVALID;
        return v == Decimal.INVALID ? (int) LineFields.NONE : (int) v;
    }

    /** A byte count, or {@link LineFields#NONE}. */
    static long count(byte[] b, int from, int to) {
        long v = Decimal.parse(b, from, to);
        return v == Decimal.INVALID ? LineFields.NONE : v;
    }

    /** The last index of {@code c} in {@code b[from, to)}, or -1. */
    static int lastIndexOf(byte[] b, int from, int to, byte c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of {@code c} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets {@code slice} to the address part of {@code addr:port}: {@code [v6]:port} gives the
     * bracketed text, {@code 192.0.2.1:80} the dotted quad, a bare IPv6 address with a port
     * appended ({@code 2001:db8::1:443}, as load balancers write it) everything before the last
     * colon. A value with no port at all is taken whole when it cannot be one ({@code -} stays absent).
     */
    static void setAddressOfHostPort(Slice slice, byte[] b, int from, int to) {
        if (to <= from || isDash(b, from, to)) {
            return;
        }
        if (b[from] == '[') {
            int close = indexOf(b, from, to, (byte) ']');
            if (close > from + 1) {
                slice.set(b, from + 1, close);
            }
            return;
        }
        int colon = lastIndexOf(b, from, to, (byte) ':');
        slice.set(b, from, colon > from ? colon : to);
    }

    /**
     * When {@code out.path} is an absolute-form target ({@code https://host:443/p}), moves its
     * authority's host (without port or user info) into {@code out.host} if that is still empty,
     * and leaves the path from the first {@code /} after the authority (empty when there is none).
     */
    static void splitAbsoluteTarget(LineFields out) {
        Slice p = out.path;
        if (p.length() < 4) {
            return;
        }
        byte[] b = p.array();
        int s = p.start();
        int e = p.end();
        int i = s;
        int limit = Math.min(e, s + 10);
        while (i < limit && isSchemeChar(b[i])) {
            i++;
        }
        if (i == s || i + 3 > e || b[i] != ':' || b[i + 1] != '/' || b[i + 2] != '/') {
            return;
        }
        int authStart = i + 3;
        int slash = indexOf(b, authStart, e, (byte) '/');
        int authEnd = slash < 0 ? e : slash;
        int at = lastIndexOf(b, authStart, authEnd, (byte) '@');
        int hostStart = at < 0 ? authStart : at + 1;
        int hostEnd = authEnd;
        if (hostStart < authEnd && b[hostStart] == '[') {
            int close = indexOf(b, hostStart, authEnd, (byte) ']');
            hostEnd = close < 0 ? authEnd : close + 1;
        } else {
            int colon = indexOf(b, hostStart, authEnd, (byte) ':');
            if (colon >= 0) {
                hostEnd = colon;
            }
        }
        if (out.host.isEmpty() && hostEnd > hostStart) {
            out.host.set(b, hostStart, hostEnd);
        }
        if (slash < 0) {
            p.clear();
        } else {
            p.set(b, slash, e);
        }
    }

    private static boolean isSchemeChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '.' || c == '-';
    }

    /** URL-decodes {@code %XX} once into scratch when the value has any; invalid escapes stay literal. */
    static void setPercentDecoded(Slice slice, byte[] b, int from, int to, LineFields out) {
        setHexDecoded(slice, b, from, to, out, PERCENT);
    }

    /** Replaces {@code +} with space into scratch, as IIS writes spaces in header fields. */
    static void setPlusDecoded(Slice slice, byte[] b, int from, int to, LineFields out) {
        if (indexOf(b, from, to, (byte) '+') < 0) {
            slice.set(b, from, to);
            return;
        }
        int at = out.reserveScratch(to - from);
        byte[] dst = out.scratch();
        for (int i = from; i < to; i++) {
            dst[at + i - from] = b[i] == '+' ? (byte) ' ' : b[i];
        }
        slice.set(dst, at, at + to - from);
    }

    /** Decodes Zeek's {@code \xNN} byte escapes into scratch; other backslashes stay literal. */
    static void setHexEscapeDecoded(Slice slice, byte[] b, int from, int to, LineFields out) {
        setHexDecoded(slice, b, from, to, out, BACKSLASH_X);
    }

    private static final byte[] PERCENT = {'%'};
    private static final byte[] BACKSLASH_X = {'\\', 'x'};

    /**
     * Replaces every {@code marker} followed by two hex digits with that byte, into scratch; the
     * value is only copied when it holds the marker's first byte. Malformed escapes stay literal.
     */
    private static void setHexDecoded(Slice slice, byte[] b, int from, int to, LineFields out, byte[] marker) {
        if (indexOf(b, from, to, marker[0]) < 0) {
            slice.set(b, from, to);
            return;
        }
        int m = marker.length;
        int at = out.reserveScratch(to - from);
        byte[] dst = out.scratch();
        int w = at;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == marker[0] && i + m + 1 < to && (m == 1 || b[i + 1] == marker[1])) {
                int hi = hex(b[i + m]);
                int lo = hex(b[i + m + 1]);
                if (hi >= 0 && lo >= 0) {
                    dst[w++] = (byte) (hi << 4 | lo);
                    i += m + 1;
                    continue;
                }
            }
            dst[w++] = c;
        }
        slice.set(dst, at, w);
    }

    /** Sets {@code slice} to the value in ASCII upper case, copied to scratch only when it has a lower-case letter. */
    static void setUpperCase(Slice slice, byte[] b, int from, int to, LineFields out) {
        int i = from;
        while (i < to && !(b[i] >= 'a' && b[i] <= 'z')) {
            i++;
        }
        if (i == to) {
            slice.set(b, from, to);
            return;
        }
        int at = out.reserveScratch(to - from);
        byte[] dst = out.scratch();
        for (int k = from; k < to; k++) {
            byte c = b[k];
            dst[at + k - from] = c >= 'a' && c <= 'z' ? (byte) (c - 32) : c;
        }
        slice.set(dst, at, at + to - from);
    }

    static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Whether {@code b[from, to)} equals {@code ascii} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] b, int from, int to, String ascii) {
        if (to - from != ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if ((b[from + i] | 0x20) != (ascii.charAt(i) | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b[from, to)} starts with {@code ascii} ignoring ASCII case. */
    static boolean startsWithIgnoreCase(byte[] b, int from, int to, String ascii) {
        return to - from >= ascii.length() && equalsIgnoreCase(b, from, from + ascii.length(), ascii);
    }
    /**
     * Splits {@code b[from, to)} on spaces into at most {@code starts.length} tokens. A token that
     * opens with {@code "} runs to the next unescaped {@code "} followed by a space or the end, and is
     * given without its quotes, so a quote inside a logged request ({@code \"} or bare) does not cut
     * the token short.
     *
     * @return the number of tokens
     */
    static int splitQuoted(byte[] b, int from, int to, int[] starts, int[] ends) {
        int n = 0;
        int max = starts.length;
        int i = from;
        while (i < to && n < max) {
            if (b[i] == ' ') {
                i++;
                continue;
            }
            if (b[i] == '"') {
                int s = i + 1;
                int j = s;
                while (j < to && !(b[j] == '"' && b[j - 1] != '\\' && (j + 1 == to || b[j + 1] == ' '))) {
                    j++;
                }
                starts[n] = s;
                ends[n++] = j;
                i = j + 1;
            } else {
                int s = i;
                while (i < to && b[i] != ' ') {
                    i++;
                }
                starts[n] = s;
                ends[n++] = i;
            }
        }
        return n;
    }

    /**
     * Splits a line of bracketed values ({@code [a] [b]} or {@code [a][b]}, as Tencent's nginx-style
     * layouts write them) into at most {@code starts.length} values without their brackets. A value
     * ends at a {@code ]} followed, after optional spaces, by {@code [} or the line end; text outside
     * brackets before the first {@code [} is skipped.
     *
     * @return the number of values
     */
    static int splitBracketed(byte[] b, int from, int to, int[] starts, int[] ends) {
        int n = 0;
        int max = starts.length;
        int i = indexOf(b, from, to, (byte) '[');
        if (i < 0) {
            return 0;
        }
        while (i < to && n < max && b[i] == '[') {
            int s = i + 1;
            int j = s;
            int next = -1;
            while (j < to) {
                if (b[j] == ']') {
                    int k = j + 1;
                    while (k < to && b[k] == ' ') {
                        k++;
                    }
                    if (k == to || b[k] == '[') {
                        next = k;
                        break;
                    }
                }
                j++;
            }
            if (next < 0) {
                return n;
            }
            starts[n] = s;
            ends[n++] = j;
            i = next;
        }
        return n;
    }
}
