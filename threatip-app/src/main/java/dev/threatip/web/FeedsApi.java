package dev.threatip.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.intel.FeedReport;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.report.VerdictJson;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/feeds}: the feeds of the live snapshot's manifest, merged by name with the
 * refresher's fetch status when {@code serve} has one.
 */
final class FeedsApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final LiveReputation reputation;
    private final FeedStatusSource statuses;

    FeedsApi(LiveReputation reputation, FeedStatusSource statuses) {
        this.reputation = reputation;
        this.statuses = statuses;
    }

    void feeds(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "limit", "offset");
        int limit = p.limit(QueryParams.MAX_LIMIT);
        int offset = p.offset();
        ObjectNode o = NODES.objectNode();
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        if (reputation == null) {
            o.putNull("snapshot");
        } else {
            ReputationIndex index = reputation.current();
            boolean stale = index.isStale();
            LiveReputation.Refresh r = reputation.lastRefresh();
            ObjectNode snap = o.putObject("snapshot");
            snap.put("path", index.path().toString());
            snap.put("compiled_at", VerdictJson.instant(index.compiledAt()));
            snap.put("stale", stale);
            snap.put("last_refresh", VerdictJson.instant(r.at()));
            snap.put("last_error", r.problem());
            for (FeedReport f : index.manifest().feeds()) {
                ObjectNode feed = NODES.objectNode();
                feed.put("name", f.name());
                feed.put("source", f.source());
                feed.put("format", f.format());
                feed.put("role", f.role());
                feed.put("category", f.categories().isEmpty() ? null : f.categories().get(0));
                ArrayNode cats = feed.putArray("categories");
                f.categories().forEach(cats::add);
                feed.put("entries", f.entries());
                feed.put("bad_lines", f.badLines());
                Instant fetched = f.fetchedAt() != null ? f.fetchedAt() : index.compiledAt();
                feed.put("last_refresh", VerdictJson.instant(fetched));
                feed.put("last_error", f.refused() ? "refused: " + f.refusedWhy() : f.problem());
                feed.put("stale", stale);
                byName.put(f.name(), feed);
            }
        }
        if (statuses != null) {
            for (FeedFetchStatus s : statuses.feedStatuses()) {
                ObjectNode feed = byName.get(s.name());
                if (feed == null) {
                    // configured but not (yet) in the snapshot, e.g. its first download failed
                    feed = NODES.objectNode();
                    feed.put("name", s.name());
                    feed.put("source", s.source());
                    feed.putNull("format");
                    feed.putNull("role");
                    feed.putNull("category");
                    feed.putArray("categories");
                    feed.put("entries", 0);
                    feed.put("bad_lines", 0);
                    feed.put("last_refresh", (String) null);
                    feed.put("last_error", (String) null);
                    feed.put("stale", false);
                    byName.put(s.name(), feed);
                }
                if (s.source() != null) {
                    feed.put("source", s.source());
                }
                if (s.lastRefresh() != null) {
                    feed.put("last_refresh", VerdictJson.instant(s.lastRefresh()));
                }
                if (s.lastError() != null) {
                    feed.put("last_error", s.lastError());
                }
                feed.put("stale", feed.get("stale").asBoolean() || s.stale());
            }
        }
        List<ObjectNode> all = new ArrayList<>(byName.values());
        o.put("total", all.size());
        ArrayNode items = o.putArray("items");
        all.stream().skip(offset).limit(limit).forEach(items::add);
        WebServer.json(ctx, o);
    }
}
