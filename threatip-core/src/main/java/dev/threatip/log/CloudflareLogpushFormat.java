package dev.threatip.log;

/**
 * Cloudflare Logpush {@code http_requests} NDJSON ({@code cloudflare}). {@code ClientIP} is the
 * address Cloudflare's edge saw, i.e. the client, so it is the remote address. Time is
 * {@code EdgeStartTimestamp} in any of Logpush's {@code timestamp_format}s: {@code unixnano}
 * (the default), {@code unix} seconds or {@code rfc3339}. The request target is
 * {@code ClientRequestURI} (path and query), else {@code ClientRequestPath} and
 * {@code ClientRequestQuery}.
 */
public final class CloudflareLogpushFormat implements LogFormat {
    private static final CloudflareLogpushFormat INSTANCE = new CloudflareLogpushFormat();

    private final JsonFieldMap map = new JsonFieldMap()
            .add("ClientIP", JsonFieldMap.REMOTE)
            .add("ClientRequestHost", JsonFieldMap.HOST)
            .add("ClientRequestMethod", JsonFieldMap.METHOD)
            .add("ClientRequestURI", JsonFieldMap.URI)
            .add("ClientRequestPath", JsonFieldMap.PATH)
            .add("ClientRequestQuery", JsonFieldMap.QUERY)
            .add("ClientRequestProtocol", JsonFieldMap.PROTOCOL)
            .add("ClientRequestUserAgent", JsonFieldMap.USER_AGENT)
            .add("ClientRequestReferer", JsonFieldMap.REFERER)
            .add("EdgeResponseStatus", JsonFieldMap.STATUS)
            .add("EdgeResponseBytes", JsonFieldMap.BYTES)
            .add("EdgeStartTimestamp", JsonFieldMap.TIME)
            .seal();

    private CloudflareLogpushFormat() {
    }

    /** The {@code cloudflare} format. */
    public static CloudflareLogpushFormat instance() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "cloudflare";
    }

    @Override
    public LineParser newParser() {
        return new JsonLineParser(map);
    }

    @Override
    public String toString() {
        return "cloudflare";
    }
}
