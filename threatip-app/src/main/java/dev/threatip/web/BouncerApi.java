package dev.threatip.web;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.threatip.block.Decision;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.Bouncer;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.DecisionStore;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CrowdSec bouncer protocol — the part of CrowdSec's Local API (LAPI) that bouncers use — so
 * that CrowdSec's bouncers (firewall, nginx, HAProxy, Cloudflare, custom, …) enforce threatip's
 * decisions:
 *
 * <ul>
 *   <li>{@code GET /v1/decisions/stream?startup=true}: every decision in force as {@code new},
 *       {@code deleted: []}; later pulls ({@code startup} absent or false): what changed since
 *       this bouncer's previous complete pull — decisions added since ({@code new}) and decisions
 *       it was given that were deleted or ran out since ({@code deleted});</li>
 *   <li>{@code GET /v1/decisions?ip=|range=|scope=&value=}: the decisions in force covering an
 *       address or network (with {@code contains=false}: those inside a network), or a JSON
 *       {@code null} body when there are none, as LAPI answers;</li>
 *   <li>{@code HEAD} of both: 200 without a body and without moving the stream.</li>
 * </ul>
 *
 * <p>Auth is LAPI's: the bouncer's key in {@code X-Api-Key}; a missing or unknown key answers 403
 * {@code {"message":"access forbidden"}}. Errors are LAPI's {@code {"message": "..."}}.
 *
 * <p>Cost. The answer is written as it is read: decisions come from the store a page of
 * {@value #PAGE} at a time (keyset pages by id) and go straight into a Jackson generator on the
 * response stream (gzip, at the fastest level, when the client accepts it — Go's HTTP client,
 * which every CrowdSec bouncer uses, does), so a pull of 300k decisions holds one page, never
 * the list. The stream cursor is the store's decision sequence ({@link DecisionStore#cursor}):
 * a pull answers the changes in {@code (bouncer's cursor, cursor now]} and, only once the whole
 * answer was written, moves the bouncer's cursor — a pull cut short is answered again in full.
 */
final class BouncerApi {
    /** Decisions read from the store per query. */
    static final int PAGE = 2000;
    static final String KEY_HEADER = "X-Api-Key";
    private static final Logger LOG = LoggerFactory.getLogger(BouncerApi.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String FORBIDDEN = "access forbidden";

    private final BouncerStore bouncers;
    private final DecisionStore decisions;
    private final Clock clock;
    private final Counter pulls;
    private final Counter streamed;
    private final Counter refused;

    BouncerApi(BouncerStore bouncers, DecisionStore decisions, Clock clock, PrometheusRegistry metrics) {
        this.bouncers = bouncers;
        this.decisions = decisions;
        this.clock = clock;
        this.pulls = Counter.builder().name("threatip_bouncer_pulls")
                .help("decision stream pulls answered in full, by kind (startup or delta)")
                .labelNames("kind").register(metrics);
        this.streamed = Counter.builder().name("threatip_bouncer_stream_decisions")
                .help("decisions sent to bouncers on the stream, by list (new or deleted)")
                .labelNames("list").register(metrics);
        this.refused = Counter.builder().name("threatip_bouncer_auth_failures")
                .help("bouncer requests refused for a missing or unknown X-Api-Key").register(metrics);
    }

    /** {@code GET /v1/decisions/stream}. */
    void stream(Context ctx) throws IOException {
        Bouncer b = authenticate(ctx);
        if (b == null) {
            return;
        }
        LapiFilter filter;
        boolean startup;
        try {
            startup = bool(ctx, "startup", false);
            bool(ctx, "community_pull", true); // LAPI's CAPI and blocklist switches: threatip has neither
            bool(ctx, "additional_pull", true);
            filter = LapiFilter.of(ctx);
        } catch (IllegalArgumentException e) {
            message(ctx, 400, e.getMessage());
            return;
        }
        Instant now = clock.instant();
        long upTo = decisions.cursor(now);
        // a cursor beyond the store's (a data dir swapped under the bouncer) gets the whole list again
        long after = startup || b.cursor() > upTo ? 0 : b.cursor();
        long[] sent = new long[2];
        try (JsonGenerator g = generator(ctx)) {
            g.writeStartObject();
            g.writeArrayFieldStart("new");
            boolean[] inDeleted = {false};
            decisions.forEachChange(after, upTo, PAGE, new DecisionStore.ChangeSink() {
                @Override
                public void added(Decision d) {
                    if (filter.test(d)) {
                        write(g, d, now);
                        sent[0]++;
                    }
                }

                @Override
                public void removed(Decision d) {
                    try {
                        if (!inDeleted[0]) {
                            g.writeEndArray();
                            g.writeArrayFieldStart("deleted");
                            inDeleted[0] = true;
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (filter.test(d)) {
                        write(g, d, now);
                        sent[1]++;
                    }
                }
            });
            if (!inDeleted[0]) {
                g.writeEndArray();
                g.writeArrayFieldStart("deleted");
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        // only a pull answered in full moves the cursor (LAPI: no update after an error)
        bouncers.recordPull(b.name(), now, upTo, ctx.ip(), ctx.userAgent());
        pulls.labelValues(after == 0 ? "startup" : "delta").inc();
        streamed.labelValues("new").inc(sent[0]);
        streamed.labelValues("deleted").inc(sent[1]);
    }

    /** {@code GET /v1/decisions}: the decisions in force for an address or network, or {@code null}. */
    void decisions(Context ctx) throws IOException {
        Bouncer b = authenticate(ctx);
        if (b == null) {
            return;
        }
        Instant now = clock.instant();
        Lookup q;
        try {
            q = Lookup.of(ctx);
        } catch (IllegalArgumentException e) {
            message(ctx, 400, e.getMessage());
            return;
        }
        bouncers.touch(b, now, ctx.ip(), ctx.userAgent());
        boolean[] any = {false};
        try (JsonGenerator g = generator(ctx)) {
            Consumer<Decision> out = d -> {
                if (q.keep().test(d)) {
                    try {
                        if (!any[0]) {
                            g.writeStartArray();
                            any[0] = true;
                        }
                        LapiDecisions.write(g, d, now);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
            if (q.none()) {
                LOG.debug("scope {} is never decided on: no decisions", ctx.queryParam("scope"));
            } else if (q.target() == null) {
                decisions.forEachActive(now, PAGE, out); // no target: every decision, streamed like the startup list
            } else if (q.contains()) {
                decisions.covering(q.target(), now, false).forEach(out);
            } else {
                decisions.forEachWithin(q.target(), now, PAGE, out);
            }
            if (any[0]) {
                g.writeEndArray();
            } else {
                g.writeNull(); // LAPI's answer for "no decision": a JSON null, not []
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {@code HEAD} of either endpoint: auth only, no body, the stream cursor untouched. */
    void head(Context ctx) {
        if (authenticate(ctx) != null) {
            ctx.status(200).contentType("application/json");
        }
    }

    /**
     * What {@code GET /v1/decisions} asks: a target ({@code ip}, {@code range}, or {@code scope}
     * with {@code value}; none: every decision), whether decisions must contain it
     * ({@code contains}, default true) or lie inside it, and the filters.
     *
     * @param none true when the scope is one threatip never decides on: the answer is {@code null}
     */
    private record Lookup(Cidr target, boolean contains, boolean none, Predicate<Decision> keep) {
        static Lookup of(Context ctx) {
            String ip = single(ctx, "ip");
            String range = single(ctx, "range");
            String scope = single(ctx, "scope");
            String value = single(ctx, "value");
            String type = single(ctx, "type");
            boolean contains = bool(ctx, "contains", true);
            Predicate<Decision> keep = LapiFilter.of(ctx).and(d -> type == null || d.type().wireName().equalsIgnoreCase(type));
            if (ip != null) {
                return new Lookup(Cidr.of(address("ip", ip)), contains, false, keep);
            }
            if (range != null) {
                return new Lookup(network("range", range), contains, false, keep);
            }
            String s = scope == null ? null : scope.toLowerCase(Locale.ROOT);
            if (s != null && !s.equals("ip") && !s.equals("range")) {
                return new Lookup(null, contains, true, keep);
            }
            if (value == null) {
                return new Lookup(null, contains, false, keep);
            }
            boolean asRange = s == null ? value.indexOf('/') >= 0 : s.equals("range");
            return new Lookup(asRange ? network("value", value) : Cidr.of(address("value", value)), contains, false, keep);
        }
    }

    /** The bouncer of the request's key, or null after answering 403 as LAPI does. */
    private Bouncer authenticate(Context ctx) {
        String key = ctx.header(KEY_HEADER);
        Bouncer b = key == null ? null : bouncers.authenticate(key).orElse(null);
        if (b == null) {
            refused.inc();
            message(ctx, 403, FORBIDDEN);
        }
        return b;
    }

    private static void write(JsonGenerator g, Decision d, Instant now) {
        try {
            LapiDecisions.write(g, d, now);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JSON generator on the raw response stream, gzip at the fastest level when the client
     * accepts it: the JSON is repetitive (the same keys, scenarios, durations), so gzip cuts the
     * bytes about tenfold for little CPU.
     */
    private static JsonGenerator generator(Context ctx) throws IOException {
        ctx.status(200);
        ctx.contentType("application/json");
        OutputStream raw = ctx.res().getOutputStream();
        OutputStream out;
        String accept = ctx.header("Accept-Encoding");
        if (accept != null && accept.toLowerCase(Locale.ROOT).contains("gzip")) {
            ctx.header("Content-Encoding", "gzip");
            ctx.header("Vary", "Accept-Encoding");
            out = new GZIPOutputStream(raw, 1 << 14) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            };
        } else {
            out = new BufferedOutputStream(raw, 1 << 14);
        }
        return JSON.createGenerator(out, JsonEncoding.UTF8);
    }

    /** LAPI's error answer. */
    private static void message(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json");
        try {
            ctx.result(WebServer.object().put("message", message).toString());
        } catch (RuntimeException e) {
            LOG.warn("cannot answer {}", status, e);
        }
    }

    private static String single(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + ": given " + values.size() + " times; give it once");
        }
        String v = values.isEmpty() ? null : values.get(0);
        return v == null || v.isEmpty() ? null : v;
    }

    private static boolean bool(Context ctx, String name, boolean absent) {
        String v = single(ctx, name);
        if (v == null) {
            return absent;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException(name + ": '" + QueryParams.clip(v) + "' is not a boolean; allowed: true, false");
        };
    }

    private static IpAddress address(String name, String v) {
        try {
            return IpAddress.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": '" + QueryParams.clip(v) + "' is not an IPv4 or IPv6 address");
        }
    }

    private static Cidr network(String name, String v) {
        try {
            return Cidr.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": '" + QueryParams.clip(v) + "' is not an address or network (CIDR)");
        }
    }
}
