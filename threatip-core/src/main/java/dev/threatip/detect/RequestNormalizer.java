package dev.threatip.detect;

import dev.threatip.log.Slice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes and normalises a request path and query into one reusable buffer, so rules match what
 * the server will act on rather than the encoding an attacker chose. Allocation-free after the
 * buffer has grown to the longest request seen.
 *
 * <p>The buffer holds {@code path ? query}: {@link #pathEnd()} and {@link #queryStart()} split
 * it, so the path, the query and the whole target are three views of one normalisation. Steps:
 * <ol>
 *   <li>query only: {@code +} becomes a space (form encoding; done before decoding, so a decoded
 *       {@code %2B} stays a plus);</li>
 *   <li>{@code %XX} and IIS-style {@code %uXXXX} are decoded, repeatedly until stable but at most
 *       {@value #MAX_ROUNDS} rounds, which undoes double and triple encoding such as
 *       {@code %252e%252e%252f}; needing more than one round sets {@link #MULTI_ENCODED};</li>
 *   <li>ASCII is lower-cased, overlong UTF-8 forms of ASCII ({@code %c0%af} for {@code /}) are
 *       folded to the character and flagged {@link #OVERLONG}, a NUL byte is flagged
 *       {@link #NUL}; in the path a backslash becomes {@code /} (IIS treats them alike);</li>
 *   <li>path only, when it starts with {@code /}: {@code //} collapses, {@code .} segments go and
 *       {@code ..} segments pop their parent, flagging {@link #TRAVERSAL} (and
 *       {@link #ESCAPES_ROOT} when they climb above {@code /}); a {@code ../} or {@code ..\} in
 *       the decoded query flags {@link #TRAVERSAL} too. Resolving keeps {@code /etc/passwd}
 *       visible to literal rules however many {@code ..} precede it, while the flag keeps the
 *       fact that traversal was attempted.</li>
 * </ol>
 * Each input is cut at {@value #MAX_INPUT} bytes ({@link #TRUNCATED}): attacker-controlled
 * lengths must not grow the buffer without bound.
 */
final class RequestNormalizer {
    /** A {@code ..} segment in the path or {@code ../} in the query. */
    static final int TRAVERSAL = 1;
    /** {@code ..} segments climbed above the root. */
    static final int ESCAPES_ROOT = 1 << 1;
    /** A NUL byte after decoding. */
    static final int NUL = 1 << 2;
    /** An overlong UTF-8 encoding of an ASCII character. */
    static final int OVERLONG = 1 << 3;
    /** More than one decoding round changed the text (double or triple encoding). */
    static final int MULTI_ENCODED = 1 << 4;
    /** The path or query was longer than {@value #MAX_INPUT} bytes and was cut. */
    static final int TRUNCATED = 1 << 5;

    /** Every signal by the name rule files and explanations use, in bit order. */
    static final Map<String, Integer> SIGNALS = signals();

    /** Longest path or query normalised, in bytes. */
    static final int MAX_INPUT = 16 * 1024;
    static final int MAX_ROUNDS = 3;

    private byte[] buf = new byte[512];
    private int[] segments = new int[64];
    private int pathEnd;
    private int queryStart;
    private int end;
    private int flags;

    /** Normalises the path and query slices of one event. */
    void normalize(Slice path, Slice query) {
        normalize(path.array(), path.start(), path.end(), query.array(), query.start(), query.end());
    }

    /** Normalises {@code p[ps, pe)} as the path and {@code q[qs, qe)} as the query; null arrays are empty. */
    void normalize(byte[] p, int ps, int pe, byte[] q, int qs, int qe) {
        flags = 0;
        int pl = p == null ? 0 : clamp(pe - ps);
        int ql = q == null ? 0 : clamp(qe - qs);
        int need = pl + ql + 1;
        if (buf.length < need) {
            buf = new byte[Math.max(need, buf.length * 2)];
        }
        int n;
        if (pl > 0 && p[ps] == '/' && copyPlainPath(p, ps, ps + pl)) {
            n = pl; // nothing to decode, fold or resolve: the lower-cased copy is the result
        } else {
            if (pl > 0) {
                System.arraycopy(p, ps, buf, 0, pl);
            }
            n = decodeRounds(0, pl);
            n = fold(0, n, true);
            if (n > 0 && buf[0] == '/') {
                n = resolveDots(n);
            }
        }
        pathEnd = n;
        if (ql > 0 && copyPlainQuery(q, qs, qs + ql, n)) {
            queryStart = n + 1;
            end = queryStart + ql;
        } else if (ql > 0) {
            buf[n] = '?';
            queryStart = n + 1;
            System.arraycopy(q, qs, buf, queryStart, ql);
            for (int i = queryStart; i < queryStart + ql; i++) {
                if (buf[i] == '+') {
                    buf[i] = ' ';
                }
            }
            int qEnd = decodeRounds(queryStart, queryStart + ql);
            end = fold(queryStart, qEnd, false);
            for (int i = queryStart; i + 2 < end; i++) {
                if (buf[i] == '.' && buf[i + 1] == '.' && (buf[i + 2] == '/' || buf[i + 2] == '\\')) {
                    flags |= TRAVERSAL;
                    break;
                }
            }
        } else {
            queryStart = n;
            end = n;
        }
    }

    /**
     * Copies a path to buf[0, …) lower-casing ASCII, when it is plain: no {@code %}, backslash, NUL
     * or non-ASCII byte, no {@code //} and no segment starting with a dot. Then decoding, folding
     * and dot resolution would all leave it unchanged and raise no signal. Returns false (the
     * buffer then holds garbage the full path overwrites) when it is not plain.
     */
    private boolean copyPlainPath(byte[] p, int from, int to) {
        byte[] b = buf;
        int w = 0;
        for (int i = from; i < to; i++) {
            byte c = p[i];
            if (c >= 'a') {
                // lower-case letters and {|}~ DEL: copied as they are
            } else if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            } else if (c == '/') {
                if (i + 1 < to && (p[i + 1] == '/' || p[i + 1] == '.')) {
                    return false;
                }
            } else if (c == '%' || c == '\\' || c <= 0) {
                return false;
            }
            b[w++] = c;
        }
        return true;
    }

    /**
     * Copies a query after the {@code ?} at buf[at] lower-casing ASCII, when it is plain: no
     * {@code %}, {@code +}, NUL, non-ASCII byte or {@code ..}. Returns false when it is not.
     */
    private boolean copyPlainQuery(byte[] q, int from, int to, int at) {
        byte[] b = buf;
        int w = at;
        b[w++] = '?';
        for (int i = from; i < to; i++) {
            byte c = q[i];
            if (c >= 'a') {
                // copied as it is
            } else if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            } else if (c == '%' || c == '+' || c <= 0 || (c == '.' && i + 1 < to && q[i + 1] == '.')) {
                return false;
            }
            b[w++] = c;
        }
        return true;
    }

    private int clamp(int len) {
        if (len > MAX_INPUT) {
            flags |= TRUNCATED;
            return MAX_INPUT;
        }
        return Math.max(len, 0);
    }

    byte[] buffer() {
        return buf;
    }

    /** End of the normalised path (exclusive); the path starts at 0. */
    int pathEnd() {
        return pathEnd;
    }

    /** Start of the normalised query; equals {@link #end()} when there is none. */
    int queryStart() {
        return queryStart;
    }

    /** End of the whole normalised target. */
    int end() {
        return end;
    }

    /** The flags found: {@link #TRAVERSAL}, {@link #NUL}, … */
    int flags() {
        return flags;
    }

    /** The names of the signals in {@link #flags()}, in bit order; allocates, for explanations. */
    List<String> signalNames() {
        List<String> out = new ArrayList<>();
        SIGNALS.forEach((name, bit) -> {
            if ((flags & bit) != 0) {
                out.add(name);
            }
        });
        return out;
    }

    private static Map<String, Integer> signals() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("traversal", TRAVERSAL);
        m.put("escapes_root", ESCAPES_ROOT);
        m.put("nul", NUL);
        m.put("overlong", OVERLONG);
        m.put("multi_encoded", MULTI_ENCODED);
        m.put("truncated", TRUNCATED);
        return Collections.unmodifiableMap(m);
    }

    /** The normalised target as text, for tests and explanations. */
    String target() {
        return new String(buf, 0, end, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private int decodeRounds(int from, int to) {
        int n = to;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int before = n;
            n = decodeOnce(from, n);
            if (n == before) {
                break;
            }
            if (round > 0) {
                flags |= MULTI_ENCODED;
            }
        }
        return n;
    }

    /** One round of %-decoding in place (decoding only shrinks); returns the new end. */
    private int decodeOnce(int from, int to) {
        byte[] b = buf;
        int w = from;
        int r = from;
        while (r < to) {
            byte c = b[r];
            if (c == '%') {
                if (r + 2 < to && hex(b[r + 1]) >= 0 && hex(b[r + 2]) >= 0) {
                    b[w++] = (byte) (hex(b[r + 1]) << 4 | hex(b[r + 2]));
                    r += 3;
                    continue;
                }
                if (r + 5 < to && (b[r + 1] == 'u' || b[r + 1] == 'U') && hex(b[r + 2]) >= 0 && hex(b[r + 3]) >= 0
                        && hex(b[r + 4]) >= 0 && hex(b[r + 5]) >= 0) {
                    int cp = hex(b[r + 2]) << 12 | hex(b[r + 3]) << 8 | hex(b[r + 4]) << 4 | hex(b[r + 5]);
                    if (cp < 0x80) {
                        b[w++] = (byte) cp;
                    } else if (cp < 0x800) {
                        b[w++] = (byte) (0xC0 | cp >> 6);
                        b[w++] = (byte) (0x80 | cp & 0x3F);
                    } else {
                        b[w++] = (byte) (0xE0 | cp >> 12);
                        b[w++] = (byte) (0x80 | cp >> 6 & 0x3F);
                        b[w++] = (byte) (0x80 | cp & 0x3F);
                    }
                    r += 6;
                    continue;
                }
            }
            b[w++] = c;
            r++;
        }
        return w;
    }

    /** Lower-cases ASCII, folds overlong UTF-8 forms of ASCII, notes NUL; in place. */
    private int fold(int from, int to, boolean path) {
        byte[] b = buf;
        int w = from;
        int r = from;
        while (r < to) {
            int c = b[r] & 0xFF;
            if ((c == 0xC0 || c == 0xC1) && r + 1 < to && (b[r + 1] & 0xC0) == 0x80) {
                c = (c & 0x1F) << 6 | b[r + 1] & 0x3F;
                flags |= OVERLONG;
                r += 2;
            } else if (c == 0xE0 && r + 2 < to && (b[r + 1] & 0xE0) == 0x80 && (b[r + 2] & 0xC0) == 0x80
                    && (((b[r + 1] & 0x3F) << 6 | b[r + 2] & 0x3F) < 0x80)) {
                c = (b[r + 1] & 0x3F) << 6 | b[r + 2] & 0x3F;
                flags |= OVERLONG;
                r += 3;
            } else {
                r++;
            }
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            } else if (c == 0) {
                flags |= NUL;
            } else if (c == '\\' && path) {
                c = '/';
            }
            b[w++] = (byte) c;
        }
        return w;
    }

    /** Collapses {@code //}, drops {@code .} and resolves {@code ..} segments of buf[0, n), which starts with '/'. */
    private int resolveDots(int n) {
        byte[] b = buf;
        int w = 0;
        int depth = 0;
        int r = 0;
        boolean dirEnd = false;
        while (r < n) {
            if (b[r] == '/') {
                r++;
                dirEnd = true;
                continue;
            }
            int s = r;
            while (r < n && b[r] != '/') {
                r++;
            }
            int len = r - s;
            if (len == 1 && b[s] == '.') {
                dirEnd = true;
                continue;
            }
            if (len == 2 && b[s] == '.' && b[s + 1] == '.') {
                flags |= TRAVERSAL;
                if (depth > 0) {
                    w = segments[--depth];
                } else {
                    flags |= ESCAPES_ROOT;
                }
                dirEnd = true;
                continue;
            }
            if (depth == segments.length) {
                segments = java.util.Arrays.copyOf(segments, depth * 2);
            }
            segments[depth++] = w;
            b[w++] = '/';
            System.arraycopy(b, s, b, w, len);
            w += len;
            dirEnd = false;
        }
        if (w == 0 || dirEnd) {
            b[w++] = '/';
        }
        return w;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
