package dev.threatip.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.block.GuardRails;
import dev.threatip.block.ManualDecisions;
import dev.threatip.geo.GeoLookup;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.Verdict;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.AlertOutbox;
import dev.threatip.store.EventStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code threatip serve}: the REST API of DESIGN.md §4 under {@code /api/v1},
 * the dashboard's static files at {@code /} (classpath folder {@value #STATIC_DIR}) and WebJars
 * at {@code /webjars/}, {@code /healthz} and {@code /metrics}. Javalin 6 on Jetty 11.
 *
 * <pre>{@code
 * try (WebServer web = WebServer.builder().port(8080).store(store).reputation(live).geo(geo)
 *         .tokens(ApiTokens.loadOrCreateAdmin(dataDir, null, List.of())).metrics(registry)
 *         .ingest(pipeline).feeds(refresher).build()) {
 *     web.start();
 *     System.out.println("dashboard: " + web.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>Every {@code /api/} call needs {@code Authorization: Bearer TOKEN}: none or an unknown one
 * answers 401, a read-only token on a write 403. Errors are {@code {"error": {"code", "message"}}}
 * with the codes of {@code README.md}; no response carries a stack trace (internal errors are
 * logged with theirs). Binds 127.0.0.1 unless told otherwise.
 */
public final class WebServer implements AutoCloseable {
    /** The classpath folder of the dashboard's static files. */
    public static final String STATIC_DIR = "/dev/threatip/web/static";
    /** The OpenAPI document served at {@code /api/v1/openapi.json}. */
    static final String OPENAPI_RESOURCE = "/dev/threatip/web/openapi.json";
    private static final String WEBJARS_DIR = "META-INF/resources/webjars";

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One registered route: what the OpenAPI document must describe. */
    record Route(HandlerType method, String path, boolean open) {
    }

    private final Builder config;
    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();
    private final byte[] openApi;
    private final Counter requests;
    private volatile boolean started;

    private WebServer(Builder b) {
        this.config = b;
        this.openApi = resource(OPENAPI_RESOURCE);
        this.requests = Counter.builder().name("threatip_http_requests")
                .help("HTTP requests answered, by method, route template and status")
                .labelNames("method", "route", "status").register(b.metrics);
        Counter ingestLines = Counter.builder().name("threatip_http_ingest_lines")
                .help("lines received by POST /api/v1/ingest, by outcome (accepted by the pipeline or rejected by it)")
                .labelNames("outcome").register(b.metrics);
        this.app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.http.maxRequestSize = IngestApi.MAX_BODY;
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = STATIC_DIR;
                sf.location = Location.CLASSPATH;
            });
            // Javalin refuses to start when no WebJar is on the classpath; the dashboard brings one
            if (WebServer.class.getClassLoader().getResource(WEBJARS_DIR) != null) {
                c.staticFiles.enableWebjars();
            }
        });
        ThreatApi threats = new ThreatApi(b.store, b.reputation, b.geo, b.clock);
        FeedsApi feeds = new FeedsApi(b.reputation, b.feeds);
        IngestApi ingest = new IngestApi(b.ingest, ingestLines);
        DecisionStore decisionStore = new DecisionStore(b.store);
        ManualDecisions manual = b.decisions != null ? b.decisions : new ManualDecisions(decisionStore,
                new GuardRails(List.of(), GuardRails.localAddresses(b.host), GuardRails.KnownGood.none()),
                ip -> b.reputation == null ? Verdict.clean() : b.reputation.lookup(ip), b.clock);
        DecisionsApi decisions = new DecisionsApi(decisionStore, manual, b.clock);
        DecisionExportApi exports = new DecisionExportApi(decisionStore, b.clock);
        AlertsApi alerts = new AlertsApi(new AlertOutbox(b.store));
        BouncerStore bouncerStore = new BouncerStore(b.store);
        BouncerKeysApi bouncerKeys = new BouncerKeysApi(bouncerStore);
        BouncerApi lapi = new BouncerApi(bouncerStore, decisionStore, b.clock, b.metrics);

        app.before(this::secure);
        route(HandlerType.GET, "/healthz", true, ctx -> json(ctx, object().put("status", "ok")));
        route(HandlerType.GET, "/metrics", !b.metricsNeedToken, this::metrics);
        route(HandlerType.GET, "/api/v1/openapi.json", false, ctx -> ctx.contentType("application/json").result(openApi));
        route(HandlerType.GET, "/api/v1/stats", false, threats::stats);
        route(HandlerType.GET, "/api/v1/ips", false, threats::ips);
        route(HandlerType.GET, "/api/v1/ips/{ip}", false, threats::profile);
        route(HandlerType.GET, "/api/v1/ips/{ip}/logs", false, threats::logs);
        route(HandlerType.GET, "/api/v1/hits", false, threats::hits);
        route(HandlerType.GET, "/api/v1/feeds", false, feeds::feeds);
        route(HandlerType.POST, "/api/v1/ingest", false, ingest::ingest);
        route(HandlerType.GET, "/api/v1/decisions", false, decisions::list);
        route(HandlerType.POST, "/api/v1/decisions", false, decisions::add);
        route(HandlerType.DELETE, "/api/v1/decisions", false, decisions::deleteByIp);
        route(HandlerType.DELETE, "/api/v1/decisions/{id}", false, decisions::delete);
        route(HandlerType.GET, "/api/v1/decisions/export", false, exports::export);
        route(HandlerType.GET, "/api/v1/alerts", false, alerts::list);
        route(HandlerType.GET, "/api/v1/bouncers", false, bouncerKeys::list);
        route(HandlerType.POST, "/api/v1/bouncers", false, bouncerKeys::add);
        route(HandlerType.DELETE, "/api/v1/bouncers/{name}", false, bouncerKeys::delete);
        // the CrowdSec bouncer protocol: X-Api-Key (a bouncer key), not the bearer token
        route(HandlerType.GET, "/v1/decisions/stream", false, lapi::stream);
        route(HandlerType.HEAD, "/v1/decisions/stream", false, lapi::head);
        route(HandlerType.GET, "/v1/decisions", false, lapi::decisions);
        route(HandlerType.HEAD, "/v1/decisions", false, lapi::head);

        app.exception(ApiError.class, (e, ctx) -> error(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiError(ApiError.Code.ofStatus(e.getStatus()),
                e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + QueryParams.clip(ctx.path())
                        : e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, new ApiError(ApiError.Code.INTERNAL, "internal error; the server log has the details"));
        });
        app.error(404, ctx -> {
            if (!isJson(ctx)) {
                error(ctx, ApiError.notFound("no such endpoint: " + ctx.method() + " " + QueryParams.clip(ctx.path())));
            }
        });
        app.after(ctx -> requests.labelValues(ctx.method().name(), routeOf(ctx), Integer.toString(ctx.statusCode())).inc());
    }

    /** A new builder: 127.0.0.1, port 8080, system clock. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException when started before, or when the address cannot be bound
     *                               (the message names host and port)
     */
    public WebServer start() {
        if (started) {
            throw new IllegalStateException("the web server is already started");
        }
        started = true;
        try {
            app.start(config.host, config.port);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.host + ":" + config.port + ": "
                    + rootMessage(e), e);
        }
        return this;
    }

    /** The port listened on (the ephemeral one when built with port 0); only after {@link #start}. */
    public int port() {
        return app.port();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/} ({@code [::1]} style for IPv6 hosts). */
    public String url() {
        String host = config.host.contains(":") ? "[" + config.host + "]" : config.host;
        return "http://" + host + ":" + port() + "/";
    }

    /** The address bound. */
    public String host() {
        return config.host;
    }

    /** Stops the server; requests in flight are finished. Closes none of the parts given to the builder. */
    @Override
    public void close() {
        app.stop();
    }

    /** The registered routes, in registration order. */
    List<Route> routes() {
        return List.copyOf(routes);
    }

    // ---------------------------------------------------------------- plumbing

    private void route(HandlerType method, String path, boolean open, Handler handler) {
        routes.add(new Route(method, path, open));
        app.addHttpHandler(method, path, handler);
    }

    /** Headers for every answer, and the token check for the API (and metrics when configured). */
    private void secure(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        String path = ctx.path();
        boolean api = path.startsWith("/api/");
        if (api) {
            ctx.header("Cache-Control", "no-store");
        }
        if (!api && !(config.metricsNeedToken && path.equals("/metrics"))) {
            return;
        }
        ApiTokens.Access access = config.tokens.access(bearer(ctx));
        if (access == ApiTokens.Access.NONE) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"threatip\"");
            throw new ApiError(ApiError.Code.UNAUTHORIZED, ctx.header("Authorization") == null
                    ? "this endpoint needs 'Authorization: Bearer TOKEN' (the admin token is in DATA_DIR/admin.token)"
                    : "the token is not valid");
        }
        // tells the dashboard whether to offer write actions (the profile page's block/allow)
        ctx.header("X-Threatip-Access", access == ApiTokens.Access.ADMIN ? "admin" : "read");
        HandlerType m = ctx.method();
        boolean read = m == HandlerType.GET || m == HandlerType.HEAD || m == HandlerType.OPTIONS;
        if (!read && access != ApiTokens.Access.ADMIN) {
            throw new ApiError(ApiError.Code.FORBIDDEN, "a read-only token cannot " + m + " " + path
                    + "; use the admin token");
        }
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return h.substring(7).trim();
    }

    private void metrics(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(out, config.metrics.scrape());
        ctx.contentType(writer.getContentType()).result(out.toByteArray());
    }

    private static void error(Context ctx, ApiError e) {
        ObjectNode body = object();
        body.putObject("error").put("code", e.code().wireName()).put("message", e.getMessage());
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.code().status);
        json(ctx, body);
    }

    private static boolean isJson(Context ctx) {
        String t = ctx.res().getContentType();
        return t != null && t.startsWith("application/json");
    }

    private static String routeOf(Context ctx) {
        try {
            String p = ctx.endpointHandlerPath();
            return p == null || p.isEmpty() ? "other" : p;
        } catch (RuntimeException e) {
            return "other";
        }
    }

    /** Writes {@code node} as the JSON answer. */
    static void json(Context ctx, ObjectNode node) {
        try {
            ctx.contentType("application/json").result(VerdictJson.MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Configures a {@link WebServer}; {@link #store} and {@link #tokens} are required. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private EventStore store;
        private LiveReputation reputation;
        private GeoLookup geo;
        private ApiTokens tokens;
        private PrometheusRegistry metrics;
        private boolean metricsNeedToken;
        private IngestHandler ingest;
        private FeedStatusSource feeds;
        private Clock clock = Clock.systemUTC();
        private ManualDecisions decisions;

        private Builder() {
        }

        /**
         * Manual decisions with the server's guard rails (allowlist, own addresses, known-good);
         * default: guard rails with special space and this host's addresses only.
         */
        public Builder decisions(ManualDecisions manual) {
            this.decisions = manual;
            return this;
        }

        /** The address to listen on; default {@code 127.0.0.1} (loopback only). */
        public Builder bind(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bind address must not be empty");
            }
            this.host = host;
            return this;
        }

        /** The port, 0 for an ephemeral one; default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The event store the API reads (required). */
        public Builder store(EventStore store) {
            this.store = store;
            return this;
        }

        /** The live intel index for lookups and feeds; null answers as if nothing is listed. */
        public Builder reputation(LiveReputation reputation) {
            this.reputation = reputation;
            return this;
        }

        /** Geo and ASN databases for IP profiles; null uses what the store's profiles hold. */
        public Builder geo(GeoLookup geo) {
            this.geo = geo;
            return this;
        }

        /** The API tokens (required). */
        public Builder tokens(ApiTokens tokens) {
            this.tokens = tokens;
            return this;
        }

        /** The registry {@code /metrics} exposes; the server adds its request counters. Default: a new one. */
        public Builder metrics(PrometheusRegistry registry) {
            this.metrics = registry;
            return this;
        }

        /** Whether {@code /metrics} needs a token like the API; default false (open, like {@code /healthz}). */
        public Builder metricsNeedToken(boolean needToken) {
            this.metricsNeedToken = needToken;
            return this;
        }

        /** Where {@code POST /api/v1/ingest} delivers; null answers 503 "not enabled". */
        public Builder ingest(IngestHandler handler) {
            this.ingest = handler;
            return this;
        }

        /** Per-feed fetch status for {@code /api/v1/feeds}; null shows the snapshot's manifest only. */
        public Builder feeds(FeedStatusSource source) {
            this.feeds = source;
            return this;
        }

        /** The clock for default time windows and decisions' remaining time; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The server, not yet listening.
         *
         * @throws IllegalStateException when the store or the tokens are missing
         */
        public WebServer build() {
            if (store == null) {
                throw new IllegalStateException("a web server needs a store");
            }
            if (tokens == null) {
                throw new IllegalStateException("a web server needs API tokens");
            }
            if (metrics == null) {
                metrics = new PrometheusRegistry();
            }
            return new WebServer(this);
        }
    }
}
