package dev.threatip.log;

/**
 * AWS Elastic Load Balancing access logs ({@code aws-alb}), the three layouts AWS documents
 * ("Access logs for your Application Load Balancer", "... Classic Load Balancer", "... Network
 * Load Balancer"), told apart by the first field of each line:
 * <ul>
 *   <li>Application Load Balancer — {@code type} is {@code http}, {@code https}, {@code h2},
 *       {@code grpcs}, {@code ws} or {@code wss}: {@code type time elb client:port target:port
 *       request_processing_time target_processing_time response_processing_time elb_status_code
 *       target_status_code received_bytes sent_bytes "request" "user_agent" ssl_cipher
 *       ssl_protocol target_group_arn "trace_id" "domain_name" ...}. Fields AWS appends later
 *       ({@code classification}, {@code conn_trace_id}, ...) are tolerated and ignored.</li>
 *   <li>Classic Load Balancer — the line starts with the ISO time: {@code time elb client:port
 *       backend:port request_processing_time backend_processing_time response_processing_time
 *       elb_status_code backend_status_code received_bytes sent_bytes "request" "user_agent"
 *       ssl_cipher ssl_protocol}.</li>
 *   <li>Network Load Balancer TLS listener — {@code tls 2.0 time elb listener client:port
 *       destination:port ...}. These record TLS connections, not HTTP requests, yet the client
 *       did connect: they are {@link LineParser.Outcome#EVENT}s with the client address and time
 *       only (no method, path or status), so intel matching sees them and request rules do not.</li>
 * </ul>
 * The status is the load balancer's ({@code elb_status_code}), the bytes {@code sent_bytes}. The
 * request is logged in absolute form ({@code GET https://host:443/p?q HTTP/1.1}): the host comes
 * from its authority (without port), the path and query from the rest. A request the balancer
 * could not parse is logged as {@code "- http://host:80- -"} and gives no method or path. The
 * client is {@code ip:port}; IPv6 clients are logged without brackets, so the port is whatever
 * follows the last colon ({@code [v6]:port} is read too).
 */
public final class AwsAlbFormat implements LogFormat {
    @Override
    public String name() {
        return "aws-alb";
    }

    @Override
    public LineParser newParser() {
        return new Parser();
    }

    /** One pass splits the line into up to {@link #MAX_TOKENS} tokens, quoted ones without their quotes. */
    static final class Parser implements LineParser {
        private static final int MAX_TOKENS = 48;
        private final int[] starts = new int[MAX_TOKENS];
        private final int[] ends = new int[MAX_TOKENS];

        @Override
        public Outcome parse(byte[] b, int start, int end, LineFields out) {
            if (end > start && b[end - 1] == '\r') {
                end--;
            }
            int n = FieldBytes.splitQuoted(b, start, end, starts, ends);
            if (n < 6) {
                return Outcome.MALFORMED;
            }
            int s0 = starts[0];
            int e0 = ends[0];
            if (isAlbType(b, s0, e0)) {
                return n >= 14 ? http(b, 1, 3, 8, 11, 12, 13, out) : Outcome.MALFORMED;
            }
            if (FieldBytes.equalsIgnoreCase(b, s0, e0, "tls")) {
                long t = EventTime.parseIso(b, starts[2], ends[2]);
                if (t == EventTime.INVALID) {
                    return Outcome.MALFORMED;
                }
                out.timeMillis = t;
                FieldBytes.setAddressOfHostPort(out.remoteAddr, b, starts[5], ends[5]);
                return Outcome.EVENT;
            }
            if (e0 - s0 >= 19 && b[s0] >= '0' && b[s0] <= '9' && b[s0 + 4] == '-') {
                return n >= 13 ? http(b, 0, 2, 7, 10, 11, 12, out) : Outcome.MALFORMED;
            }
            return Outcome.MALFORMED;
        }

        private Outcome http(byte[] b, int time, int client, int status, int bytes, int request, int agent,
                             LineFields out) {
            long t = EventTime.parseIso(b, starts[time], ends[time]);
            if (t == EventTime.INVALID) {
                return Outcome.MALFORMED;
            }
            out.timeMillis = t;
            FieldBytes.setAddressOfHostPort(out.remoteAddr, b, starts[client], ends[client]);
            out.status = FieldBytes.status(b, starts[status], ends[status]);
            out.bytes = FieldBytes.count(b, starts[bytes], ends[bytes]);
            int rs = starts[request];
            int re = ends[request];
            if (RequestLine.split(b, rs, re, out)) {
                if (FieldBytes.isDash(b, out.method.start(), out.method.end())) {
                    out.method.clear();
                    out.path.clear();
                    out.query.clear();
                    out.protocol.clear();
                } else {
                    FieldBytes.splitAbsoluteTarget(out);
                }
            }
            FieldBytes.setPresent(out.userAgent, b, starts[agent], ends[agent]);
            return Outcome.EVENT;
        }

        private static boolean isAlbType(byte[] b, int s, int e) {
            return FieldBytes.equalsIgnoreCase(b, s, e, "http") || FieldBytes.equalsIgnoreCase(b, s, e, "https")
                    || FieldBytes.equalsIgnoreCase(b, s, e, "h2") || FieldBytes.equalsIgnoreCase(b, s, e, "grpcs")
                    || FieldBytes.equalsIgnoreCase(b, s, e, "ws") || FieldBytes.equalsIgnoreCase(b, s, e, "wss");
        }
    }
}
