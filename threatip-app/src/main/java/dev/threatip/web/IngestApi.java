package dev.threatip.web;

import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/ingest}: raw log lines or NDJSON records into the {@link IngestHandler}.
 * The body is read whole (at most {@value #MAX_BODY} bytes) and validated before anything is
 * handed on, so a request is either taken whole or refused whole.
 */
final class IngestApi {
    /** The largest body: 16 MiB. */
    static final int MAX_BODY = 16 << 20;
    static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-ndjson", "application/json");
    private static final String DEFAULT_SOURCE = "http";

    private final IngestHandler handler;
    private final Counter lines;

    IngestApi(IngestHandler handler, Counter lines) {
        this.handler = handler;
        this.lines = lines;
    }

    void ingest(Context ctx) throws IOException {
        QueryParams p = QueryParams.of(ctx, "source");
        String source = p.string("source");
        if (source == null) {
            source = DEFAULT_SOURCE;
        } else if (source.length() > 200 || !source.chars().allMatch(c -> c >= ' ' && c != 0x7f)) {
            throw ApiError.badRequest("source: not an input name; allowed: up to 200 characters without control characters");
        }
        if (handler == null) {
            throw new ApiError(ApiError.Code.UNAVAILABLE, "HTTP ingest is not enabled on this server");
        }
        String type = ctx.contentType();
        String mime = type == null ? "text/plain" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!CONTENT_TYPES.contains(mime)) {
            throw ApiError.badRequest("Content-Type: '" + QueryParams.clip(mime) + "' is not accepted; allowed: "
                    + String.join(", ", CONTENT_TYPES));
        }
        byte[] body = readBody(ctx);
        if (body.length == 0) {
            throw ApiError.badRequest("the body is empty; send log lines or NDJSON records");
        }
        IngestBody parsed = mime.equals("text/plain") ? IngestBody.raw(body) : IngestBody.ndjson(body);
        if (parsed.lines().isEmpty()) {
            throw ApiError.badRequest("the body has only blank lines");
        }
        int accepted;
        try {
            accepted = handler.ingest(source, parsed.json(), parsed.lines());
        } catch (IngestBusyException e) {
            long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            throw new ApiError(ApiError.Code.UNAVAILABLE, "ingest is busy: " + e.getMessage()
                    + "; retry after " + seconds + " s", seconds);
        }
        lines.labelValues("accepted").inc(accepted);
        lines.labelValues("rejected").inc(parsed.lines().size() - accepted);
        ctx.status(200);
        WebServer.json(ctx, WebServer.object().put("accepted", accepted).put("lines", parsed.lines().size()));
    }

    private static byte[] readBody(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw tooLarge();
            }
            return body;
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(ApiError.Code.PAYLOAD_TOO_LARGE, "the body is larger than " + (MAX_BODY >> 20)
                + " MiB; split it into smaller requests");
    }
}
