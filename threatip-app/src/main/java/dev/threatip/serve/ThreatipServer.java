package dev.threatip.serve;

import dev.threatip.alert.Alerts;
import dev.threatip.block.AutoBlocker;
import dev.threatip.block.GuardRails;
import dev.threatip.block.ManualDecisions;
import dev.threatip.detect.Detector;
import dev.threatip.geo.GeoLookup;
import dev.threatip.ingest.FileTailer;
import dev.threatip.ingest.IngestPipeline;
import dev.threatip.ingest.SyslogReceiver;
import dev.threatip.intel.ConfidenceModel;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedRole;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogFormats;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import dev.threatip.web.ApiTokens;
import dev.threatip.web.WebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code threatip serve} assembled: the store, the live reputation and its feed refresher, the
 * behaviour rules, the ingest pipeline with its inputs (tailed files, syslog, HTTP ingest), and
 * the web server with the REST API, dashboard and metrics. Starting it is the whole of
 * {@code serve}; closing it stops the inputs first, flushes what they delivered, then closes
 * the store, so an orderly stop loses nothing acknowledged.
 *
 * <p>Background work runs on one scheduler thread: the pipeline flush every second, retention
 * every hour, the feed refresh on its interval.
 */
public final class ThreatipServer implements AutoCloseable {
    /** The snapshot {@code serve} compiles its feeds into, inside the data dir. */
    public static final String SNAPSHOT_FILE = "intel.tis";
    /** The input name of everything the syslog receiver delivers. */
    public static final String SYSLOG_SOURCE = "syslog";
    /**
     * Most lines per batch a tailed file delivers (and so per store transaction). A DuckDB commit
     * has a fixed cost of several milliseconds (WAL write and fsync), which at 1,000 lines per
     * batch capped ingest near 50k events/s; a file that is behind is read in batches of up to
     * this many lines, one that is followed live in whatever appeared since the last poll.
     */
    public static final int TAIL_BATCH_LINES = 20_000;
    /** Most bytes of lines per tailed batch: bounds a batch's memory when lines are long. */
    public static final long TAIL_BATCH_BYTES = 16L << 20;

    private final ServeConfig config;
    private final Clock clock;
    private final Consumer<String> log;
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** How long ended decisions are kept (and count as offences). */
    static final java.time.Duration DECISION_HISTORY = java.time.Duration.ofDays(90);

    private EventStore store;
    private DecisionStore decisions;
    private LiveReputation reputation;
    private FeedRefresher refresher;
    private IngestPipeline pipeline;
    private FileTailer tailer;
    private SyslogReceiver syslog;
    private WebServer web;
    private ApiTokens tokens;
    private ScheduledExecutorService scheduler;
    private Alerts alerts;

    /**
     * @param config what to run
     * @param clock  the clock of ingest times, rates and retention
     * @param log    where start-up and background messages go (one line each)
     */
    public ThreatipServer(ServeConfig config, Clock clock, Consumer<String> log) {
        this.config = config;
        this.clock = clock;
        this.log = log;
    }

