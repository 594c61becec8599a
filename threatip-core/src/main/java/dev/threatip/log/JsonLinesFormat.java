package dev.threatip.log;

/**
 * JSON lines ({@code json}): one object per line, as nginx {@code escape=json}, Caddy, Traefik,
 * ECS shippers and custom apps write them. Members are found by name, first candidate present
 * wins; a dotted path ({@code client.ip}) reaches into nested objects or matches a flat member of
 * that name. Tencent Cloud EdgeOne offline logs and CDN real-time logs are JSON lines whose members
 * are among the candidates. Default candidates:
 * <table>
 *   <caption>member candidates per field</caption>
 *   <tr><td>address</td><td>{@code remote_addr client_ip clientip ClientIP ip src_ip client.ip source.ip
 *       remoteAddr c-ip remote_ip request.remote_ip request.client_ip ClientHost}</td></tr>
 *   <tr><td>time</td><td>{@code time timestamp @timestamp time_local time_iso8601 ts EdgeStartTimestamp
 *       date StartUTC msec RequestTime} (ISO-8601, CLF or epoch s/ms/µs/ns)</td></tr>
 *   <tr><td>method</td><td>{@code method request_method http_method verb http.request.method request.method
 *       RequestMethod ClientRequestMethod}</td></tr>
 *   <tr><td>path + query</td><td>{@code uri request_uri url url.original request.uri ClientRequestURI}
 *       (split at {@code ?}); path only: {@code path url.path RequestPath RequestUrl}; query: {@code query
 *       args query_string url.query RequestUrlQueryString param}; a whole request line: {@code request}</td></tr>
 *   <tr><td>status, bytes</td><td>{@code status status_code response http.response.status_code
 *       DownstreamStatus EdgeResponseStatus EdgeResponseStatusCode http_code}; {@code bytes body_bytes_sent
 *       bytes_sent size http.response.body.bytes DownstreamContentSize EdgeResponseBytes rsp_size}</td></tr>
 *   <tr><td>agent, referer, host</td><td>{@code user_agent http_user_agent userAgent user_agent.original
 *       agent ua RequestUA}; {@code referer http_referer referrer http.request.referrer RequestReferer};
 *       {@code host http_host
 *       server_name url.domain request.host RequestHost}</td></tr>
 *   <tr><td>headers</td><td>{@code x_forwarded_for http_x_forwarded_for xff}, {@code x_real_ip
 *       http_x_real_ip}, {@code cf_connecting_ip http_cf_connecting_ip true_client_ip}</td></tr>
 * </table>
 * A line of {@code threatip gate}'s hit log also carries the policy decision: {@code rule},
 * {@code category}, {@code confidence}, {@code action}, {@code request_id} and {@code enforced} fill
 * {@link LineFields#hitAction} and its siblings when the line has an {@code action} member (sliced
 * in place like every other member; nothing is allocated for them).
 * An {@code ipField} given by the user replaces the address candidates. Strings with escapes
 * are decoded; a member of {@code -} or {@code ""} is absent; a time that cannot be read leaves
 * the event without time rather than dropping it.
 */
public final class JsonLinesFormat implements LogFormat {
    private static final JsonLinesFormat DEFAULTS = new JsonLinesFormat(null);

    private final JsonFieldMap map;
    private final String ipField;

    private JsonLinesFormat(String ipField) {
        this.ipField = ipField;
        JsonFieldMap m = new JsonFieldMap();
        if (ipField != null) {
            m.add(ipField, JsonFieldMap.REMOTE);
        } else {
            candidates(m, JsonFieldMap.REMOTE, "remote_addr", "client_ip", "clientip", "ClientIP", "ip", "src_ip",
                    "client.ip", "source.ip", "remoteAddr", "c-ip", "remote_ip", "request.remote_ip",
                    "request.client_ip", "ClientHost");
        }
        candidates(m, JsonFieldMap.XFF, "x_forwarded_for", "http_x_forwarded_for", "xff", "request_X-Forwarded-For");
        candidates(m, JsonFieldMap.REAL_IP, "x_real_ip", "http_x_real_ip");
        candidates(m, JsonFieldMap.CONNECTING_IP, "cf_connecting_ip", "http_cf_connecting_ip", "true_client_ip");
        candidates(m, JsonFieldMap.TIME, "time", "timestamp", "@timestamp", "time_local", "time_iso8601", "ts",
                "EdgeStartTimestamp", "date", "StartUTC", "msec", "RequestTime");
        candidates(m, JsonFieldMap.METHOD, "method", "request_method", "http_method", "verb", "http.request.method",
                "request.method", "RequestMethod", "ClientRequestMethod");
        candidates(m, JsonFieldMap.URI, "uri", "request_uri", "url", "url.original", "request.uri", "ClientRequestURI");
        candidates(m, JsonFieldMap.PATH, "path", "url.path", "RequestPath", "RequestUrl");
        candidates(m, JsonFieldMap.QUERY, "query", "args", "query_string", "url.query", "RequestUrlQueryString", "param");
        candidates(m, JsonFieldMap.REQUEST, "request");
        candidates(m, JsonFieldMap.PROTOCOL, "protocol", "server_protocol", "http_version", "request.proto",
                "RequestProtocol");
        candidates(m, JsonFieldMap.STATUS, "status", "status_code", "response", "http.response.status_code",
                "DownstreamStatus", "EdgeResponseStatus", "EdgeResponseStatusCode", "http_code");
        candidates(m, JsonFieldMap.BYTES, "bytes", "body_bytes_sent", "bytes_sent", "size", "http.response.body.bytes",
                "DownstreamContentSize", "EdgeResponseBytes", "rsp_size");
        candidates(m, JsonFieldMap.USER_AGENT, "user_agent", "http_user_agent", "userAgent", "user_agent.original",
                "agent", "ua", "request_User-Agent", "RequestUA");
        candidates(m, JsonFieldMap.REFERER, "referer", "http_referer", "referrer", "http.request.referrer",
                "request_Referer", "RequestReferer");
        candidates(m, JsonFieldMap.HOST, "host", "http_host", "server_name", "url.domain", "request.host",
                "RequestHost");
        // threatip gate's hit log: only its own member names, so an app log's "action" costs a probe, nothing more
        candidates(m, JsonFieldMap.HIT_RULE, "rule");
        candidates(m, JsonFieldMap.HIT_CATEGORY, "category");
        candidates(m, JsonFieldMap.HIT_CONFIDENCE, "confidence");
        candidates(m, JsonFieldMap.HIT_ACTION, "action");
        candidates(m, JsonFieldMap.HIT_REQUEST_ID, "request_id");
        candidates(m, JsonFieldMap.HIT_ENFORCED, "enforced");
        this.map = m.seal();
    }

    /** The {@code json} format with the default member candidates. */
    public static JsonLinesFormat defaults() {
        return DEFAULTS;
    }

    /**
     * The {@code json} format taking the client address from one member ({@code --ip-field}).
     *
     * @param ipField a member name or dotted path, e.g. {@code client.ip}
     * @throws IllegalArgumentException when the path is empty or has an empty segment
     */
    public static JsonLinesFormat withIpField(String ipField) {
        return new JsonLinesFormat(ipField);
    }

    @Override
    public String name() {
        return "json";
    }

    @Override
    public LineParser newParser() {
        return new JsonLineParser(map);
    }

    @Override
    public String toString() {
        return ipField == null ? "json" : "json(ip-field=" + ipField + ")";
    }

    private static void candidates(JsonFieldMap m, int target, String... paths) {
        for (String p : paths) {
            m.add(p, target);
        }
    }
}
