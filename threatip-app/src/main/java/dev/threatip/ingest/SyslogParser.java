package dev.threatip.ingest;

import dev.threatip.ingest.SyslogMessage.Kind;

/**
 * Finds the message part of one syslog frame, on bytes, without copying or decoding it.
 *
 * <p>Recognised forms, decided by the first bytes:
 * <ul>
 *   <li>RFC 5424: {@code <PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
 *       STRUCTURED-DATA [SP MSG]}. Structured data is {@code -} or one or more {@code [...]}
 *       elements; inside a quoted PARAM-VALUE {@code \"}, {@code \\} and {@code \]} are escapes
 *       and a bare {@code ]} does not end the element. A UTF-8 BOM before MSG is dropped.</li>
 *   <li>RFC 3164: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG} (nginx, rsyslog's
 *       traditional forward format, {@code logger --rfc3164}). The day may be space-padded, the
 *       seconds may carry a fraction, and an RFC 3339 timestamp in its place is accepted
 *       (rsyslog's {@code RSYSLOG_ForwardFormat}). The hostname may be missing (nginx's
 *       {@code nohostname}): a first token shaped like a tag ({@code name:} or
 *       {@code name[pid]:}) is taken as the tag. Without a valid timestamp the rest is the
 *       content, as RFC 3164 §4.3.3 says, less a leading tag.</li>
 *   <li>A bare line (no {@code <}): the whole frame, which must be text: a control byte other
 *       than TAB makes it malformed (binary junk, a TLS handshake sent to the plain port).</li>
 * </ul>
 * Trailing {@code \n}, {@code \r} and NUL bytes are never part of the message. Reasons for
 * malformed frames are constant strings, so hostile input costs no allocation beyond the result.
 */
final class SyslogParser {

    static final String EMPTY = "empty message";
    static final String BAD_PRI = "invalid PRI: expected <0> to <191> at the start";
    static final String HEADER_5424 =
            "RFC 5424 header incomplete: expected TIMESTAMP HOSTNAME APP-NAME PROCID MSGID and structured data";
    static final String SD_BAD = "RFC 5424 structured data must be '-' or start with '['";
    static final String SD_OPEN = "RFC 5424 structured data element not terminated by ']'";
    static final String SD_TRAILING = "RFC 5424 structured data not followed by a space";
    static final String NO_MSG = "no message part after the syslog header";
    static final String BINARY = "not a syslog message: control bytes in a line without <PRI>";
    static final String TLS = "not a syslog message: looks like a TLS handshake sent to a plain-text port";

    private static final int MAX_PRI = 191;
    private static final int MAX_TAG = 48;
    private static final int MAX_PID = 128;
    private static final byte[][] MONTHS = {
        bytes("Jan"), bytes("Feb"), bytes("Mar"), bytes("Apr"), bytes("May"), bytes("Jun"),
        bytes("Jul"), bytes("Aug"), bytes("Sep"), bytes("Oct"), bytes("Nov"), bytes("Dec"),
    };

    private SyslogParser() {
    }

    /** Parses the frame {@code b[off, off + len)}. */
    static SyslogMessage parse(byte[] b, int off, int len) {
        int end = off + len;
        while (end > off && isTrailer(b[end - 1])) {
            end--;
        }
        if (end == off) {
            return SyslogMessage.malformed(EMPTY);
        }
        if (b[off] != '<') {
            return bare(b, off, end);
        }
        int i = off + 1;
        int pri = 0;
        while (i < end && i - off <= 3 && isDigit(b[i])) {
            pri = pri * 10 + (b[i] - '0');
            i++;
        }
        if (i == off + 1 || i >= end || b[i] != '>' || pri > MAX_PRI) {
            return SyslogMessage.malformed(BAD_PRI);
        }
        int p = i + 1;
        if (p < end && b[p] >= '1' && b[p] <= '9') {
            int v = p + 1;
            while (v < end && v - p < 3 && isDigit(b[v])) {
                v++;
            }
            if (v < end && b[v] == ' ') {
                return rfc5424(b, v + 1, end, pri);
            }
        }
        return rfc3164(b, p, end, pri);
    }

