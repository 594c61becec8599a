package dev.threatip.web;

import static dev.threatip.report.VerdictJson.instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.Bouncer;
import dev.threatip.store.BouncerExistsException;
import dev.threatip.store.BouncerStore;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code GET/POST /api/v1/bouncers} and {@code DELETE /api/v1/bouncers/{name}}: the bouncer keys
 * {@code threatip bouncers} manages while {@code serve} holds the store. Adding answers the key
 * once; the store keeps only its SHA-256, so a lost key means deleting and adding the bouncer again.
 */
final class BouncerKeysApi {
    /** The largest body of an add: a name and a key. */
    static final int MAX_BODY = 4096;
    private static final Set<String> MEMBERS = Set.of("name", "key");

    private final BouncerStore bouncers;

    BouncerKeysApi(BouncerStore bouncers) {
        this.bouncers = bouncers;
    }

    /** {@code GET /api/v1/bouncers}: every bouncer, by name (never a key). */
    void list(Context ctx) {
        QueryParams.of(ctx);
        List<Bouncer> all = bouncers.list();
        ObjectNode o = WebServer.object();
        o.put("total", all.size());
        ArrayNode items = o.putArray("items");
        all.forEach(b -> items.add(json(b)));
        WebServer.json(ctx, o);
    }

    /** {@code POST /api/v1/bouncers} with {@code {"name": "fw-edge-1", "key": optional}}: 201 with the key. */
    void add(Context ctx) throws IOException {
        QueryParams.of(ctx);
        JsonNode body = body(ctx);
        String name = text(body, "name");
        if (name == null) {
            throw ApiError.badRequest("name: missing; give the bouncer a name, e.g. {\"name\": \"fw-edge-1\"}");
        }
        String key = text(body, "key");
        boolean generated = key == null;
        if (generated) {
            key = BouncerStore.newKey();
        }
        Bouncer b;
        try {
            b = bouncers.add(name, key);
        } catch (BouncerExistsException e) {
            throw new ApiError(ApiError.Code.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        ObjectNode o = json(b);
        o.put("key", key);
        o.put("key_generated", generated);
        ctx.status(201);
        WebServer.json(ctx, o);
    }

    /** {@code DELETE /api/v1/bouncers/{name}}: its key stops working at once. */
    void delete(Context ctx) {
        QueryParams.of(ctx);
        String name = ctx.pathParam("name");
        if (!bouncers.delete(name)) {
            throw ApiError.notFound("no bouncer named '" + QueryParams.clip(name) + "'");
        }
        WebServer.json(ctx, WebServer.object().put("deleted", name));
    }

    static ObjectNode json(Bouncer b) {
        ObjectNode o = WebServer.object();
        o.put("name", b.name());
        o.put("created", instant(b.created()));
        o.put("last_pull", b.lastPull() == null ? null : instant(b.lastPull()));
        o.put("last_ip", b.lastIp());
        o.put("user_agent", b.userAgent());
        o.put("cursor", b.cursor());
        return o;
    }

    private static JsonNode body(Context ctx) throws IOException {
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new ApiError(ApiError.Code.PAYLOAD_TOO_LARGE, "the body is larger than " + MAX_BODY + " bytes");
        }
        JsonNode node;
        try {
            node = VerdictJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not JSON; send {\"name\": \"fw-edge-1\"}");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object, e.g. {\"name\": \"fw-edge-1\"}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!MEMBERS.contains(f)) {
                throw ApiError.badRequest("unknown member '" + QueryParams.clip(f) + "'; a bouncer takes: key, name");
            }
        }
        return node;
    }

    private static String text(JsonNode body, String member) {
        JsonNode v = body.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(member + ": must be a string");
        }
        return v.asText();
    }
}
