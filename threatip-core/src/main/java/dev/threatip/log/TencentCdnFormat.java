package dev.threatip.log;

/**
 * Tencent Cloud CDN offline (downloaded) access logs ({@code tencent-cdn}), the 16 fields that
 * "Log Service" (tencentcloud.com document/product/228/6316) lists left to right: request time,
 * client IP, domain name, request path, bytes (file plus header), province, ISP, HTTP status,
 * referer, response time (ms), user agent, range, HTTP method, HTTP protocol identifier,
 * cache hit/miss, client port. Older packages end at hit/miss (15 fields); both are read.
 *
 * <p>The documentation shows sample lines only as images, so the following is assumed: fields
 * are space-separated; the request time is {@code yyyyMMddHHmmss} in Beijing time (UTC+8, the
 * zone the console and package names use) — a 10-digit epoch is read too; the user agent and the
 * range may be double-quoted, and when they are not, the fields after the referer are anchored
 * from the line's end so a user agent with spaces still lands whole. A path holding {@code ?} is
 * split into path and query.
 */
public final class TencentCdnFormat implements LogFormat {
    @Override
    public String name() {
        return "tencent-cdn";
    }

    @Override
    public LineParser newParser() {
        return new Parser();
    }

    static final class Parser implements LineParser {
        private static final byte[] BEIJING = {'+', '0', '8', ':', '0', '0'};
        private final int[] starts = new int[64];
        private final int[] ends = new int[64];

        @Override
        public Outcome parse(byte[] b, int start, int end, LineFields out) {
            if (end > start && b[end - 1] == '\r') {
                end--;
            }
            int n = FieldBytes.splitQuoted(b, start, end, starts, ends);
            if (n < 15) {
                return Outcome.MALFORMED;
            }
            long t = time(b, starts[0], ends[0], out);
            if (t == EventTime.INVALID) {
                return Outcome.MALFORMED;
            }
            out.timeMillis = t;
            FieldBytes.setPresent(out.remoteAddr, b, starts[1], ends[1]);
            FieldBytes.setPresent(out.host, b, starts[2], ends[2]);
            int ps = starts[3];
            int pe = ends[3];
            int q = FieldBytes.indexOf(b, ps, pe, (byte) '?');
            out.path.set(b, ps, q < 0 ? pe : q);
            if (q >= 0) {
                out.query.set(b, q + 1, pe);
            }
            out.bytes = FieldBytes.count(b, starts[4], ends[4]);
            out.status = FieldBytes.status(b, starts[7], ends[7]);
            FieldBytes.setPresent(out.referer, b, starts[8], ends[8]);
            int cache = isCacheState(b, starts[n - 1], ends[n - 1]) ? n - 1 : n - 2;
            int range = cache - 3;
            if (range < 11) {
                return Outcome.MALFORMED;
            }
            int uaEnd = ends[range - 1];
            if (uaEnd > starts[10] && !FieldBytes.isDash(b, starts[10], uaEnd)) {
                out.userAgent.set(b, starts[10], uaEnd);
            }
            FieldBytes.setPresent(out.method, b, starts[cache - 2], ends[cache - 2]);
            FieldBytes.setPresent(out.protocol, b, starts[cache - 1], ends[cache - 1]);
            return Outcome.EVENT;
        }

        private static boolean isCacheState(byte[] b, int s, int e) {
            return FieldBytes.equalsIgnoreCase(b, s, e, "hit") || FieldBytes.equalsIgnoreCase(b, s, e, "miss");
        }

        /** {@code yyyyMMddHHmmss} (UTC+8) rewritten into scratch as ISO-8601 for {@link EventTime#parseIso}, or epoch seconds. */
        private static long time(byte[] b, int s, int e, LineFields out) {
            if (e - s != 14) {
                return e - s == 10 ? EventTime.parseEpoch(b, s, e) : EventTime.INVALID;
            }
            int at = out.reserveScratch(25);
            byte[] d = out.scratch();
            System.arraycopy(b, s, d, at, 4);
            d[at + 4] = '-';
            System.arraycopy(b, s + 4, d, at + 5, 2);
            d[at + 7] = '-';
            System.arraycopy(b, s + 6, d, at + 8, 2);
            d[at + 10] = 'T';
            System.arraycopy(b, s + 8, d, at + 11, 2);
            d[at + 13] = ':';
            System.arraycopy(b, s + 10, d, at + 14, 2);
            d[at + 16] = ':';
            System.arraycopy(b, s + 12, d, at + 17, 2);
            System.arraycopy(BEIJING, 0, d, at + 19, BEIJING.length);
            return EventTime.parseIso(d, at, at + 25);
        }
    }
}
