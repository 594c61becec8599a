package dev.threatip.web;

import static dev.threatip.report.VerdictJson.instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.log.AccessEvent;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.GatewayActivity;
import dev.threatip.store.GatewayHit;
import dev.threatip.store.Hit;
import dev.threatip.store.HitTrendPoint;
import dev.threatip.store.Hits;
import dev.threatip.store.IpSummary;
import dev.threatip.store.Page;
import dev.threatip.store.Stats;
import dev.threatip.store.StoredEvent;
import dev.threatip.store.TrendPoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The store's answers as the JSON of DESIGN.md §4 (snake_case; times ISO-8601 UTC). */
final class StoreJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StoreJson() {
    }

    /** {@code GET /api/v1/stats}. */
    static ObjectNode stats(Stats s) {
        ObjectNode o = NODES.objectNode();
        o.put("from", instant(s.from()));
        o.put("to", instant(s.to()));
        o.put("requests", s.requests());
        o.put("flagged_requests", s.flaggedRequests());
        o.put("flagged_ips", s.flaggedIps());
        o.set("by_category", counts(s.byCategory()));
        o.set("by_confidence", counts(s.byConfidence()));
        o.set("by_level", counts(s.byLevel()));
        o.set("by_country", counts(s.byCountry()));
        o.set("by_gateway_action", counts(s.byGatewayAction()));
        o.set("gateway_not_enforced", counts(s.gatewayNotEnforced()));
        o.put("bucket_seconds", s.bucket().toSeconds());
        ArrayNode trend = o.putArray("trend");
        for (TrendPoint p : s.trend()) {
            trend.addObject().put("t", instant(p.t())).put("requests", p.requests())
                    .put("flagged_requests", p.flaggedRequests());
        }
        return o;
    }

    /** One item of {@code GET /api/v1/ips}. */
    static ObjectNode ipSummary(IpSummary s) {
        ObjectNode o = NODES.objectNode();
        o.put("ip", s.ip().toString());
        o.put("verdict", s.verdict().wireName());
        o.put("level", s.level() == null ? null : s.level().wireName());
        o.set("categories", VerdictJson.categories(s.categories()));
        o.put("hits", s.hits());
        o.put("first_seen", instant(s.firstSeen()));
        o.put("last_seen", instant(s.lastSeen()));
        o.put("country", s.country());
        o.set("asn", VerdictJson.asn(s.asn()));
        return o;
    }

    /** One item of {@code GET /api/v1/ips/{ip}/logs}. */
    static ObjectNode storedEvent(StoredEvent se) {
        AccessEvent e = se.event();
        ObjectNode o = NODES.objectNode();
        o.put("ts", instant(e.time()));
        o.put("source", se.source());
        if (se.line() < 0) {
            o.putNull("line");
        } else {
            o.put("line", se.line());
        }
        o.put("method", e.method());
        o.put("host", e.host());
        o.put("path", e.path());
        o.put("query", e.query());
        if (e.status() < 0) {
            o.putNull("status");
        } else {
            o.put("status", e.status());
        }
        if (e.bytes() < 0) {
            o.putNull("bytes");
        } else {
            o.put("bytes", e.bytes());
        }
        o.put("user_agent", e.userAgent());
        o.put("referer", e.referer());
        o.put("raw", e.raw());
        return o;
    }

    /** {@code GET /api/v1/hits}: window, trend, total and the page's items. */
    static ObjectNode hits(Hits h) {
        ObjectNode o = NODES.objectNode();
        o.put("from", instant(h.from()));
        o.put("to", instant(h.to()));
        o.put("bucket_seconds", h.bucket().toSeconds());
        ArrayNode trend = o.putArray("trend");
        for (HitTrendPoint p : h.trend()) {
            trend.addObject().put("t", instant(p.t())).put("hits", p.hits()).put("behavior", p.behavior())
                    .put("intel", p.intel()).put("gateway", p.gateway());
        }
        o.put("total", h.page().total());
        ArrayNode items = o.putArray("items");
        for (Hit hit : h.page().items()) {
            items.add(hit(hit));
        }
        return o;
    }

    private static ObjectNode hit(Hit h) {
        ObjectNode o = NODES.objectNode();
        o.put("ts", instant(h.ts()));
        o.put("ip", h.ip() == null ? null : h.ip().toString());
        o.put("rule", h.rule());
        o.put("category", h.category() == null ? null : h.category().wireName());
        o.put("confidence", h.confidence() == null ? null : h.confidence().wireName());
        o.put("group", h.group());
        o.put("count", h.count());
        o.put("window_seconds", h.windowSeconds());
        o.put("first_seen", instant(h.firstSeen()));
        o.put("last_seen", instant(h.lastSeen()));
        o.put("source", h.source());
        ArrayNode feeds = o.putArray("feeds");
        h.feeds().forEach(feeds::add);
        o.put("action", h.action());
        GatewayHit g = h.gateway();
        o.put("enforced", g == null ? null : g.enforced());
        o.put("request_id", g == null ? null : g.requestId());
        o.put("status", g == null || g.status() < 0 ? null : g.status());
        o.put("method", g == null ? null : g.method());
        o.put("host", g == null ? null : g.host());
        o.put("path", g == null ? null : g.path());
        return o;
    }

    /** The {@code gateway} member of {@code GET /api/v1/ips/{ip}}: what the gate did with the IP's requests. */
    static ObjectNode gatewayActivity(GatewayActivity a) {
        ObjectNode o = NODES.objectNode();
        o.put("hits", a.hits());
        ObjectNode actions = o.putObject("actions");
        a.actions().forEach(actions::put);
        o.put("not_enforced", a.notEnforced());
        GatewayHit last = a.last();
        if (last == null) {
            o.putNull("last");
        } else {
            ObjectNode l = o.putObject("last");
            l.put("ts", instant(last.time()));
            l.put("action", last.action().wireName());
            l.put("enforced", last.enforced());
            l.put("rule", last.rule());
            l.put("category", last.category() == null ? null : last.category().wireName());
            l.put("confidence", last.confidence() == null ? null : last.confidence().wireName());
            l.put("request_id", last.requestId());
            l.put("status", last.status() < 0 ? null : last.status());
            l.put("method", last.method());
            l.put("host", last.host());
            l.put("path", last.path());
        }
        return o;
    }

    /** {@code {"total": N, "items": [...]}}. */
    static <T> ObjectNode page(Page<T> page, Function<T, ObjectNode> item) {
        ObjectNode o = NODES.objectNode();
        o.put("total", page.total());
        ArrayNode items = o.putArray("items");
        for (T t : page.items()) {
            items.add(item.apply(t));
        }
        return o;
    }

    private static ObjectNode counts(Map<String, Long> counts) {
        ObjectNode o = NODES.objectNode();
        new TreeMap<>(counts).forEach(o::put);
        return o;
    }
}