    private static SyslogMessage bare(byte[] b, int off, int end) {
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c < 0x20 && c != '\t') {
                boolean tls = c == 0x16 && i == off && end - off > 1 && b[off + 1] == 0x03;
                return SyslogMessage.malformed(tls ? TLS : BINARY);
            }
        }
        return new SyslogMessage(Kind.BARE, -1, off, end, null);
    }

    private static SyslogMessage rfc5424(byte[] b, int i, int end, int pri) {
        // TIMESTAMP HOSTNAME APP-NAME PROCID MSGID, each a non-empty token followed by SP
        for (int field = 0; field < 5; field++) {
            int s = i;
            while (i < end && b[i] != ' ') {
                i++;
            }
            if (i == s || i >= end) {
                return SyslogMessage.malformed(HEADER_5424);
            }
            i++;
        }
        if (i >= end) {
            return SyslogMessage.malformed(HEADER_5424);
        }
        if (b[i] == '-') {
            i++;
        } else if (b[i] == '[') {
            while (true) {
                i = endOfElement(b, i + 1, end);
                if (i < 0) {
                    return SyslogMessage.malformed(SD_OPEN);
                }
                i++;
                if (i >= end || b[i] != '[') {
                    break;
                }
            }
        } else {
            return SyslogMessage.malformed(SD_BAD);
        }
        if (i >= end) {
            return SyslogMessage.malformed(NO_MSG);
        }
        if (b[i] != ' ') {
            return SyslogMessage.malformed(SD_TRAILING);
        }
        i++;
        if (end - i >= 3 && b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF) {
            i += 3;
        }
        if (i >= end) {
            return SyslogMessage.malformed(NO_MSG);
        }
        return new SyslogMessage(Kind.RFC5424, pri, i, end, null);
    }

    /** Index of the {@code ]} closing an SD-ELEMENT whose content starts at {@code i}, or -1. */
    private static int endOfElement(byte[] b, int i, int end) {
        boolean quoted = false;
        while (i < end) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']') {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static SyslogMessage rfc3164(byte[] b, int p, int end, int pri) {
        int i = p;
        int t = bsdTimestampEnd(b, i, end);
        if (t < 0) {
            t = isoTimestampEnd(b, i, end);
        }
        if (t >= 0 && t < end && b[t] == ' ') {
            i = t + 1;
            int first = tokenEnd(b, i, end);
            if (isTag(b, i, first)) {
                i = afterToken(first, end);
            } else if (first < end) {
                // the first token was the hostname; a tag may follow
                int j = first + 1;
                int second = tokenEnd(b, j, end);
                i = isTag(b, j, second) ? afterToken(second, end) : j;
            } else {
                i = end;
            }
        } else {
            int first = tokenEnd(b, i, end);
            if (isTag(b, i, first)) {
                i = afterToken(first, end);
            }
        }
        if (i >= end) {
            return SyslogMessage.malformed(NO_MSG);
        }
        return new SyslogMessage(Kind.RFC3164, pri, i, end, null);
    }

    /** {@code Mmm dd hh:mm:ss} (day space- or zero-padded), optional {@code .fraction}; end or -1. */
    private static int bsdTimestampEnd(byte[] b, int i, int end) {
        if (end - i < 15 || !isMonth(b, i) || b[i + 3] != ' ') {
            return -1;
        }
        byte d1 = b[i + 4];
        if (!(d1 == ' ' || (d1 >= '0' && d1 <= '3')) || !isDigit(b[i + 5]) || b[i + 6] != ' ') {
            return -1;
        }
        if (!isDigit(b[i + 7]) || !isDigit(b[i + 8]) || b[i + 9] != ':' || !isDigit(b[i + 10])
                || !isDigit(b[i + 11]) || b[i + 12] != ':' || !isDigit(b[i + 13]) || !isDigit(b[i + 14])) {
            return -1;
        }
        int t = i + 15;
        if (t < end && b[t] == '.') {
            int f = t + 1;
            while (f < end && isDigit(b[f])) {
                f++;
            }
            if (f > t + 1) {
                t = f;
            }
        }
        return t;
    }

    /** An RFC 3339 timestamp ({@code 2026-11-23T20:00:00.123+00:00}) up to the next space; or -1. */
    private static int isoTimestampEnd(byte[] b, int i, int end) {
        if (end - i < 11) {
            return -1;
        }
        for (int k = 0; k < 10; k++) {
            byte c = b[i + k];
            boolean ok = (k == 4 || k == 7) ? c == '-' : isDigit(c);
            if (!ok) {
                return -1;
            }
        }
        if (b[i + 10] != 'T') {
            return -1;
        }
        return tokenEnd(b, i + 11, end);
    }

    private static boolean isMonth(byte[] b, int i) {
        for (byte[] m : MONTHS) {
            if (b[i] == m[0] && b[i + 1] == m[1] && b[i + 2] == m[2]) {
                return true;
            }
        }
        return false;
    }

    /** {@code name:} or {@code name[pid]:} with name in {@code [A-Za-z0-9_.@/-]}, 1 to 48 bytes. */
    private static boolean isTag(byte[] b, int s, int e) {
        if (e - s < 2 || b[e - 1] != ':') {
            return false;
        }
        int j = s;
        while (j < e - 1 && isTagChar(b[j])) {
            j++;
        }
        if (j == s || j - s > MAX_TAG) {
            return false;
        }
        if (j == e - 1) {
            return true;
        }
        // name[pid]: the rest must be one bracketed group right before the colon
        if (b[j] != '[' || b[e - 2] != ']' || e - 2 - (j + 1) > MAX_PID) {
            return false;
        }
        for (int k = j + 1; k < e - 2; k++) {
            if (b[k] == '[' || b[k] == ']') {
                return false;
            }
        }
        return true;
    }

    private static boolean isTagChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
                || c == '_' || c == '-' || c == '.' || c == '/' || c == '@';
    }

    private static int tokenEnd(byte[] b, int i, int end) {
        while (i < end && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** The message starts after exactly one space following a token. */
    private static int afterToken(int tokenEnd, int end) {
        return tokenEnd < end ? tokenEnd + 1 : end;
    }

    private static boolean isTrailer(byte c) {
        return c == '\n' || c == '\r' || c == 0;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
