package dev.threatip.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionRefusedException;
import dev.threatip.block.DecisionType;
import dev.threatip.block.ManualDecisions;
import dev.threatip.intel.DurationText;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.DecisionFilter;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.Page;
import dev.threatip.store.StoredDecision;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code GET/POST/DELETE /api/v1/decisions}: list decisions, make manual ones (one object) or
 * import many (an array), delete one by id, or "allow" an address (delete what holds it and
 * exempt it for a while). Every new decision goes through the guard rails of {@link ManualDecisions}.
 */
final class DecisionsApi {
    /** Most decisions one import request may carry. */
    static final int MAX_IMPORT = 100_000;
    private static final Set<String> FIELDS = Set.of("scope", "type", "duration", "reason", "force");
    private static final List<String> BOOLEANS = List.of("true", "false");

    private final DecisionStore store;
    private final ManualDecisions manual;
    private final Clock clock;

    DecisionsApi(DecisionStore store, ManualDecisions manual, Clock clock) {
        this.store = store;
        this.manual = manual;
        this.clock = clock;
    }

    void list(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "ip", "type", "origin", "active", "simulated", "limit", "offset");
        IpAddress ip = null;
        String ipText = p.string("ip");
        if (ipText != null) {
            try {
                ip = IpAddress.parse(ipText);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("ip: '" + QueryParams.clip(ipText) + "' is not an IPv4 or IPv6 address");
            }
        }
        String type = p.oneOf("type", List.of("ban", "captcha"));
        String origin = p.oneOf("origin", List.of("auto", "manual", "import"));
        String active = p.oneOf("active", BOOLEANS);
        String simulated = p.oneOf("simulated", BOOLEANS);
        DecisionFilter f = new DecisionFilter(ip, type == null ? null : DecisionType.fromWire(type),
                origin == null ? null : DecisionOrigin.fromWire(origin), active == null ? null : Boolean.valueOf(active),
                simulated == null ? null : Boolean.valueOf(simulated));
        Instant now = clock.instant();
        Page<StoredDecision> page = store.list(f, now, p.limit(), p.offset());
        ObjectNode o = WebServer.object();
        o.put("total", page.total());
        ArrayNode items = o.putArray("items");
        page.items().forEach(s -> items.add(json(s, now)));
        WebServer.json(ctx, o);
    }

    void add(Context ctx) {
        QueryParams.of(ctx);
        JsonNode body;
        try {
            body = VerdictJson.MAPPER.readTree(ctx.bodyAsBytes());
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("the body is not valid JSON: " + QueryParams.clip(String.valueOf(e.getMessage())));
        }
        if (body != null && body.isObject()) {
            ManualDecisions.Request r = request(body, "");
            Decision d;
            try {
                d = manual.add(r);
            } catch (DecisionRefusedException e) {
                throw new ApiError(ApiError.Code.REFUSED, e.getMessage());
            }
            ctx.status(201);
            WebServer.json(ctx, json(new StoredDecision(d, false, null), clock.instant()));
            return;
        }
        if (body == null || !body.isArray()) {
            throw ApiError.badRequest("the body must be one decision {scope, type, duration, reason, force} "
                    + "or an array of them (an import)");
        }
        if (body.size() > MAX_IMPORT) {
            throw ApiError.badRequest("an import carries at most " + MAX_IMPORT + " decisions; this one " + body.size());
        }
        List<ManualDecisions.Request> requests = new ArrayList<>(body.size());
        for (int i = 0; i < body.size(); i++) {
            JsonNode item = body.get(i);
            if (!item.isObject()) {
                throw ApiError.badRequest("[" + i + "]: expected a decision object");
            }
            requests.add(request(item, "[" + i + "]."));
        }
        Instant now = clock.instant();
        ObjectNode o = WebServer.object();
        ArrayNode added = o.putArray("items");
        ArrayNode refused = o.putArray("refused");
        for (ManualDecisions.Outcome out : manual.importAll(requests)) {
            if (out.decision() != null) {
                added.add(json(new StoredDecision(out.decision(), false, null), now));
            } else {
                refused.addObject().put("index", out.index()).put("scope", requests.get(out.index()).scope().toString())
                        .put("why", out.problem());
            }
        }
        o.put("added", added.size());
        WebServer.json(ctx, o);
    }

    void delete(Context ctx) {
        QueryParams.of(ctx);
        String text = ctx.pathParam("id");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("id: '" + QueryParams.clip(text) + "' is not a decision id");
        }
        if (!manual.delete(id)) {
            throw ApiError.notFound("no decision " + id + " in force (unknown, expired or already deleted)");
        }
        WebServer.json(ctx, WebServer.object().put("deleted", 1));
    }

    /** {@code DELETE /api/v1/decisions?ip=…[&allow=24h]}: the profile page's "allow". */
    void deleteByIp(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "ip", "allow", "reason");
        String ipText = p.string("ip");
        if (ipText == null) {
            throw ApiError.badRequest("ip: required (DELETE /api/v1/decisions/{id} deletes one decision by id)");
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(ipText);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ip: '" + QueryParams.clip(ipText) + "' is not an IPv4 or IPv6 address");
        }
        Duration allow = duration(p.string("allow"), "allow", Duration.ofHours(24));
        String reason = p.string("reason");
        int n = manual.allow(ip, allow, reason == null ? "allowed by an operator" : reason);
        WebServer.json(ctx, WebServer.object().put("deleted", n).put("allowed_until",
                VerdictJson.instant(clock.instant().plus(allow))));
    }

    /** The decisions holding {@code ip}, newest first: the profile's {@code decisions}. */
    static ArrayNode ofIp(DecisionStore store, IpAddress ip, Instant now) {
        ArrayNode out = WebServer.object().arrayNode();
        for (StoredDecision s : store.list(new DecisionFilter(ip, null, null, null, null), now, 20, 0).items()) {
            out.add(json(s, now));
        }
        return out;
    }

    /** One decision as the API shows it. */
    static ObjectNode json(StoredDecision s, Instant now) {
        Decision d = s.decision();
        ObjectNode o = WebServer.object();
        o.put("id", d.id());
        o.put("scope", d.scope().isSingleAddress() ? d.scope().network().toString() : d.scope().toString());
        o.put("type", d.type().wireName());
        o.put("origin", d.origin().wireName());
        o.put("status", s.status(now).wireName());
        o.put("simulated", s.simulated());
        o.put("created", VerdictJson.instant(d.created()));
        o.put("expires", VerdictJson.instant(d.expires()));
        o.put("duration_seconds", Duration.between(d.created(), d.expires()).getSeconds());
        o.put("reason", d.reason());
        o.put("policy", d.policy());
        o.put("category", d.category() == null ? null : d.category().wireName());
        o.put("confidence", d.confidence() == null ? null : d.confidence().wireName());
        o.put("hits", d.hits());
        o.put("offence", d.offence());
        o.put("deleted_at", s.deletedAt() == null ? null : VerdictJson.instant(s.deletedAt()));
        return o;
    }

    private static ManualDecisions.Request request(JsonNode o, String at) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!FIELDS.contains(k)) {
                throw ApiError.badRequest(at + k + ": unknown field; known: duration, force, reason, scope, type");
            }
        }
        String scopeText = text(o, "scope", at);
        if (scopeText == null) {
            throw ApiError.badRequest(at + "scope: required (an IP address or CIDR)");
        }
        Cidr scope;
        try {
            scope = Cidr.parse(scopeText.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(at + "scope: '" + QueryParams.clip(scopeText) + "' is not an IP address or CIDR");
        }
        String type = text(o, "type", at);
        if (type != null && !type.equals("ban") && !type.equals("captcha")) {
            throw ApiError.badRequest(at + "type: unknown value '" + QueryParams.clip(type) + "'; allowed: ban, captcha");
        }
        Duration duration = duration(text(o, "duration", at), at + "duration", Duration.ofHours(24));
        JsonNode force = o.get("force");
        if (force != null && !force.isNull() && !force.isBoolean()) {
            throw ApiError.badRequest(at + "force: expected true or false");
        }
        String reason = text(o, "reason", at);
        if (reason != null && reason.length() > 500) {
            throw ApiError.badRequest(at + "reason: longer than 500 characters");
        }
        return new ManualDecisions.Request(scope, type == null ? DecisionType.BAN : DecisionType.fromWire(type), duration,
                reason, force != null && force.asBoolean());
    }

    private static String text(JsonNode o, String k, String at) {
        JsonNode v = o.get(k);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest(at + k + ": expected text");
        }
        return v.asText();
    }

    private static Duration duration(String text, String name, Duration fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(name + ": '" + QueryParams.clip(text) + "' is not a duration like 30m, 4h, 24h or 7d");
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(ManualDecisions.MAX_DURATION) > 0) {
            throw ApiError.badRequest(name + ": '" + QueryParams.clip(text) + "' is out of range; allowed 1s to 365d");
        }
        return d;
    }
}
