package dev.threatip.log;

/**
 * What a field of a compiled {@code log_format} / {@code LogFormat} program holds, and how its
 * bytes land in {@link LineFields}. Both compilers map their variables onto these.
 */
enum FieldKind {
    /** Present in the line but not needed: user, upstream timings, ports, cookies. */
    SKIP,
    REMOTE_ADDR,
    /** {@code 10/Oct/2000:13:55:36 -0700}. */
    TIME_CLF,
    /** {@code 2000-10-10T13:55:36-07:00}. */
    TIME_ISO,
    /** Epoch seconds with fraction ({@code $msec}, {@code %{sec}t}) or milli/micro seconds. */
    TIME_EPOCH,
    /** Any form {@link EventTime#parse} reads (an Apache strftime format). */
    TIME_ANY,
    /** {@code GET /p?q HTTP/1.1}. */
    REQUEST,
    METHOD,
    /** Path with query ({@code $request_uri}). */
    REQUEST_URI,
    /** Path only ({@code $uri}, {@code %U}). */
    PATH,
    /** Query with or without a leading {@code ?} ({@code $args}, {@code %q}). */
    QUERY,
    PROTOCOL,
    STATUS,
    BYTES,
    REFERER,
    USER_AGENT,
    FORWARDED_FOR,
    REAL_IP,
    CONNECTING_IP,
    HOST;

    /**
     * Stores {@code b[from, to)} into {@code out}.
     *
     * @return false when the value cannot be what the field says (a status that is not a number)
     */
    boolean apply(byte[] b, int from, int to, LineFields out) {
        switch (this) {
            case SKIP:
                return true;
            case REMOTE_ADDR:
                LineScan.setUnlessDash(out.remoteAddr, b, from, to);
                return true;
            case TIME_CLF:
                return time(EventTime.parseClf(b, from, to), out);
            case TIME_ISO:
                return time(EventTime.parseIso(b, from, to), out);
            case TIME_EPOCH:
                return time(EventTime.parseEpoch(b, from, to), out);
            case TIME_ANY:
                return time(EventTime.parse(b, from, to), out);
            case REQUEST:
                RequestLine.split(b, from, to, out);
                return true;
            case METHOD:
                LineScan.setUnlessDash(out.method, b, from, to);
                return true;
            case REQUEST_URI:
                LineScan.target(b, from, to, out);
                return true;
            case PATH:
                LineScan.setUnlessDash(out.path, b, from, to);
                return true;
            case QUERY:
                if (to > from && b[from] == '?') {
                    from++;
                }
                LineScan.setUnlessDash(out.query, b, from, to);
                return true;
            case PROTOCOL:
                LineScan.setUnlessDash(out.protocol, b, from, to);
                return true;
            case STATUS:
                return LineScan.status(b, from, to, out);
            case BYTES:
                return LineScan.bytes(b, from, to, out);
            case REFERER:
                LineScan.setUnlessDash(out.referer, b, from, to);
                return true;
            case USER_AGENT:
                LineScan.setUnlessDash(out.userAgent, b, from, to);
                return true;
            case FORWARDED_FOR:
                LineScan.setUnlessDash(out.forwardedFor, b, from, to);
                return true;
            case REAL_IP:
                LineScan.setUnlessDash(out.realIp, b, from, to);
                return true;
            case CONNECTING_IP:
                LineScan.setUnlessDash(out.connectingIp, b, from, to);
                return true;
            case HOST:
                LineScan.setUnlessDash(out.host, b, from, to);
                return true;
            default:
                throw new AssertionError(this);
        }
    }

    private static boolean time(long t, LineFields out) {
        if (t == EventTime.INVALID) {
            return false;
        }
        out.timeMillis = t;
        return true;
    }
}
