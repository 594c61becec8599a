package dev.threatip.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.geo.GeoLookup;
import dev.threatip.intel.IntelMatch;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import dev.threatip.store.HitFilter;
import dev.threatip.store.IpFilter;
import dev.threatip.store.IpProfile;
import dev.threatip.store.IpSummary;
import dev.threatip.store.PathCount;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The read endpoints over the store and the live reputation index: stats, IP list, IP profile,
 * an IP's logs, and hits.
 */
final class ThreatApi {
    /** The policy actions of DESIGN.md §2, what {@code /hits?action=} accepts. */
    static final List<String> ACTIONS = List.of("allow", "monitor", "js_challenge", "managed_challenge", "block");
    private static final List<String> SORTS = List.of("level", "hits", "last_seen", "ip");
    private static final List<String> ORDERS = List.of("asc", "desc");
    private static final List<String> SOURCES = dev.threatip.store.Hit.SOURCES;

    private final EventStore store;
    private final LiveReputation reputation;
    private final GeoLookup geo;
    private final Clock clock;
    private final DecisionStore decisions;

    ThreatApi(EventStore store, LiveReputation reputation, GeoLookup geo, Clock clock) {
        this.store = store;
        this.decisions = new DecisionStore(store);
        this.reputation = reputation;
        this.geo = geo;
        this.clock = clock;
    }

    void stats(Context ctx) {
        Instant[] w = QueryParams.of(ctx, "from", "to").window(clock);
        WebServer.json(ctx, StoreJson.stats(store.stats(w[0], w[1])));
    }

    void ips(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "category", "confidence", "level", "q", "limit", "offset", "sort", "order");
        String q = p.string("q");
        if (q != null && (q.length() > 45 || !q.chars().allMatch(ThreatApi::addressChar))) {
            throw ApiError.badRequest("q: '" + QueryParams.clip(q) + "' is not an address prefix; allowed: up to 45 "
                    + "digits, hex letters, '.' and ':'");
        }
        String sort = p.oneOf("sort", SORTS);
        String order = p.oneOf("order", ORDERS);
        IpFilter.Sort s = sort == null ? IpFilter.Sort.LEVEL : IpFilter.Sort.valueOf(sort.toUpperCase(Locale.ROOT));
        // largest first by default, except addresses, which read naturally ascending
        boolean ascending = order == null ? s == IpFilter.Sort.IP : order.equals("asc");
        IpFilter f = new IpFilter(p.category(), p.confidence(), p.level(), q, p.limit(), p.offset(), s, ascending);
        WebServer.json(ctx, StoreJson.page(store.ips(f), StoreJson::ipSummary));
    }

    void profile(Context ctx) {
        QueryParams.of(ctx);
        IpAddress ip = QueryParams.ip(ctx);
        IntelMatch match = null;
        boolean stale = false;
        if (reputation != null) {
            ReputationIndex index = reputation.current();
            match = index.explain(ip);
            stale = index.isStale();
        }
        Optional<IpProfile> stored = store.profile(ip);
        boolean listed = match != null && (match.verdict().isFlagged() || !match.listings().isEmpty());
        if (stored.isEmpty() && !listed) {
            throw ApiError.notFound("nothing is known about " + ip + ": no stored requests and no intel listing");
        }
        ObjectNode o = match != null ? VerdictJson.lookup(match, stale)
                : VerdictJson.lookup(new IntelMatch(ip, Verdict.clean(), null, 0, List.of()), false);
        Geo g = null;
        Asn a = null;
        if (stored.isPresent()) {
            IpProfile p = stored.get();
            IpSummary s = p.summary();
            // the stored verdict is the detector's: intel and behaviour together
            o.put("verdict", s.verdict().wireName());
            o.put("level", s.level() == null ? null : s.level().wireName());
            o.set("categories", VerdictJson.categories(s.categories()));
            o.put("hits", s.hits());
            o.put("events", p.events());
            o.put("first_seen", VerdictJson.instant(s.firstSeen()));
            o.put("last_seen", VerdictJson.instant(s.lastSeen()));
            ArrayNode paths = o.putArray("top_paths");
            for (PathCount pc : p.topPaths()) {
                paths.addObject().put("path", pc.path()).put("count", pc.count());
            }
            ObjectNode statuses = o.putObject("statuses");
            p.statuses().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> statuses.put(Integer.toString(e.getKey()), e.getValue()));
            ArrayNode agents = o.putArray("user_agents");
            p.userAgents().forEach(agents::add);
            ArrayNode samples = o.putArray("samples");
            p.samples().forEach(samples::add);
            o.set("gateway", StoreJson.gatewayActivity(p.gateway()));
            g = s.geo();
            a = s.asn();
        } else {
            o.put("hits", 0);
            o.put("events", 0);
            o.putArray("top_paths");
            o.putObject("statuses");
            o.putArray("user_agents");
            o.putArray("samples");
            o.set("gateway", StoreJson.gatewayActivity(dev.threatip.store.GatewayActivity.NONE));
        }
        if (geo != null && geo.hasGeo()) {
            Geo live = geo.geo(ip);
            g = live != null ? live : g;
        }
        if (geo != null && geo.hasAsn()) {
            Asn live = geo.asn(ip);
            a = live != null ? live : a;
        }
        o.set("geo", VerdictJson.geo(g));
        o.set("asn", VerdictJson.asn(a));
        o.set("decisions", DecisionsApi.ofIp(decisions, ip, clock.instant()));
        WebServer.json(ctx, o);
    }

    void logs(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "limit", "offset");
        IpAddress ip = QueryParams.ip(ctx);
        WebServer.json(ctx, StoreJson.page(store.logs(ip, p.limit(), p.offset()), StoreJson::storedEvent));
    }

    void hits(Context ctx) {
        QueryParams p = QueryParams.of(ctx, "rule", "category", "confidence", "action", "source", "from", "to",
                "limit", "offset");
        String rule = p.string("rule");
        if (rule != null && (rule.length() > 128 || !rule.chars().allMatch(c -> c > ' ' && c <= '~'))) {
            throw ApiError.badRequest("rule: '" + QueryParams.clip(rule) + "' is not a rule id; allowed: up to 128 "
                    + "printable ASCII characters without spaces");
        }
        String action = p.oneOf("action", ACTIONS);
        String source = p.oneOf("source", SOURCES);
        Instant[] w = p.window(clock);
        HitFilter f = new HitFilter(w[0], w[1], rule, p.category(), p.confidence(), action, source, p.limit(), p.offset());
        WebServer.json(ctx, StoreJson.hits(store.hits(f)));
    }

    private static boolean addressChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':';
    }
}
