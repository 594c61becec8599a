package dev.threatip.log;

/**
 * Tencent Cloud API Gateway service logs ({@code tencent-apigw}), the layout documented in
 * "Exporting Service Logs" (tencentcloud.com document/product/628/37876):
 * <pre>
 * [$app_id][$env_name][$service_id][$http_host][$api_id][$uri][$scheme][rsp_st:$status]
 * [ups_st:$upstream_status][cip:$remote_addr][uip:$upstream_addr][vip:$server_addr]
 * [rsp_len:$bytes_sent][req_len:$request_length][req_t:$request_time]
 * [ups_rsp_t:$upstream_response_time][ups_conn_t:$upstream_connect_time]
 * [ups_head_t:$upstream_header_time][err_msg:$err_msg][tcp_rtt:$tcpinfo_rtt][$pid][$time_local]
 * [req_id:$request_id]
 * </pre>
 * The layout logs no method, query string, user agent or referer: events carry the client
 * ({@code cip}), host, path ({@code $uri}, nginx's decoded path), status, bytes and time.
 *
 * <p>{@code $uri} and {@code $http_host} are client-written and may contain {@code ][}, so
 * the fixed block is found by its labels ({@code rsp_st: ups_st: cip: uip: vip: rsp_len:}),
 * searching from the right: a forged copy inside the path lies to the left of the real one.
 * The path is everything between {@code $api_id} and {@code $scheme}. Assumed where the
 * documentation is silent: the export is a CSV file whose rows hold this text; anything before
 * the first {@code [} (a CSV quote or column) is skipped, and {@code $time_local} is nginx's
 * {@code 01/Jul/2019:11:11:00 +0800}, found just before {@code req_id:}.
 */
public final class TencentApiGatewayFormat implements LogFormat {
    @Override
    public String name() {
        return "tencent-apigw";
    }

    @Override
    public LineParser newParser() {
        return new Parser();
    }

    static final class Parser implements LineParser {
        private static final String[] BLOCK = {"rsp_st:", "ups_st:", "cip:", "uip:", "vip:", "rsp_len:"};
        private final int[] starts = new int[64];
        private final int[] ends = new int[64];

        @Override
        public Outcome parse(byte[] b, int start, int end, LineFields out) {
            if (end > start && b[end - 1] == '\r') {
                end--;
            }
            int last = FieldBytes.lastIndexOf(b, start, end, (byte) ']');
            if (last < 0) {
                return Outcome.MALFORMED;
            }
            // Text after the last bracket is CSV wrapping from the console export, not a field.
            int n = FieldBytes.splitBracketed(b, start, last + 1, starts, ends);
            int k = -1;
            for (int c = n - BLOCK.length; c >= 7; c--) {
                if (isBlock(b, c)) {
                    k = c;
                    break;
                }
            }
            if (k < 0) {
                return Outcome.MALFORMED;
            }
            FieldBytes.setPresent(out.host, b, starts[3], ends[3]);
            int pathEnd = ends[k - 2];
            if (pathEnd > starts[5]) {
                out.path.set(b, starts[5], pathEnd);
            }
            out.status = FieldBytes.status(b, starts[k] + 7, ends[k]);
            FieldBytes.setPresent(out.remoteAddr, b, starts[k + 2] + 4, ends[k + 2]);
            out.bytes = FieldBytes.count(b, starts[k + 5] + 8, ends[k + 5]);
            if (n >= 2 && FieldBytes.startsWithIgnoreCase(b, starts[n - 1], ends[n - 1], "req_id:")) {
                long t = EventTime.parseClf(b, starts[n - 2], ends[n - 2]);
                if (t != EventTime.INVALID) {
                    out.timeMillis = t;
                }
            }
            return Outcome.EVENT;
        }

        private boolean isBlock(byte[] b, int c) {
            for (int i = 0; i < BLOCK.length; i++) {
                if (!FieldBytes.startsWithIgnoreCase(b, starts[c + i], ends[c + i], BLOCK[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
