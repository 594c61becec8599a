package dev.threatip.log;

/**
 * Tencent Cloud COS (Cloud Object Storage) bucket access logs ({@code tencent-cos}), the
 * space-separated layout of "Logging Overview" (tencentcloud.com document/product/436/16920):
 * {@code eventVersion bucketName qcsRegion eventTime eventSource eventName remoteIp
 * userSecretKeyId reservedField reqBytesSent deltaDataSize reqPath reqMethod userAgent resHttpCode
 * resErrorCode resErrorMsg resBytesSent resTotalTime logSourceType storageClass accountId
 * resTurnAroundTime requester requestId objectSize versionId targetStorageClass referer
 * requestUri}, {@code -} for absent, {@code eventTime} in UTC ({@code 2018-12-01T11:02:33Z}).
 *
 * <p>The client is {@code remoteIp}, the host {@code eventSource}, the status
 * {@code resHttpCode}, the bytes {@code resBytesSent}. Method, path and query come from
 * {@code requestUri} (the documented example is the quoted request line
 * {@code "GET /fdgfdgsf%20/%E6%B5%AE HTTP/1.1"}) and fall back to {@code reqMethod} and
 * {@code reqPath} when it is absent (older logs end at {@code requester}, 24 fields); COS writes
 * {@code reqMethod} in lower case ({@code put}), so it is upper-cased like every other format's.
 * Assumed where the documentation is silent: values are URL-encoded so none holds a space
 * (the user agent is decoded once; paths and referers stay as logged), and a quoted value is
 * read whole.
 */
public final class TencentCosFormat implements LogFormat {
    @Override
    public String name() {
        return "tencent-cos";
    }

    @Override
    public LineParser newParser() {
        return new Parser();
    }

    static final class Parser implements LineParser {
        private final int[] starts = new int[48];
        private final int[] ends = new int[48];

        @Override
        public Outcome parse(byte[] b, int start, int end, LineFields out) {
            if (end > start && b[end - 1] == '\r') {
                end--;
            }
            int n = FieldBytes.splitQuoted(b, start, end, starts, ends);
            if (n < 18) {
                return Outcome.MALFORMED;
            }
            long t = EventTime.parseIso(b, starts[3], ends[3]);
            if (t == EventTime.INVALID) {
                return Outcome.MALFORMED;
            }
            out.timeMillis = t;
            FieldBytes.setPresent(out.host, b, starts[4], ends[4]);
            FieldBytes.setPresent(out.remoteAddr, b, starts[6], ends[6]);
            if (!(n >= 30 && RequestLine.split(b, starts[29], ends[29], out))) {
                out.method.clear();
                out.path.clear();
                out.query.clear();
                out.protocol.clear();
                if (ends[12] > starts[12] && !FieldBytes.isDash(b, starts[12], ends[12])) {
                    FieldBytes.setUpperCase(out.method, b, starts[12], ends[12], out);
                }
                FieldBytes.setPresent(out.path, b, starts[11], ends[11]);
            }
            int us = starts[13];
            int ue = ends[13];
            if (ue > us && !FieldBytes.isDash(b, us, ue)) {
                FieldBytes.setPercentDecoded(out.userAgent, b, us, ue, out);
            }
            out.status = FieldBytes.status(b, starts[14], ends[14]);
            out.bytes = FieldBytes.count(b, starts[17], ends[17]);
            if (n >= 29) {
                FieldBytes.setPresent(out.referer, b, starts[28], ends[28]);
            }
            return Outcome.EVENT;
        }
    }
}
