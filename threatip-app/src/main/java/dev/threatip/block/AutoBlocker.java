package dev.threatip.block;

import dev.threatip.ingest.IngestPipeline;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.DurationText;
import dev.threatip.intel.Verdict;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.ProfileUpdate;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The auto-block policies at work: told after every pipeline flush, it walks the flushed profile
 * updates, finds the first policy each flagged IP meets, and — through the guard rails, with
 * de-duplication and escalation — decides, stores a simulated decision, or logs what it would
 * have done, as {@link BlockingMode} says.
 *
 * <p>Per update: policy match in memory; the IP's total hits from the store only when the
 * update's own hits are below the policy's {@code min_hits}; one query for an active decision
 * covering the scope (same or stronger type: nothing new), one to count offences. Monitor mode
 * remembers what it logged (bounded, {@value #MONITOR_MEMORY} scopes) so a busy attacker is
 * logged once per would-be decision, not once per second.
 */
public final class AutoBlocker implements IngestPipeline.FlushListener {
    static final int MONITOR_MEMORY = 100_000;

    /** What one profile update came to. */
    public enum Outcome {
        /** No policy matched (or too few hits). */
        NO_MATCH,
        /** A real decision was stored. */
        DECIDED,
        /** A simulated decision was stored. */
        SIMULATED,
        /** Logged as "would have decided". */
        MONITORED,
        /** An active decision already covers the scope with the same or a stronger type. */
        DUPLICATE,
        /** The guard rails refused. */
        REFUSED
    }

    private final BlockingConfig config;
    private final DecisionStore decisions;
    private final GuardRails rails;
    private final ToLongFunction<IpAddress> totalHits;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<Cidr, Instant> monitored = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Cidr, Instant> eldest) {
            return size() > MONITOR_MEMORY;
        }
    };
    private final Map<Outcome, AtomicLong> counts = new java.util.EnumMap<>(Outcome.class);

    /**
     * @param totalHits an IP's requests in the store (its profile's hits), asked only when a flush's
     *                  own hits fall short of a policy's {@code min_hits}
     * @param log       one line per decision, would-be decision and refusal
     */
    public AutoBlocker(BlockingConfig config, DecisionStore decisions, GuardRails rails, ToLongFunction<IpAddress> totalHits,
                       Clock clock, Consumer<String> log) {
        this.config = Objects.requireNonNull(config, "config");
        this.decisions = Objects.requireNonNull(decisions, "decisions");
        this.rails = Objects.requireNonNull(rails, "rails");
        this.totalHits = Objects.requireNonNull(totalHits, "totalHits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        for (Outcome o : Outcome.values()) {
            counts.put(o, new AtomicLong());
        }
    }

    @Override
    public void flushed(IngestPipeline.FlushResult result) {
        for (ProfileUpdate u : result.profiles()) {
            consider(u.ip(), u.verdict(), u.hits());
        }
    }

    /**
     * Applies the policies to one IP.
     *
     * @param newHits the IP's requests counted in this update (its total is asked of the store when
     *                they fall short of {@code min_hits})
     */
    public Outcome consider(IpAddress ip, Verdict verdict, long newHits) {
        Outcome o = decide(ip, verdict, newHits);
        counts.get(o).incrementAndGet();
        return o;
    }

    private Outcome decide(IpAddress ip, Verdict verdict, long newHits) {
        if (!verdict.isFlagged()) {
            return Outcome.NO_MATCH;
        }
        BlockPolicy policy = null;
        CategoryVerdict because = null;
        long hits = newHits;
        boolean totalKnown = false;
        for (BlockPolicy p : config.policies()) {
            CategoryVerdict c = p.match(verdict);
            if (c == null) {
                continue;
            }
            if (hits < p.minHits() && !totalKnown) {
                hits = Math.max(hits, totalHits.applyAsLong(ip));
                totalKnown = true;
            }
            if (hits >= p.minHits()) {
                policy = p;
                because = c;
                break;
            }
        }
        if (policy == null) {
            return Outcome.NO_MATCH;
        }
        Instant now = clock.instant();
        Cidr scope = config.scopeOf(ip);
        GuardRails.Check check = rails.check(scope, policy.type(), verdict, false, now);
        if (!check.allowed()) {
            if (remember(scope, now, Duration.ofHours(1))) {
                log.accept("auto-block: policy " + policy.name() + " refused: " + check.why());
            }
            return Outcome.REFUSED;
        }
        DecisionType type = check.type();
        String reason = because.category().wireName() + " " + because.confidence().wireName() + " ("
                + because.source() + (because.rules().isEmpty() ? "" : ": " + String.join(", ", because.rules()))
                + (because.feeds().isEmpty() ? "" : (because.rules().isEmpty() ? ": " : "; ") + String.join(", ", because.feeds()))
                + ")" + (check.why() == null ? "" : "; shared address: challenge, not ban");
        if (config.mode() == BlockingMode.MONITOR) {
            if (remember(scope, now, policy.duration())) {
                log.accept("auto-block (monitor): would have " + (type == DecisionType.BAN ? "banned " : "challenged ")
                        + scope + " for " + DurationText.format(policy.duration()) + " by policy "
                        + policy.name() + ": " + reason);
            }
            return Outcome.MONITORED;
        }
        boolean simulated = config.mode() == BlockingMode.SIMULATE;
        for (Decision d : decisions.covering(scope, now, simulated)) {
            if (d.type().atLeastAsStrongAs(type)) {
                return Outcome.DUPLICATE; // a captcha in force does not stop a ban: escalation upgrades it
            }
        }
        int offence = decisions.offences(scope, simulated) + 1;
        Duration duration = config.escalation().duration(policy.duration(), offence);
        Decision d = new Decision(0, scope, type, now, now.plus(duration), reason, DecisionOrigin.AUTO, policy.name(),
                because.category(), because.confidence(), hits, offence);
        Decision stored = simulated ? decisions.addSimulated(d) : decisions.add(d);
        log.accept("auto-block" + (simulated ? " (simulate)" : "") + ": " + type.wireName() + " " + scope + " for "
                + DurationText.format(duration) + " (offence " + offence + ", policy " + policy.name()
                + ", decision " + stored.id() + "): " + reason);
        return simulated ? Outcome.SIMULATED : Outcome.DECIDED;
    }

    /** Whether {@code scope} was not remembered (or its memory ran out): remembers it for {@code ttl}. */
    private boolean remember(Cidr scope, Instant now, Duration ttl) {
        synchronized (monitored) {
            Instant until = monitored.get(scope);
            if (until != null && until.isAfter(now)) {
                return false;
            }
            monitored.put(scope, now.plus(ttl));
            return true;
        }
    }

    /** How many profile updates came to {@code outcome} since start. */
    public long count(Outcome outcome) {
        return counts.get(outcome).get();
    }

    /**
     * Adds {@code threatip_autoblock_outcomes_total{outcome}} and {@code threatip_decisions_active}
     * to {@code registry}.
     */
    public void register(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("threatip_autoblock_outcomes")
                .help("Flushed profile updates by what the auto-block policies made of them.").labelNames("outcome")
                .callback(cb -> counts.forEach((o, n) -> cb.call(n.get(), o.name().toLowerCase(java.util.Locale.ROOT))))
                .register(registry);
        GaugeWithCallback.builder().name("threatip_decisions_active").help("Real decisions in force now.")
                .callback(cb -> cb.call(decisions.countActive(clock.instant())))
                .register(registry);
    }
}
