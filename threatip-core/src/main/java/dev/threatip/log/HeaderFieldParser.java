package dev.threatip.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one engine behind the header-driven formats (W3C extended / IIS, CloudFront, Zeek): a
 * field-list directive ({@code #Fields:} or {@code #fields}) is compiled, on the directive line
 * only, into an array of column roles; each data line is then one pass over its bytes that
 * dispatches every separator-delimited value on its column's role. Nothing is allocated per
 * data line. The list may change mid-file (IIS writes a new header block on every restart), so
 * the compiled roles are per parser, i.e. per file and thread.
 *
 * <p>A data line must have exactly as many values as the header has columns; a value holding a
 * stray separator would shift every later column (a forged user agent landing in {@code c-ip}),
 * so such a line is {@link LineParser.Outcome#MALFORMED} rather than guessed at. A header of
 * more than {@link #MAX_COLUMNS} columns is refused: its lines are malformed until the next one.
 */
final class HeaderFieldParser implements LineParser {
    static final int MAX_COLUMNS = 4096;

    static final byte IGNORE = 0;
    static final byte DATE = 1;
    static final byte TIME = 2;
    static final byte EPOCH = 3;
    static final byte CLIENT = 4;
    static final byte METHOD = 5;
    static final byte STEM = 6;
    static final byte QUERY = 7;
    static final byte URI = 8;
    static final byte STATUS = 9;
    static final byte BYTES = 10;
    static final byte USER_AGENT = 11;
    static final byte REFERER = 12;
    static final byte HOST = 13;
    static final byte HOST_HEADER = 14;
    static final byte FORWARDED_FOR = 15;
    static final byte REAL_IP = 16;
    static final byte CONNECTING_IP = 17;
    static final byte PROTOCOL = 18;

    /** How the dialects differ: the field directive, separator, escape scheme and field names. */
    enum Dialect {
        /** W3C extended as IIS writes it: space-separated, {@code +} for space in header values. */
        W3C,
        /** CloudFront standard logs: W3C with TAB separation and URL-encoded user agents. */
        CLOUDFRONT,
        /** Zeek ASCII logs: {@code #separator}, {@code #fields}, {@code \xNN} escapes. */
        ZEEK
    }

    /**
     * IIS's default W3C field set (IIS 8.5+ "Select Fields" defaults), used for lines before any
     * {@code #Fields:} — a file that was cut, or a chunk of a file read without its header.
     */
    static final String IIS_DEFAULT_FIELDS = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
            + "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken";
    /** CloudFront's documented 33-field standard log layout. */
    static final String CLOUDFRONT_DEFAULT_FIELDS = "date time x-edge-location sc-bytes c-ip cs-method cs(Host) "
            + "cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
            + "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol "
            + "ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
            + "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end";
    /** Zeek's default {@code http.log} columns (Zeek 3.0+, which added {@code origin}). */
    static final String ZEEK_DEFAULT_FIELDS = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p trans_depth method host "
            + "uri referrer version user_agent origin request_body_len response_body_len status_code status_msg "
            + "info_code info_msg tags username password proxied orig_fuids orig_filenames orig_mime_types "
            + "resp_fuids resp_filenames resp_mime_types";

    private final Dialect dialect;
    private byte separator;
    /** The compiled column roles, or null while no usable field list is known. */
    private byte[] roles;
    private byte[] unsetMarker = {'-'};
    private byte[] emptyMarker = "(empty)".getBytes(StandardCharsets.US_ASCII);
    /** The {@code yyyy-MM-dd} of a W3C {@code #Date:} directive, for files that log {@code time} without {@code date}. */
    private final byte[] headerDate = new byte[10];
    private boolean hasHeaderDate;

    HeaderFieldParser(Dialect dialect) {
        this.dialect = dialect;
        this.separator = dialect == Dialect.W3C ? (byte) ' ' : (byte) '\t';
        String defaults = switch (dialect) {
            case W3C -> IIS_DEFAULT_FIELDS;
            case CLOUDFRONT -> CLOUDFRONT_DEFAULT_FIELDS;
            case ZEEK -> ZEEK_DEFAULT_FIELDS;
        };
        byte[] d = defaults.getBytes(StandardCharsets.US_ASCII);
        this.roles = compile(d, 0, d.length, (byte) ' ');
    }

    @Override
    public Outcome parse(byte[] b, int start, int end, LineFields out) {
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        if (start >= end) {
            return Outcome.MALFORMED;
        }
        if (b[start] == '#') {
            directive(b, start, end);
            return Outcome.DIRECTIVE;
        }
        byte[] r = roles;
        if (r == null) {
            return Outcome.MALFORMED;
        }
        byte sep = separator;
        int columns = r.length;
        int col = 0;
        int valueStart = start;
        int dateStart = -1;
        int dateEnd = -1;
        int timeStart = -1;
        int timeEnd = -1;
        int i = start;
        while (true) {
            while (i < end && b[i] != sep) {
                i++;
            }
            if (col == columns) {
                return Outcome.MALFORMED;
            }
            byte role = r[col++];
            if (role != IGNORE && !isAbsent(b, valueStart, i)) {
                switch (role) {
                    case DATE -> {
                        dateStart = valueStart;
                        dateEnd = i;
                    }
                    case TIME -> {
                        timeStart = valueStart;
                        timeEnd = i;
                    }
                    default -> apply(role, b, valueStart, i, out);
                }
            }
            if (i == end) {
                break;
            }
            valueStart = ++i;
        }
        if (col != columns) {
            return Outcome.MALFORMED;
        }
        if (timeStart >= 0 || dateStart >= 0) {
            out.timeMillis = dateTime(b, dateStart, dateEnd, timeStart, timeEnd, out);
        }
        return Outcome.EVENT;
    }

    private boolean isAbsent(byte[] b, int from, int to) {
        return to == from || matches(b, from, to, unsetMarker) || matches(b, from, to, emptyMarker);
    }

    private static boolean matches(byte[] b, int from, int to, byte[] marker) {
        if (to - from != marker.length) {
            return false;
        }
        for (int i = 0; i < marker.length; i++) {
            if (b[from + i] != marker[i]) {
                return false;
            }
        }
        return true;
    }

    private void apply(byte role, byte[] b, int s, int e, LineFields out) {
        switch (role) {
            case EPOCH -> {
                long t = EventTime.parseEpoch(b, s, e);
                out.timeMillis = t == EventTime.INVALID ? LineFields.NONE : t;
            }
            case CLIENT -> out.remoteAddr.set(b, s, e);
            case METHOD -> out.method.set(b, s, e);
            case STEM -> out.path.set(b, s, e);
            case QUERY -> out.query.set(b, s, e);
            case URI -> {
                int q = FieldBytes.indexOf(b, s, e, (byte) '?');
                if (q < 0) {
                    out.path.set(b, s, e);
                } else {
                    out.path.set(b, s, q);
                    out.query.set(b, q + 1, e);
                }
            }
            case STATUS -> out.status = FieldBytes.status(b, s, e);
            case BYTES -> out.bytes = FieldBytes.count(b, s, e);
            case USER_AGENT -> decoded(out.userAgent, b, s, e, out);
            case REFERER -> {
                if (dialect == Dialect.ZEEK) {
                    FieldBytes.setHexEscapeDecoded(out.referer, b, s, e, out);
                } else {
                    out.referer.set(b, s, e);
                }
            }
            case HOST -> {
                if (out.host.isEmpty()) {
                    if (dialect == Dialect.ZEEK) {
                        FieldBytes.setHexEscapeDecoded(out.host, b, s, e, out);
                    } else {
                        out.host.set(b, s, e);
                    }
                }
            }
            case HOST_HEADER -> out.host.set(b, s, e);
            case FORWARDED_FOR -> decoded(out.forwardedFor, b, s, e, out);
            case REAL_IP -> decoded(out.realIp, b, s, e, out);
            case CONNECTING_IP -> decoded(out.connectingIp, b, s, e, out);
            case PROTOCOL -> out.protocol.set(b, s, e);
            default -> {
            }
        }
    }

    /** Header-value fields carry each dialect's own escaping; see the format classes for what is decoded. */
    private void decoded(Slice slice, byte[] b, int s, int e, LineFields out) {
        switch (dialect) {
            case W3C -> FieldBytes.setPlusDecoded(slice, b, s, e, out);
            case CLOUDFRONT -> FieldBytes.setPercentDecoded(slice, b, s, e, out);
            case ZEEK -> FieldBytes.setHexEscapeDecoded(slice, b, s, e, out);
        }
    }

    /** Joins {@code date} and {@code time} (UTC by the W3C definition) into scratch as ISO-8601 for {@link EventTime#parseIso}. */
    private long dateTime(byte[] b, int ds, int de, int ts, int te, LineFields out) {
        byte[] dateArray = b;
        if (ds < 0) {
            if (!hasHeaderDate) {
                return LineFields.NONE;
            }
            dateArray = headerDate;
            ds = 0;
            de = headerDate.length;
        }
        long t;
        if (ts < 0) {
            t = EventTime.parseIso(dateArray, ds, de);
        } else {
            int dateLen = de - ds;
            int timeLen = te - ts;
            if (dateLen > 32 || timeLen > 32) {
                return LineFields.NONE;
            }
            int at = out.reserveScratch(dateLen + 1 + timeLen);
            byte[] s = out.scratch();
            System.arraycopy(dateArray, ds, s, at, dateLen);
            s[at + dateLen] = 'T';
            System.arraycopy(b, ts, s, at + dateLen + 1, timeLen);
            t = EventTime.parseIso(s, at, at + dateLen + 1 + timeLen);
        }
        return t == EventTime.INVALID ? LineFields.NONE : t;
    }

    private void directive(byte[] b, int start, int end) {
        if (dialect == Dialect.ZEEK) {
            zeekDirective(b, start, end);
        } else if (FieldBytes.startsWithIgnoreCase(b, start, end, "#Fields:")) {
            roles = compile(b, start + 8, end, (byte) ' ');
        } else if (FieldBytes.startsWithIgnoreCase(b, start, end, "#Date:")) {
            int i = start + 6;
            while (i < end && b[i] == ' ') {
                i++;
            }
            hasHeaderDate = end - i >= 10 && EventTime.parseIso(b, i, i + 10) != EventTime.INVALID;
            if (hasHeaderDate) {
                System.arraycopy(b, i, headerDate, 0, 10);
            }
        }
    }

    private void zeekDirective(byte[] b, int start, int end) {
        if (FieldBytes.startsWithIgnoreCase(b, start, end, "#separator ")) {
            int v = start + 11;
            if (end - v == 4 && b[v] == '\\' && b[v + 1] == 'x') {
                int hi = FieldBytes.hex(b[v + 2]);
                int lo = FieldBytes.hex(b[v + 3]);
                if (hi >= 0 && lo >= 0 && (hi << 4 | lo) != '\\' && (hi << 4 | lo) != '#') {
                    separator = (byte) (hi << 4 | lo);
                }
            } else if (end - v == 1) {
                separator = b[v];
            }
            return;
        }
        int keyEnd = FieldBytes.indexOf(b, start, end, separator);
        if (keyEnd < 0) {
            return;
        }
        if (FieldBytes.equalsIgnoreCase(b, start, keyEnd, "#fields")) {
            roles = compile(b, keyEnd + 1, end, separator);
        } else if (FieldBytes.equalsIgnoreCase(b, start, keyEnd, "#unset_field")) {
            unsetMarker = Arrays.copyOfRange(b, keyEnd + 1, end);
        } else if (FieldBytes.equalsIgnoreCase(b, start, keyEnd, "#empty_field")) {
            emptyMarker = Arrays.copyOfRange(b, keyEnd + 1, end);
        }
    }

    /** Compiles a field list into roles; null when it has no fields or more than {@link #MAX_COLUMNS}. */
    private byte[] compile(byte[] b, int from, int to, byte sep) {
        byte[] out = new byte[16];
        int n = 0;
        int i = from;
        while (i < to) {
            while (i < to && (b[i] == sep || b[i] == ' ')) {
                i++;
            }
            if (i >= to) {
                break;
            }
            int s = i;
            while (i < to && b[i] != sep && b[i] != ' ') {
                i++;
            }
            if (n == MAX_COLUMNS) {
                return null;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = dialect == Dialect.ZEEK ? zeekRole(b, s, i) : w3cRole(b, s, i);
        }
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    private static byte w3cRole(byte[] b, int s, int e) {
        if (is(b, s, e, "date")) {
            return DATE;
        } else if (is(b, s, e, "time")) {
            return TIME;
        } else if (is(b, s, e, "c-ip")) {
            return CLIENT;
        } else if (is(b, s, e, "cs-method")) {
            return METHOD;
        } else if (is(b, s, e, "cs-uri-stem")) {
            return STEM;
        } else if (is(b, s, e, "cs-uri-query")) {
            return QUERY;
        } else if (is(b, s, e, "cs-uri")) {
            return URI;
        } else if (is(b, s, e, "sc-status")) {
            return STATUS;
        } else if (is(b, s, e, "sc-bytes")) {
            return BYTES;
        } else if (is(b, s, e, "cs(User-Agent)")) {
            return USER_AGENT;
        } else if (is(b, s, e, "cs(Referer)") || is(b, s, e, "cs(Referrer)")) {
            return REFERER;
        } else if (is(b, s, e, "cs-host") || is(b, s, e, "cs(Host)")) {
            return HOST;
        } else if (is(b, s, e, "x-host-header")) {
            return HOST_HEADER;
        } else if (is(b, s, e, "cs(X-Forwarded-For)") || is(b, s, e, "x-forwarded-for")) {
            return FORWARDED_FOR;
        } else if (is(b, s, e, "cs(X-Real-IP)") || is(b, s, e, "x-real-ip")) {
            return REAL_IP;
        } else if (is(b, s, e, "cs(CF-Connecting-IP)") || is(b, s, e, "cs(True-Client-IP)")) {
            return CONNECTING_IP;
        } else if (is(b, s, e, "cs-version") || is(b, s, e, "cs-protocol-version")) {
            return PROTOCOL;
        }
        return IGNORE;
    }

    private static byte zeekRole(byte[] b, int s, int e) {
        if (is(b, s, e, "ts")) {
            return EPOCH;
        } else if (is(b, s, e, "id.orig_h")) {
            return CLIENT;
        } else if (is(b, s, e, "method")) {
            return METHOD;
        } else if (is(b, s, e, "host")) {
            return HOST;
        } else if (is(b, s, e, "uri")) {
            return URI;
        } else if (is(b, s, e, "referrer")) {
            return REFERER;
        } else if (is(b, s, e, "version")) {
            return PROTOCOL;
        } else if (is(b, s, e, "user_agent")) {
            return USER_AGENT;
        } else if (is(b, s, e, "status_code")) {
            return STATUS;
        } else if (is(b, s, e, "response_body_len")) {
            return BYTES;
        }
        return IGNORE;
    }

    private static boolean is(byte[] b, int s, int e, String name) {
        return FieldBytes.equalsIgnoreCase(b, s, e, name);
    }
}
