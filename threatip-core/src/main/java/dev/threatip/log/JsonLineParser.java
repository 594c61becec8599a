package dev.threatip.log;

/**
 * An allocation-free scanner of one JSON object per line, feeding the members named by a
 * {@link JsonFieldMap} into {@link LineFields}. It walks the bytes once with an explicit stack
 * (no recursion, so a deeply nested line cannot overflow the thread stack), descends into
 * objects only along mapped paths' trie nodes, and skips arrays and unmapped values without
 * decoding them. A mapped string is sliced in place unless it holds a backslash, in which case
 * it is unescaped into the fields' scratch space. Member names are compared as written (a name
 * spelled with escapes does not match; no log writer escapes plain ASCII names). Limits: nesting
 * depth {@value #MAX_DEPTH}, line length {@value #MAX_LINE} bytes; anything beyond, and anything
 * that is not well-formed JSON, is {@link LineParser.Outcome#MALFORMED}. A line whose object
 * yields no address at all is malformed too: it cannot be attributed to a client.
 */
final class JsonLineParser implements LineParser {
    static final int MAX_DEPTH = 64;
    static final int MAX_LINE = 8 << 20;
    private static final byte BOOLEAN_TRUE = 4;
    private static final byte BOOLEAN_FALSE = 5;

    private static final int EXPECT_KEY_OR_CLOSE = 0;
    private static final int EXPECT_VALUE_OR_CLOSE = 1;
    private static final int EXPECT_KEY = 2;
    private static final int EXPECT_VALUE = 3;
    private static final int AFTER_VALUE = 4;

    private final JsonFieldMap map;
    private final JsonFieldMap.Node[] nodes = new JsonFieldMap.Node[MAX_DEPTH + 1];
    private final boolean[] isArray = new boolean[MAX_DEPTH + 1];
    private final int[] rank = new int[JsonFieldMap.TARGETS];
    private final int[] valueStart = new int[JsonFieldMap.TARGETS];
    private final int[] valueEnd = new int[JsonFieldMap.TARGETS];
    /** 0 absent, 1 plain string, 2 string with escapes, 3 number, 4 true, 5 false (booleans of the enforced member only). */
    private final byte[] valueType = new byte[JsonFieldMap.TARGETS];
    /** A full request line member ({@code "request": "GET / HTTP/1.1"}) before it is split. */
    private final Slice request = new Slice();
    /** Bounds of the value last returned by {@link #valueArray}. */
    private int tmpStart;
    private int tmpEnd;
    /** Whether the string last scanned by {@link #stringEnd} held an escape. */
    private boolean escaped;

    JsonLineParser(JsonFieldMap map) {
        this.map = map;
    }

    @Override
    public Outcome parse(byte[] b, int start, int end, LineFields out) {
        if (end - start > MAX_LINE) {
            return Outcome.MALFORMED;
        }
        java.util.Arrays.fill(valueType, (byte) 0);
        if (!scan(b, start, end)) {
            return Outcome.MALFORMED;
        }
        return fill(b, out);
    }

