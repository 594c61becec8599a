package dev.threatip.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.AlertOutbox;
import dev.threatip.store.Page;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/alerts}: the alert outbox, newest first — what was delivered, what is still
 * owed (with its attempts, next attempt and last error) and what failed for good.
 */
final class AlertsApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final AlertOutbox outbox;

    AlertsApi(AlertOutbox outbox) {
        this.outbox = outbox;
    }

    void list(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "state", "policy", "channel", "limit", "offset");
        String stateText = p.string("state");
        AlertOutbox.State state = null;
        if (stateText != null) {
            try {
                state = AlertOutbox.State.fromWire(stateText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("state: '" + QueryParams.clip(stateText) + "' is not an outbox state; allowed: "
                        + "pending, delivered, failed");
            }
        }
        Page<AlertOutbox.Entry> page = outbox.list(state, p.string("policy"), p.string("channel"), p.limit(), p.offset());
        ObjectNode o = NODES.objectNode();
        o.put("total", page.total());
        ArrayNode items = o.putArray("items");
        for (AlertOutbox.Entry e : page.items()) {
            ObjectNode n = items.addObject();
            n.put("id", e.id());
            n.put("policy", e.policy());
            n.put("channel", e.channel());
            n.put("state", e.state().wireName());
            n.put("created", VerdictJson.instant(e.created()));
            n.put("attempts", e.attempts());
            n.put("next_attempt", VerdictJson.instant(e.nextAttempt()));
            n.put("delivered_at", VerdictJson.instant(e.deliveredAt()));
            n.put("last_error", e.lastError());
            try {
                n.set("alert", VerdictJson.MAPPER.readTree(e.payload()));
            } catch (JsonProcessingException bad) {
                n.putNull("alert");
            }
        }
        WebServer.json(ctx, o);
    }
}
