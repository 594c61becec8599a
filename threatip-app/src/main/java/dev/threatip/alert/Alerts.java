package dev.threatip.alert;

import dev.threatip.ingest.IngestPipeline;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.store.AlertOutbox;
import dev.threatip.store.EventStore;
import dev.threatip.store.IpActivity;
import dev.threatip.store.PathCount;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Alerting for {@code serve}: the policies of {@code alerts:} evaluated after every pipeline flush
 * ({@link #listener()}), the messages written to the durable outbox in the store, and a delivery
 * thread that sends them to webhooks, Slack, SMTP and syslog with retries.
 *
 * <pre>{@code
 * Alerts alerts = Alerts.open(config.alerts(), store, () -> publicUrl, clock, log::info);
 * IngestPipeline pipeline = IngestPipeline.builder(store, live).flushListener(alerts.listener()).build();
 * alerts.registerMetrics(registry);
 * alerts.start();                 // delivers what a previous run still owed, then new messages
 * ...
 * alerts.close();                 // stops the delivery thread; the store keeps what is owed
 * }</pre>
 */
public final class Alerts implements AutoCloseable {
    private final AlertSettings settings;
    private final AlertOutbox outbox;
    private final Alerter alerter;
    private final DeliveryWorker worker;
    private final Consumer<String> log;
    private final AtomicLong evaluationFailures = new AtomicLong();
    private final IngestPipeline.FlushListener listener;
    private String lastFailure;

    private Alerts(AlertSettings settings, EventStore store, Supplier<String> baseUrl, Clock clock, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.outbox = new AlertOutbox(store);
        Map<String, Channel> channels = new LinkedHashMap<>();
        settings.channels().forEach((name, spec) -> channels.put(name, Channel.of(spec, settings.delivery())));
        this.worker = new DeliveryWorker(outbox, channels, settings.delivery(), clock, log);
        this.alerter = new Alerter(settings.policies(), outbox, new IpActivity(store), baseUrl, clock, worker::wake);
        this.listener = result -> {
            try {
                alerter.flushed(result);
            } catch (RuntimeException e) {
                evaluationFailures.incrementAndGet();
                String m = "alert policies: " + e.getMessage();
                if (!m.equals(lastFailure)) {
                    lastFailure = m;
                    log.accept(m);
                }
                throw e;
            }
        };
    }

    /**
     * Alerting over {@code store}'s outbox.
     *
     * @param settings the {@code alerts} section
     * @param store    where the outbox is and what policies ask about IPs
     * @param baseUrl  the dashboard's base URL for profile links ({@code server.public_url}, or the
     *                 URL the server listens on once it does)
     * @param clock    now, for suppression windows and retries
     * @param log      one line per problem (repeats of the same problem once)
     */
    public static Alerts open(AlertSettings settings, EventStore store, Supplier<String> baseUrl, Clock clock, Consumer<String> log) {
        return new Alerts(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(baseUrl, "baseUrl"), Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(log, "log"));
    }

    /** What the ingest pipeline calls after each flush. */
    public IngestPipeline.FlushListener listener() {
        return listener;
    }

    /** Starts the delivery thread; rows a previous run still owes go first. */
    public Alerts start() {
        worker.start();
        return this;
    }

    /** The outbox, for the API. */
    public AlertOutbox outbox() {
        return outbox;
    }

    /** One delivery pass on the caller's thread (tests, the benchmark); returns the rows attempted. */
    public int deliverDue() {
        return worker.deliverDue();
    }

    /**
     * Registers the alert metrics: {@code threatip_alerts_total{policy}} (alerts counted),
     * {@code threatip_alert_messages_total{policy}}, {@code threatip_alerts_dropped_total{policy}},
     * {@code threatip_alert_deliveries_total{channel,outcome}} (outcome delivered, retry, failed),
     * {@code threatip_alert_outbox{channel,state}} (rows now) and
     * {@code threatip_alert_evaluation_failures_total}.
     */
    public void registerMetrics(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("threatip_alerts").help("Alerts counted per policy: IPs matching it, once per suppression window.")
                .labelNames("policy").callback(cb -> alerter.groupers().forEach((p, g) -> cb.call(g.alerts(), p))).register(registry);
        CounterWithCallback.builder().name("threatip_alert_messages").help("Alert messages written to the outbox per policy (each to every channel of the policy).")
                .labelNames("policy").callback(cb -> alerter.groupers().keySet().forEach(p -> cb.call(alerter.messages(p), p)))
                .register(registry);
        CounterWithCallback.builder().name("threatip_alerts_dropped")
                .help("Matches dropped because a policy had too many open suppression windows.")
                .labelNames("policy").callback(cb -> alerter.groupers().forEach((p, g) -> cb.call(g.dropped(), p))).register(registry);
        CounterWithCallback.builder().name("threatip_alert_deliveries")
                .help("Delivery attempts per channel and outcome: delivered, retry (failed, tried again later), failed (given up).")
                .labelNames("channel", "outcome").callback(cb -> worker.counters().forEach((ch, c) -> {
                    cb.call(c.delivered().get(), ch, "delivered");
                    cb.call(c.retried().get(), ch, "retry");
                    cb.call(c.failed().get(), ch, "failed");
                })).register(registry);
        GaugeWithCallback.builder().name("threatip_alert_outbox").help("Alert outbox rows per channel and state (pending, delivered, failed).")
                .labelNames("channel", "state").callback(cb -> {
                    try {
                        outbox.countsByChannel().forEach((ch, m) -> m.forEach((s, n) -> cb.call(n, ch, s.wireName())));
                    } catch (RuntimeException e) {
                        // the store is closing: nothing to report
                    }
                }).register(registry);
        CounterWithCallback.builder().name("threatip_alert_evaluation_failures")
                .help("Flushes whose alert evaluation failed (the log says why).")
                .callback(cb -> cb.call(evaluationFailures.get())).register(registry);
    }

    /** Stops the delivery thread; what is still owed stays in the outbox for the next start. */
    @Override
    public void close() {
        worker.close();
    }

    // ---------------------------------------------------------------- alerts test

    /**
     * What {@link #test} reports per channel.
     *
     * @param channel the channel's name
     * @param type    its type
     * @param error   why it failed, or null when it was delivered
     */
    public record TestOutcome(String channel, String type, String error) {
        /** Whether the channel acknowledged the sample. */
        public boolean delivered() {
            return error == null;
        }
    }

    /**
     * Sends a sample alert of {@code policy} to each of its channels now, directly (not through
     * the outbox), and says what each answered.
     *
     * @throws IllegalArgumentException when there is no such policy (naming the known ones)
     */
    public static List<TestOutcome> test(AlertSettings settings, String policy, String baseUrl, Clock clock) {
        AlertPolicy p = settings.policy(policy).orElseThrow(() -> new IllegalArgumentException("no alert policy named '" + policy
                + "'; known: " + (settings.policies().isEmpty() ? "none (the config has no alerts.policies)"
                : String.join(", ", settings.policies().stream().map(AlertPolicy::name).toList()))));
        Instant now = clock.instant();
        Alert sample = sample(p, baseUrl, now);
        String payload = AlertJson.write(sample);
        List<TestOutcome> out = new ArrayList<>();
        long id = -now.getEpochSecond(); // negative: never an outbox id, so receivers never dedupe it against a real alert
        for (String name : p.channels()) {
            ChannelSpec spec = settings.channels().get(name);
            try {
                Channel.of(spec, settings.delivery()).send(new Channel.Outgoing(id, sample, payload, now));
                out.add(new TestOutcome(name, spec.type(), null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(new TestOutcome(name, spec.type(), "interrupted"));
            } catch (Exception e) {
                out.add(new TestOutcome(name, spec.type(), DeliveryWorker.describe(e)));
            }
        }
        return out;
    }

    /** A realistic sample: a documentation-range scanner probing for secrets. */
    static Alert sample(AlertPolicy p, String baseUrl, Instant now) {
        IpAddress ip = IpAddress.parse("203.0.113.7");
        String url = Alerter.profileUrl(baseUrl, ip);
        return new Alert(p.name(), p.groupBy(), ip, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                List.of(new CategoryVerdict(Category.SCANNER, Confidence.HIGH, "behavior", List.of("probing-4xx"), List.of()),
                        new CategoryVerdict(Category.NETWORK_ATTACK, Confidence.MODERATE, CategoryVerdict.INTEL, List.of(),
                                List.of("firehol_level1"))),
                37, List.of(new PathCount("/.env", 4), new PathCount("/wp-login.php", 3), new PathCount("/.git/config", 2)),
                List.of("Mozilla/5.0 zgrab/0.x"), now.minus(Duration.ofMinutes(4)), now, url, 1,
                List.of(new Alert.Member(ip, ThreatLevel.HIGH, 37, url)), now);
    }
}
