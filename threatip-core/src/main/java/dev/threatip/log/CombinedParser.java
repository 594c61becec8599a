package dev.threatip.log;

/**
 * Hand-written parser of {@link CombinedFormat}: one left-to-right pass, slices only. Quoted
 * fields end where the compiled {@code log_format} program of the same layout would end them
 * ({@code "} followed by a space, {@code " "} between referer and agent, {@code "} at a space or
 * the line's end for the last one), so both give the same fields on the same lines.
 */
final class CombinedParser implements LineParser {
    private static final byte[] QUOTE_SPACE = {'"', ' '};
    private static final byte[] QUOTE_SPACE_QUOTE = {'"', ' ', '"'};
    private static final byte[] QUOTE = {'"'};

    // Consecutive lines mostly share their second: the last time text parsed, to skip re-parsing.
    private final byte[] lastTime = new byte[40];
    private int lastTimeLength = -1;
    private long lastTimeMillis;

    private long time(byte[] b, int from, int to) {
        int n = to - from;
        if (n == lastTimeLength && java.util.Arrays.equals(lastTime, 0, n, b, from, to)) {
            return lastTimeMillis;
        }
        long t = EventTime.parseClf(b, from, to);
        if (t != EventTime.INVALID && n <= lastTime.length) {
            System.arraycopy(b, from, lastTime, 0, n);
            lastTimeLength = n;
            lastTimeMillis = t;
        }
        return t;
    }

    @Override
    public Outcome parse(byte[] b, int start, int end, LineFields out) {
        int t1End = LineScan.indexOf(b, start, end, (byte) ' ');
        if (t1End == start || t1End >= end) {
            return Outcome.MALFORMED;
        }
        int t2End = LineScan.indexOf(b, t1End + 1, end, (byte) ' ');
        if (t2End >= end) {
            return Outcome.MALFORMED;
        }
        int addrEnd = t1End;
        if (LineScan.looksLikeIp(b, t1End + 1, t2End)
                && (containsColon(b, start, t1End) || !LineScan.looksLikeIp(b, start, t1End))) {
            // A virtual host first (Apache's vhost_combined "%v:%p %h ..." or "%v %h ..."), then the client.
            int hostEnd = t1End;
            if (containsColon(b, start, t1End)) {
                hostEnd = t1End - 1;
                while (b[hostEnd] != ':') {
                    hostEnd--;
                }
            }
            LineScan.setUnlessDash(out.host, b, start, hostEnd);
            out.remoteAddr.set(b, t1End + 1, t2End);
            addrEnd = t2End;
        } else {
            LineScan.setUnlessDash(out.remoteAddr, b, start, t1End);
        }
        // Ident and user: whatever lies before the bracketed time.
        int open = LineScan.indexOf(b, addrEnd, end, (byte) '[');
        int close = LineScan.indexOf(b, open, end, (byte) ']');
        if (close >= end) {
            return Outcome.MALFORMED;
        }
        long t = time(b, open + 1, close);
        if (t == EventTime.INVALID) {
            return Outcome.MALFORMED;
        }
        out.timeMillis = t;
        int i = close + 1;
        if (i + 1 >= end || b[i] != ' ' || b[i + 1] != '"') {
            return Outcome.MALFORMED;
        }
        int reqStart = i + 2;
        int reqEnd = LineScan.findLiteral(b, reqStart, end, QUOTE_SPACE, true, false);
        if (reqEnd < 0) {
            return Outcome.MALFORMED;
        }
        RequestLine.split(b, reqStart, reqEnd, out);
        i = reqEnd + 2;
        int statusEnd = LineScan.indexOf(b, i, end, (byte) ' ');
        if (!LineScan.status(b, i, statusEnd, out)) {
            return Outcome.MALFORMED;
        }
        if (statusEnd >= end) {
            return Outcome.MALFORMED;
        }
        i = statusEnd + 1;
        int bytesEnd = LineScan.indexOf(b, i, end, (byte) ' ');
        if (!LineScan.bytes(b, i, bytesEnd, out)) {
            return Outcome.MALFORMED;
        }
        i = bytesEnd;
        // combined: ` "referer" "agent"`; common stops here.
        if (i + 1 < end && b[i + 1] == '"') {
            int refStart = i + 2;
            int refEnd = LineScan.findLiteral(b, refStart, end, QUOTE_SPACE_QUOTE, true, false);
            if (refEnd >= 0) {
                LineScan.setUnlessDash(out.referer, b, refStart, refEnd);
                int uaStart = refEnd + 3;
                int uaEnd = LineScan.findLiteral(b, uaStart, end, QUOTE, true, true);
                if (uaEnd < 0) {
                    // Truncated writes lose the closing quote (seen in real Apache logs); everything
                    // that identifies the request is already parsed, so keep the event.
                    LineScan.setUnlessDash(out.userAgent, b, uaStart, end);
                    return Outcome.EVENT;
                }
                LineScan.setUnlessDash(out.userAgent, b, uaStart, uaEnd);
                i = uaEnd + 1;
            }
        }
        trailing(b, i, end, out);
        return Outcome.EVENT;
    }

    /** Extra fields after the standard ones: the first quoted one is X-Forwarded-For, the rest are skipped. */
    private static void trailing(byte[] b, int i, int end, LineFields out) {
        boolean xffSeen = false;
        while (i < end) {
            if (b[i] == ' ') {
                i++;
            } else if (b[i] == '"') {
                int close = LineScan.findLiteral(b, i + 1, end, QUOTE, true, true);
                if (close < 0) {
                    return;
                }
                if (!xffSeen) {
                    LineScan.setUnlessDash(out.forwardedFor, b, i + 1, close);
                    xffSeen = true;
                }
                i = close + 1;
            } else {
                i = LineScan.indexOf(b, i, end, (byte) ' ');
            }
        }
    }

    private static boolean containsColon(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return true;
            }
        }
        return false;
    }
}