    private boolean scan(byte[] b, int start, int end) {
        int i = ws(b, start, end);
        if (i >= end || b[i] != '{') {
            return false;
        }
        int depth = 0;
        nodes[0] = map.root;
        isArray[0] = false;
        i++;
        int state = EXPECT_KEY_OR_CLOSE;
        JsonFieldMap.Node member = null;
        while (true) {
            i = ws(b, i, end);
            if (i >= end) {
                return false;
            }
            byte c = b[i];
            switch (state) {
                case EXPECT_KEY_OR_CLOSE:
                case EXPECT_KEY: {
                    if (c == '}' && state == EXPECT_KEY_OR_CLOSE) {
                        depth--;
                        i++;
                        state = AFTER_VALUE;
                        break;
                    }
                    if (c != '"') {
                        return false;
                    }
                    int close = stringEnd(b, i + 1, end);
                    if (close < 0) {
                        return false;
                    }
                    JsonFieldMap.Node node = nodes[depth];
                    member = node == null ? null : node.child(b, i + 1, close);
                    i = ws(b, close + 1, end);
                    if (i >= end || b[i] != ':') {
                        return false;
                    }
                    i++;
                    state = EXPECT_VALUE;
                    break;
                }
                case EXPECT_VALUE_OR_CLOSE:
                case EXPECT_VALUE: {
                    if (c == ']' && state == EXPECT_VALUE_OR_CLOSE) {
                        depth--;
                        i++;
                        state = AFTER_VALUE;
                        break;
                    }
                    if (c == '{' || c == '[') {
                        if (depth == MAX_DEPTH) {
                            return false;
                        }
                        depth++;
                        isArray[depth] = c == '[';
                        nodes[depth] = c == '{' ? member : null;
                        state = c == '{' ? EXPECT_KEY_OR_CLOSE : EXPECT_VALUE_OR_CLOSE;
                        member = null;
                        i++;
                        break;
                    }
                    if (c == '"') {
                        int close = stringEnd(b, i + 1, end);
                        if (close < 0) {
                            return false;
                        }
                        if (member != null && member.target >= 0) {
                            record(member, i + 1, close, escaped ? (byte) 2 : (byte) 1);
                        }
                        i = close + 1;
                    } else if (c == '-' || (c >= '0' && c <= '9')) {
                        int e = i + 1;
                        while (e < end && isNumberByte(b[e])) {
                            e++;
                        }
                        if (member != null && member.target >= 0) {
                            record(member, i, e, (byte) 3);
                        }
                        i = e;
                    } else if (c == 't') {
                        if (member != null && member.target == JsonFieldMap.HIT_ENFORCED) {
                            record(member, i, i + TRUE.length, BOOLEAN_TRUE);
                        }
                        i = word(b, i, end, TRUE);
                    } else if (c == 'f') {
                        if (member != null && member.target == JsonFieldMap.HIT_ENFORCED) {
                            record(member, i, i + FALSE.length, BOOLEAN_FALSE);
                        }
                        i = word(b, i, end, FALSE);
                    } else if (c == 'n') {
                        i = word(b, i, end, NULL);
                    } else {
                        return false;
                    }
                    if (i < 0) {
                        return false;
                    }
                    member = null;
                    state = AFTER_VALUE;
                    break;
                }
                default: {
                    // AFTER_VALUE: depth already points at the enclosing container; -1 = the line's object closed.
                    if (depth < 0) {
                        return true;
                    }
                    if (c == ',') {
                        state = isArray[depth] ? EXPECT_VALUE : EXPECT_KEY;
                        i++;
                    } else if (c == (isArray[depth] ? ']' : '}')) {
                        depth--;
                        i++;
                        if (depth < 0) {
                            return ws(b, i, end) == end;
                        }
                    } else {
                        return false;
                    }
                    break;
                }
            }
            if (state == AFTER_VALUE && depth < 0) {
                return ws(b, i, end) == end;
            }
        }
    }

    private void record(JsonFieldMap.Node member, int from, int to, byte type) {
        int t = member.target;
        if (valueType[t] == 0 || member.rank < rank[t]) {
            valueType[t] = type;
            rank[t] = member.rank;
            valueStart[t] = from;
            valueEnd[t] = to;
        }
    }

    private Outcome fill(byte[] b, LineFields out) {
        text(JsonFieldMap.REMOTE, b, out.remoteAddr, out);
        text(JsonFieldMap.XFF, b, out.forwardedFor, out);
        text(JsonFieldMap.REAL_IP, b, out.realIp, out);
        text(JsonFieldMap.CONNECTING_IP, b, out.connectingIp, out);
        if (out.remoteAddr.isEmpty() && out.forwardedFor.isEmpty() && out.realIp.isEmpty()
                && out.connectingIp.isEmpty()) {
            return Outcome.MALFORMED;
        }
        request.clear();
        if (text(JsonFieldMap.REQUEST, b, request, out)) {
            RequestLine.split(request.array(), request.start(), request.end(), out);
        }
        text(JsonFieldMap.METHOD, b, out.method, out);
        text(JsonFieldMap.PROTOCOL, b, out.protocol, out);
        if (text(JsonFieldMap.URI, b, out.path, out)) {
            Slice uri = out.path;
            out.query.clear();
            LineScan.target(uri.array(), uri.start(), uri.end(), out);
        } else {
            text(JsonFieldMap.PATH, b, out.path, out);
        }
        if (out.query.isEmpty()) {
            text(JsonFieldMap.QUERY, b, out.query, out);
            if (!out.query.isEmpty() && out.query.at(0) == '?') {
                out.query.set(out.query.array(), out.query.start() + 1, out.query.end());
            }
        }
        text(JsonFieldMap.USER_AGENT, b, out.userAgent, out);
        text(JsonFieldMap.REFERER, b, out.referer, out);
        text(JsonFieldMap.HOST, b, out.host, out);
        long status = number(JsonFieldMap.STATUS, b);
        if (status >= 0 && status <= 999) {
            out.status = (int) status;
        }
        long size = number(JsonFieldMap.BYTES, b);
        if (size >= 0) {
            out.bytes = size;
        }
        if (valueType[JsonFieldMap.HIT_ACTION] != 0) {
            text(JsonFieldMap.HIT_RULE, b, out.hitRule, out);
            text(JsonFieldMap.HIT_CATEGORY, b, out.hitCategory, out);
            text(JsonFieldMap.HIT_CONFIDENCE, b, out.hitConfidence, out);
            text(JsonFieldMap.HIT_ACTION, b, out.hitAction, out);
            text(JsonFieldMap.HIT_REQUEST_ID, b, out.hitRequestId, out);
            byte enforced = valueType[JsonFieldMap.HIT_ENFORCED];
            out.hitEnforced = enforced == BOOLEAN_TRUE ? 1 : enforced == BOOLEAN_FALSE ? 0 : (int) LineFields.NONE;
        }
        if (valueType[JsonFieldMap.TIME] != 0) {
            long t = EventTime.parse(valueArray(JsonFieldMap.TIME, b, out), tmpStart, tmpEnd);
            out.timeMillis = t == EventTime.INVALID ? LineFields.NONE : t;
        }
        return Outcome.EVENT;
    }

