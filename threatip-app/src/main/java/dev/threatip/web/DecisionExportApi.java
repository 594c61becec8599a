package dev.threatip.web;

import dev.threatip.block.ExportOptions;
import dev.threatip.block.ExportResult;
import dev.threatip.block.Exporter;
import dev.threatip.store.DecisionStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/decisions/export?format=F[&limit=N][&bans_only=true][&name=NAME]}: the
 * decisions in force now, in the format of an enforcement point ({@link Exporter}). The body is
 * the file itself, with its content type and a {@code Content-Disposition} file name; what the
 * export left out is in the headers, for the formats (JSON ones) that cannot say it in the file:
 * {@value #EXPORTED}, {@value #LEFT_OUT} (a count), {@value #LEFT_OUT_BY_REASON}
 * ({@code capacity=3, type=2}) and {@value #SUMMARY} (one line). A read-only token suffices.
 */
final class DecisionExportApi {
    static final String EXPORTED = "X-Threatip-Exported";
    static final String LEFT_OUT = "X-Threatip-Left-Out";
    static final String LEFT_OUT_BY_REASON = "X-Threatip-Left-Out-By-Reason";
    static final String SUMMARY = "X-Threatip-Summary";
    private static final List<String> BOOLEANS = List.of("true", "false");

    private final DecisionStore store;
    private final Clock clock;

    DecisionExportApi(DecisionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    void export(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "format", "limit", "bans_only", "name");
        String format = p.string("format");
        if (format == null) {
            throw ApiError.badRequest("format: missing; one of: " + String.join(", ", Exporter.targets()));
        }
        if (!Exporter.targets().contains(format)) {
            throw ApiError.badRequest("format: unknown format '" + QueryParams.clip(format) + "'; known: "
                    + String.join(", ", Exporter.targets()));
        }
        Exporter exporter = Exporter.forTarget(format);
        int limit = p.integer("limit", 0, 1, Integer.MAX_VALUE);
        boolean bansOnly = "true".equals(p.oneOf("bans_only", BOOLEANS));
        Instant now = clock.instant();
        ExportOptions options = ExportOptions.at(now).withLimit(limit).withBansOnly(bansOnly);
        String name = p.string("name");
        if (name != null) {
            try {
                options = options.withName(name);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("name: " + QueryParams.clip(e.getMessage()));
            }
        }
        ExportResult r = exporter.export(store.active(now), options);
        ctx.header("Content-Disposition", "attachment; filename=\"" + r.fileName() + "\"");
        ctx.header(EXPORTED, Integer.toString(r.exported()));
        ctx.header(LEFT_OUT, Integer.toString(r.leftOut().size()));
        ctx.header(LEFT_OUT_BY_REASON, r.leftOutCounts().entrySet().stream()
                .map(e -> e.getKey().wireName() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        ctx.header(SUMMARY, r.summary());
        ctx.contentType(r.mediaType()).result(r.content());
    }
}
