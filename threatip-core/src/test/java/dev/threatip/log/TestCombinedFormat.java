package dev.threatip.log;

/**
 * A small combined-log parser for engine tests only (the real parsers live in their own
 * classes): {@code IP - user [dd/Mon/yyyy:HH:mm:ss +zzzz] "METHOD target PROTO" status bytes
 * "referer" "ua" ["x-forwarded-for"]}. Lines starting with {@code #} are directives. Strict
 * enough that garbage is MALFORMED; allocation-free.
 */
public final class TestCombinedFormat implements LogFormat {
    public static final TestCombinedFormat INSTANCE = new TestCombinedFormat();
    private static final byte[] MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "test-combined";
    }

    @Override
    public LineParser newParser() {
        return TestCombinedFormat::parse;
    }

    static LineParser.Outcome parse(byte[] b, int start, int end, LineFields f) {
        if (b[start] == '#') {
            return LineParser.Outcome.DIRECTIVE;
        }
        int i = start;
        while (i < end && b[i] != ' ') {
            i++;
        }
        if (i == start || i == end) {
            return LineParser.Outcome.MALFORMED;
        }
        f.remoteAddr.set(b, start, i);
        while (i < end && b[i] != '[') {
            i++;
        }
        if (end - i < 28 || b[i + 27] != ']') {
            return LineParser.Outcome.MALFORMED;
        }
        f.timeMillis = time(b, i + 1);
        if (f.timeMillis == LineFields.NONE) {
            return LineParser.Outcome.MALFORMED;
        }
        i += 28;
        if (i + 1 >= end || b[i] != ' ' || b[i + 1] != '"') {
            return LineParser.Outcome.MALFORMED;
        }
        i += 2;
        int q = quoteEnd(b, i, end);
        if (q < 0) {
            return LineParser.Outcome.MALFORMED;
        }
        int sp1 = indexOf(b, i, q, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, q, (byte) ' ');
        if (sp2 < 0) {
            return LineParser.Outcome.MALFORMED;
        }
        f.method.set(b, i, sp1);
        int qm = indexOf(b, sp1 + 1, sp2, (byte) '?');
        if (qm < 0) {
            f.path.set(b, sp1 + 1, sp2);
        } else {
            f.path.set(b, sp1 + 1, qm);
            f.query.set(b, qm + 1, sp2);
        }
        f.protocol.set(b, sp2 + 1, q);
        i = q + 1;
        if (i >= end || b[i] != ' ') {
            return LineParser.Outcome.MALFORMED;
        }
        i++;
        int status = 0;
        int digits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            status = status * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits != 3 || i >= end || b[i] != ' ') {
            return LineParser.Outcome.MALFORMED;
        }
        f.status = status;
        i++;
        long bytes = 0;
        digits = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            bytes = bytes * 10 + (b[i++] - '0');
            digits++;
        }
        if (digits == 0) {
            if (i < end && b[i] == '-') {
                i++;
            } else {
                return LineParser.Outcome.MALFORMED;
            }
        } else {
            f.bytes = bytes;
        }
        for (int field = 0; field < 3 && i + 1 < end && b[i] == ' ' && b[i + 1] == '"'; field++) {
            int s = i + 2;
            int e = quoteEnd(b, s, end);
            if (e < 0) {
                return LineParser.Outcome.MALFORMED;
            }
            (field == 0 ? f.referer : field == 1 ? f.userAgent : f.forwardedFor).set(b, s, e);
            i = e + 1;
        }
        return LineParser.Outcome.EVENT;
    }

    private static int quoteEnd(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** {@code dd/Mon/yyyy:HH:mm:ss +zzzz} at {@code i} to epoch millis, or NONE. */
    private static long time(byte[] b, int i) {
        int day = num(b, i, 2);
        int month = -1;
        for (int m = 0; m < 12; m++) {
            if (b[i + 3] == MONTHS[3 * m] && b[i + 4] == MONTHS[3 * m + 1] && b[i + 5] == MONTHS[3 * m + 2]) {
                month = m + 1;
            }
        }
        int year = num(b, i + 7, 4);
        int hour = num(b, i + 12, 2);
        int min = num(b, i + 15, 2);
        int sec = num(b, i + 18, 2);
        int zone = num(b, i + 22, 4);
        if (day < 1 || month < 0 || year < 0 || hour < 0 || min < 0 || sec < 0 || zone < 0
                || (b[i + 21] != '+' && b[i + 21] != '-')) {
            return LineFields.NONE;
        }
        int zoneSeconds = (zone / 100 * 3600 + zone % 100 * 60) * (b[i + 21] == '-' ? -1 : 1);
        long days = daysFromCivil(year, month, day);
        return ((days * 86400) + hour * 3600L + min * 60L + sec - zoneSeconds) * 1000;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yoe = y - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097L + doe - 719468;
    }

    private static int num(byte[] b, int i, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int d = b[i + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }
}
