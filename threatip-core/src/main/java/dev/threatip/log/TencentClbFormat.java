package dev.threatip.log;

/**
 * Tencent Cloud CLB (Cloud Load Balancer) layer-7 access logs ({@code tencent-clb}), the
 * bracketed nginx-style layout documented in "Storing Access Logs in COS" (tencentcloud.com
 * document/product/214/10329) and used for CLS-stored logs in their raw form:
 * <pre>
 * [$stgw_request_id] [$time_local] [$protocol_type] [$server_addr:$server_port] [$server_name]
 * [$remote_addr:$remote_port] [$status] [$upstream_status] [$proxy_host] [$request]
 * [$request_length] [$bytes_sent] [$http_host] [$http_user_agent] [$http_referer] [$request_time]
 * [$upstream_response_time] [$upstream_connect_time] [$upstream_header_time] [$tcpinfo_rtt]
 * [$connection] [$connection_requests] [$ssl_handshake_time] [$ssl_cipher] [$ssl_protocol]
 * [$ssl_session_reused] ...
 * </pre>
 * Fields are taken by position through {@code $http_referer}; later ones (the list has grown,
 * e.g. {@code $vip_vpcid}, {@code $uri}, {@code $server_protocol}) are tolerated and ignored.
 * {@code $time_local} is {@code 01/Jul/2019:11:11:00 +0800}; {@code $remote_addr:$remote_port}
 * gives the client; {@code $bytes_sent} the bytes.
 *
 * <p>Assumed where the documentation is silent: values are written as-is between brackets, with
 * one space between fields (the documented list once shows {@code ][} without a space; both are
 * read), and a value ends at a {@code ]} followed by {@code [} or the line end. A request line or
 * user agent containing {@code "] ["} therefore shifts the fields after it — but the client
 * address and status come before any client-written field, so a forged request cannot move them.
 */
public final class TencentClbFormat implements LogFormat {
    @Override
    public String name() {
        return "tencent-clb";
    }

    @Override
    public LineParser newParser() {
        return new Parser();
    }

    static final class Parser implements LineParser {
        private final int[] starts = new int[40];
        private final int[] ends = new int[40];

        @Override
        public Outcome parse(byte[] b, int start, int end, LineFields out) {
            if (end > start && b[end - 1] == '\r') {
                end--;
            }
            int n = FieldBytes.splitBracketed(b, start, end, starts, ends);
            if (n < 15) {
                return Outcome.MALFORMED;
            }
            long t = EventTime.parseClf(b, starts[1], ends[1]);
            if (t == EventTime.INVALID) {
                return Outcome.MALFORMED;
            }
            out.timeMillis = t;
            FieldBytes.setAddressOfHostPort(out.remoteAddr, b, starts[5], ends[5]);
            out.status = FieldBytes.status(b, starts[6], ends[6]);
            if (RequestLine.split(b, starts[9], ends[9], out)) {
                FieldBytes.splitAbsoluteTarget(out);
            }
            out.bytes = FieldBytes.count(b, starts[11], ends[11]);
            FieldBytes.setPresent(out.host, b, starts[12], ends[12]);
            FieldBytes.setPresent(out.userAgent, b, starts[13], ends[13]);
            FieldBytes.setPresent(out.referer, b, starts[14], ends[14]);
            return Outcome.EVENT;
        }
    }
}