    /** Starts everything; on failure, closes what was started and rethrows. */
    public ThreatipServer start() throws IOException {
        try {
            startAll();
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        ServeConfig.Server s = config.server();
        Path data = Files.createDirectories(s.dataDir());
        store = EventStore.open(data, clock);
        opened.add(store);
        alerts = Alerts.open(config.alerts(), store, this::publicUrl, clock, log);
        reputation = openReputation(data);
        Detector detector = config.rules().enabled() ? Detector.load(config.rules().files()) : null;
        GeoLookup geo = openGeo();
        ServeConfig.Inputs in = config.inputs();
        FormatSelector formats = LogFormats.selector(in.format(), in.logFormat(), in.ipField());
        IngestPipeline.Builder pb = IngestPipeline.builder(store, reputation).detector(detector).geo(geo)
                .clientIps(in.trustedProxies().isEmpty() ? ClientIpResolver.direct() : ClientIpResolver.trusting(in.trustedProxies()))
                .formats(formats).clock(clock).flushListener(alerts.listener());
        if (in.syslog() != null && !in.syslog().format().equals("auto")) {
            pb.format(SYSLOG_SOURCE, LogFormats.selector(in.syslog().format(), null, in.ipField()));
        }
        decisions = new DecisionStore(store);
        GuardRails rails = new GuardRails(config.blocking().allowlist(), GuardRails.localAddresses(s.bind()),
                knownGood(reputation, detector));
        AutoBlocker autoBlocker = new AutoBlocker(config.blocking(), decisions, rails, store::profileHits, clock, log);
        pb.flushListener(autoBlocker);
        pipeline = pb.build();
        ManualDecisions manual = new ManualDecisions(decisions, rails, reputation::lookup, clock);
        log.accept("auto-block policies: " + config.blocking().mode().wireName() + " mode, "
                + config.blocking().policies().size() + " policies");

        PrometheusRegistry registry = new PrometheusRegistry();
        new ServeMetrics(registry, pipeline, this::tailerStats, this::syslogStats, reputation);
        autoBlocker.register(registry);
        alerts.registerMetrics(registry);

        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "threatip-serve-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::flushQuietly, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::retain, 0, 1, TimeUnit.HOURS);
        if (refresher != null) {
            long every = config.feeds().refresh().toSeconds();
            scheduler.scheduleWithFixedDelay(this::refreshFeeds, every, every, TimeUnit.SECONDS);
        }

        tokens = ApiTokens.loadOrCreateAdmin(data, s.adminToken(), s.readTokens());
        web = WebServer.builder().bind(s.bind()).port(s.port()).store(store).reputation(reputation).geo(geo)
                .tokens(tokens).metrics(registry).decisions(manual)
                .ingest(in.http() ? new HttpIngest(pipeline, in.ipField()) : null)
                .feeds(refresher == null ? null : new RefresherFeedStatus(refresher))
                .clock(clock)
                .build();
        web.start();
        opened.add(web);
        alerts.start(); // after the web server: profile links need its URL
        opened.add(alerts);

        if (!in.files().isEmpty()) {
            FileTailer.Builder tb = FileTailer.builder(pipeline).stateDir(data.resolve("tail"))
                    .batchLines(TAIL_BATCH_LINES).batchBytes(TAIL_BATCH_BYTES)
                    .startPosition(in.startAtEnd() ? FileTailer.StartPosition.END : FileTailer.StartPosition.BEGINNING)
                    .errorListener((source, e) -> log.accept("tail " + source + ": " + e.getMessage()));
            in.files().forEach(tb::follow);
            tailer = tb.build();
            tailer.start();
            opened.add(tailer);
        }
        if (in.syslog() != null) {
            ServeConfig.Syslog sl = in.syslog();
            SyslogReceiver.Builder sb = SyslogReceiver.builder(pipeline).source(SYSLOG_SOURCE)
                    .bind(InetAddress.getByName(s.bind())).port(sl.port())
                    .errorListener((what, e) -> log.accept("syslog " + what + ": " + e.getMessage()));
            if (!sl.udp()) {
                sb.noUdp();
            }
            if (!sl.tcp()) {
                sb.noTcp();
            }
            syslog = sb.build();
            syslog.start();
            opened.add(syslog);
        }
    }

    private LiveReputation openReputation(Path data) throws IOException {
        ServeConfig.Feeds f = config.feeds();
        ReputationIndex.OpenOptions options = ReputationIndex.OpenOptions.defaults().withClock(clock);
        if (f.specs().isEmpty()) {
            Path snapshot = f.intel();
            if (snapshot == null) {
                // no intel at all: an empty snapshot, so behaviour rules still run and the API answers
                snapshot = data.resolve(SNAPSHOT_FILE);
                FeedRefresher.compile(List.of(), f.allowSpecial(), null, snapshot);
                log.accept("no feeds configured: behaviour rules only");
            }
            return LiveReputation.open(snapshot, options);
        }
        List<FeedSpec> specs = f.specs().stream().map(FeedSpec::parse).toList();
        Path snapshot = f.intel() != null ? f.intel() : data.resolve(SNAPSHOT_FILE);
        refresher = new FeedRefresher(specs, f.allowSpecial(), data.resolve("feed-cache"), snapshot, clock);
        FeedCompiler.Result r = refresher.compile();
        if (r.snapshot() == null) {
            if (!Files.exists(snapshot)) {
                throw new IllegalArgumentException("feeds.specs: every feed was refused and there is no earlier snapshot at "
                        + snapshot + "; run 'threatip feeds compile' to see why");
            }
            log.accept("every feed was refused; using the earlier snapshot " + snapshot);
        } else {
            log.accept("compiled " + r.manifest().feeds().size() + " feeds into " + snapshot);
        }
        return LiveReputation.open(snapshot, options);
    }

    /** Known good: a {@code role=allow} listing of the live snapshot, or the rules' verified crawler ranges. */
    private static GuardRails.KnownGood knownGood(LiveReputation reputation, Detector detector) {
        return ip -> {
            for (ConfidenceModel.WeighedListing w : reputation.current().explain(ip).listings()) {
                if (w.listing().feed().role() == FeedRole.ALLOW) {
                    return "listed by " + w.listing().feed().name() + " (role allow)";
                }
            }
            if (detector != null && detector.knownGood(ip)) {
                return "in the rules' verified crawler ranges or allowlist";
            }
            return null;
        };
    }

    private GeoLookup openGeo() throws IOException {
        ServeConfig.GeoPaths g = config.geo();
        if (g.city().isEmpty() && g.asn().isEmpty()) {
            return null;
        }
        GeoLookup geo = GeoLookup.open(g.city(), g.asn());
        opened.add(geo);
        return geo;
    }

    private void flushQuietly() {
        try {
            pipeline.flush();
        } catch (RuntimeException e) {
            // the window's aggregates are lost to the profiles but the events are stored; say so and go on
            log.accept("flush failed: " + e.getMessage());
        }
    }

    private void retain() {
        try {
            // ended decisions are kept longer than events: they are the offence history escalation counts
            decisions.purgeEndedBefore(clock.instant().minus(DECISION_HISTORY));
            long deleted = store.deleteOlderThan(clock.instant().minus(config.server().retention()));
            if (deleted > 0) {
                log.accept("retention: deleted " + deleted + " events older than " + config.server().retention());
            }
        } catch (RuntimeException e) {
            log.accept("retention failed: " + e.getMessage());
        }
    }

    private void refreshFeeds() {
        FeedRefresher.Outcome o = refresher.refresh(reputation);
        log.accept(o.problem() == null ? "feeds refreshed" : "feed refresh: " + o.problem());
    }

    private java.util.Map<String, FileTailer.SourceStats> tailerStats() {
        return tailer == null ? java.util.Map.of() : tailer.stats();
    }

    private SyslogReceiver.Stats syslogStats() {
        return syslog == null ? null : syslog.stats();
    }

    /** The dashboard's and API's base URL. */
    public String url() {
        return web.url();
    }

    /** Alerting (policies, outbox, delivery). */
    public Alerts alerts() {
        return alerts;
    }

    /** The base URL of profile links in alerts: {@code server.public_url}, else the URL listened on. */
    private String publicUrl() {
        if (config.server().publicUrl() != null) {
            return config.server().publicUrl();
        }
        WebServer w = web;
        if (w != null) {
            return w.url();
        }
        String host = config.server().bind();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.server().port() + "/";
    }

    /** The admin token (from the config, or {@code DATA_DIR/admin.token}). */
    public String adminToken() {
        return tokens.adminToken();
    }

    /** The admin token's file, when it was generated or read from the data dir. */
    public Path adminTokenFile() {
        return config.server().dataDir().resolve(ApiTokens.ADMIN_TOKEN_FILE);
    }

    /** The ingest pipeline, for stdin and tests. */
    public IngestPipeline pipeline() {
        return pipeline;
    }

    /** The store, for tests and the benchmark. */
    public EventStore store() {
        return store;
    }

    /** The decisions, for tests and the bouncer API. */
    public DecisionStore decisions() {
        return decisions;
    }

    /** The syslog receiver, or null when off. */
    public SyslogReceiver syslog() {
        return syslog;
    }

    /** Stops inputs, flushes, then closes the web server and the store. */
    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>(opened);
        java.util.Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            if (c == store || c == web) {
                continue;
            }
            closeQuietly(c);
        }
        if (scheduler != null) {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pipeline != null && store != null) {
            flushQuietly();
        }
        closeQuietly(web);
        closeQuietly(store);
        opened.clear();
    }

    private void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.accept("closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