    /** The value's bytes, unescaped into scratch when needed; sets tmpStart/tmpEnd. */
    private byte[] valueArray(int t, byte[] b, LineFields out) {
        int from = valueStart[t];
        int to = valueEnd[t];
        if (valueType[t] != 2) {
            tmpStart = from;
            tmpEnd = to;
            return b;
        }
        int at = out.reserveScratch(to - from);
        byte[] s = out.scratch();
        tmpStart = at;
        tmpEnd = unescape(b, from, to, s, at);
        return s;
    }

    /** Sets {@code slice} from target {@code t} unless absent, empty or {@code -}; returns whether it did. */
    private boolean text(int t, byte[] b, Slice slice, LineFields out) {
        if (valueType[t] == 0) {
            return false;
        }
        byte[] a = valueArray(t, b, out);
        if (tmpEnd <= tmpStart || LineScan.isDash(a, tmpStart, tmpEnd)) {
            return false;
        }
        slice.set(a, tmpStart, tmpEnd);
        return true;
    }

    /** A status or size given as a JSON number or a string of digits; -1 when absent or not one. */
    private long number(int t, byte[] b) {
        if (valueType[t] != 1 && valueType[t] != 3) {
            return -1;
        }
        return Decimal.parse(b, valueStart[t], valueEnd[t]);
    }

    /** Decodes JSON escapes of {@code b[from, to)} into {@code s} at {@code at}; returns the end. Never longer than the input. */
    static int unescape(byte[] b, int from, int to, byte[] s, int at) {
        int o = at;
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c != '\\' || i + 1 >= to) {
                s[o++] = c;
                i++;
                continue;
            }
            byte e = b[i + 1];
            i += 2;
            switch (e) {
                case 'n' -> s[o++] = '\n';
                case 't' -> s[o++] = '\t';
                case 'r' -> s[o++] = '\r';
                case 'b' -> s[o++] = '\b';
                case 'f' -> s[o++] = '\f';
                case 'u' -> {
                    int cp = hex4(b, i, to);
                    if (cp < 0) {
                        s[o++] = '\\';
                        s[o++] = 'u';
                        break;
                    }
                    i += 4;
                    if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= to && b[i] == '\\' && b[i + 1] == 'u') {
                        int lo = hex4(b, i + 2, to);
                        if (lo >= 0xDC00 && lo <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            i += 6;
                        }
                    }
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        cp = 0xFFFD;
                    }
                    o = utf8(cp, s, o);
                }
                default -> s[o++] = e;
            }
        }
        return o;
    }

    private static int utf8(int cp, byte[] s, int o) {
        if (cp < 0x80) {
            s[o++] = (byte) cp;
        } else if (cp < 0x800) {
            s[o++] = (byte) (0xC0 | (cp >> 6));
            s[o++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[o++] = (byte) (0xE0 | (cp >> 12));
            s[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            s[o++] = (byte) (0xF0 | (cp >> 18));
            s[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            s[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            s[o++] = (byte) (0x80 | (cp & 0x3F));
        }
        return o;
    }

    private static int hex4(byte[] b, int i, int to) {
        if (i + 4 > to) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private static int word(byte[] b, int i, int end, byte[] w) {
        return LineScan.regionMatches(b, i, end, w) ? i + w.length : -1;
    }

    /**
     * Index of the closing quote of a string whose content starts at {@code from}, or -1; sets
     * {@link #escaped} when the string holds a backslash (it must then be unescaped to be used).
     */
    private int stringEnd(byte[] b, int from, int end) {
        escaped = false;
        for (int i = from; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\') {
                escaped = true;
                i++;
            }
        }
        return -1;
    }

    private static boolean isNumberByte(byte c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    private static int ws(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
            i++;
        }
        return i;
    }
}
