package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.ingest.IngestPipeline;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.DecisionFilter;
import dev.threatip.store.DecisionStore;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import dev.threatip.store.StoredDecision;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-block policies over a real DuckDB store. Public addresses stand in for attackers because the
 * guard rails refuse documentation space (one test checks exactly that).
 */
class AutoBlockerTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final IpAddress SCANNER = IpAddress.parse("185.180.246.23");

    @TempDir
    Path dir;
    private final Tick clock = new Tick(T0);
    private final List<String> log = new ArrayList<>();
    private final Map<IpAddress, Long> storedHits = new ConcurrentHashMap<>();
    private EventStore events;
    private DecisionStore decisions;

    @BeforeEach
    void open() {
        events = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC));
        decisions = new DecisionStore(events);
    }

    @AfterEach
    void close() {
        events.close();
    }

    private AutoBlocker blocker(BlockingMode mode, List<BlockPolicy> policies) {
        BlockingConfig config = new BlockingConfig(mode, policies, 64, List.of(), Escalation.DEFAULT);
        GuardRails rails = new GuardRails(List.of(), List.of(), GuardRails.KnownGood.none());
        return new AutoBlocker(config, decisions, rails, ip -> storedHits.getOrDefault(ip, 0L), clock, log::add);
    }

    private static Verdict verdict(ThreatLevel level, Category c, Confidence conf, String source, List<String> tags) {
        return new Verdict(Verdict.Kind.MALICIOUS, level, List.of(new CategoryVerdict(c, conf, source,
                source.contains("behavior") ? List.of("probing-4xx") : List.of(),
                source.contains("intel") ? List.of("firehol_level1") : List.of())), tags, null, null, false, List.of());
    }

    private static Verdict high() {
        return verdict(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "behavior", List.of());
    }

    private static IngestPipeline.FlushResult flush(IpAddress ip, Verdict v, long hits) {
        return new IngestPipeline.FlushResult(List.of(), List.of(new ProfileUpdate(ip, v, hits, T0, T0)), 0);
    }

    @Test
    void enforce_bansAHighIpOnce_andEscalatesTheNextOffence() {
        AutoBlocker b = blocker(BlockingMode.ENFORCE, BlockingConfig.DEFAULT_POLICIES);
        b.flushed(flush(SCANNER, high(), 37));
        List<Decision> first = decisions.find(SCANNER, clock.instant());
        assertEquals(1, first.size());
        Decision d = first.get(0);
        assertEquals(DecisionType.BAN, d.type());
        assertEquals(Duration.ofHours(24), Duration.between(d.created(), d.expires()));
        assertEquals("high-ban", d.policy());
        assertEquals(DecisionOrigin.AUTO, d.origin());
        assertEquals(Category.SCANNER, d.category());
        assertEquals(37, d.hits());
        assertEquals(1, d.offence());
        assertEquals("scanner high (behavior: probing-4xx)", d.reason());

        clock.advance(Duration.ofMinutes(5));
        assertEquals(AutoBlocker.Outcome.DUPLICATE, b.consider(SCANNER, high(), 12), "a ban in force: nothing new");
        assertEquals(1, decisions.list(DecisionFilter.all(), clock.instant(), 10, 0).total());

        clock.advance(Duration.ofHours(25));
        assertEquals(AutoBlocker.Outcome.DECIDED, b.consider(SCANNER, high(), 3));
        Decision second = decisions.find(SCANNER, clock.instant()).get(0);
        assertEquals(2, second.offence());
        assertEquals(Duration.ofHours(48), Duration.between(second.created(), second.expires()));
        assertEquals(2, b.count(AutoBlocker.Outcome.DECIDED));
        assertTrue(log.get(log.size() - 1).startsWith("auto-block: ban 185.180.246.23/32 for 2d (offence 2, policy high-ban"),
                log.toString());
    }

    @Test
    void enforce_challengesMedium_thenUpgradesToABanWhenItTurnsHigh() {
        AutoBlocker b = blocker(BlockingMode.ENFORCE, BlockingConfig.DEFAULT_POLICIES);
        Verdict medium = verdict(ThreatLevel.MEDIUM, Category.WEB_ATTACK, Confidence.MODERATE, "intel+behavior", List.of());
        assertEquals(AutoBlocker.Outcome.DECIDED, b.consider(SCANNER, medium, 4));
        assertEquals(DecisionType.CAPTCHA, decisions.find(SCANNER, clock.instant()).get(0).type());
        assertEquals(AutoBlocker.Outcome.DUPLICATE, b.consider(SCANNER, medium, 4));
        assertEquals(AutoBlocker.Outcome.DECIDED, b.consider(SCANNER, high(), 4), "a captcha does not cover a ban");
        assertEquals(List.of(DecisionType.CAPTCHA, DecisionType.BAN),
                decisions.find(SCANNER, clock.instant()).stream().map(Decision::type).toList());
    }

    @Test
    void enforce_aggregatesIpv6ClientsToTheirSlash64_andChallengesSharedAddresses() {
        AutoBlocker b = blocker(BlockingMode.ENFORCE, BlockingConfig.DEFAULT_POLICIES);
        IpAddress v6 = IpAddress.parse("2a02:4780:12:abcd:1:2:3:4");
        b.consider(v6, high(), 9);
        assertEquals(AutoBlocker.Outcome.DUPLICATE, b.consider(IpAddress.parse("2a02:4780:12:abcd::99"), high(), 9),
                "a neighbour in the same /64 is covered");
        assertEquals(Cidr.parse("2a02:4780:12:abcd::/64"), decisions.active(clock.instant()).get(0).scope());

        IpAddress nat = IpAddress.parse("185.220.101.37");
        b.consider(nat, verdict(ThreatLevel.HIGH, Category.SCANNER, Confidence.HIGH, "behavior", List.of("shared")), 50);
        Decision d = decisions.find(nat, clock.instant()).get(0);
        assertEquals(DecisionType.CAPTCHA, d.type());
        assertTrue(d.reason().endsWith("shared address: challenge, not ban"), d.reason());
    }

    @Test
    void policies_matchOnSourceCategoriesConfidenceAndHits_firstMatchWins() {
        BlockPolicy intelExploit = new BlockPolicy("intel-exploit", ThreatLevel.MEDIUM, BlockPolicy.Source.INTEL, 0,
                Set.of(Category.EXPLOIT), Confidence.MODERATE, DecisionType.BAN, Duration.ofHours(6));
        BlockPolicy seen = new BlockPolicy("seen-often", ThreatLevel.HIGH, BlockPolicy.Source.BEHAVIOR, 20, Set.of(),
                Confidence.HIGH, DecisionType.CAPTCHA, Duration.ofHours(1));
        AutoBlocker b = blocker(BlockingMode.ENFORCE, List.of(intelExploit, seen));

        IpAddress listed = IpAddress.parse("45.155.205.233");
        Verdict exploit = verdict(ThreatLevel.HIGH, Category.EXPLOIT, Confidence.HIGH, "intel", List.of());
        assertEquals(AutoBlocker.Outcome.DECIDED, b.consider(listed, exploit, 0), "min_hits 0: intel alone suffices");
        assertEquals("intel-exploit", decisions.find(listed, clock.instant()).get(0).policy());

        assertEquals(AutoBlocker.Outcome.NO_MATCH, b.consider(SCANNER, high(), 5), "5 hits, no stored profile");
        storedHits.put(SCANNER, 25L);
        assertEquals(AutoBlocker.Outcome.DECIDED, b.consider(SCANNER, high(), 5), "the profile's total hits count");
        assertEquals("seen-often", decisions.find(SCANNER, clock.instant()).get(0).policy());

        IpAddress weak = IpAddress.parse("91.240.157.246");
        assertEquals(AutoBlocker.Outcome.NO_MATCH, b.consider(weak,
                verdict(ThreatLevel.HIGH, Category.BRUTE_FORCE, Confidence.MODERATE, "behavior", List.of()), 100),
                "moderate is below min_confidence high");
        assertEquals(AutoBlocker.Outcome.NO_MATCH, b.consider(weak, Verdict.clean(), 100));
    }

    @Test
    void monitor_storesNothing_andLogsEachWouldBeDecisionOnce() {
        AutoBlocker b = blocker(BlockingMode.MONITOR, BlockingConfig.DEFAULT_POLICIES);
        for (int i = 0; i < 3; i++) {
            assertEquals(AutoBlocker.Outcome.MONITORED, b.consider(SCANNER, high(), 10));
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(0, decisions.list(DecisionFilter.all(), clock.instant(), 10, 0).total());
        assertEquals(List.of("auto-block (monitor): would have banned 185.180.246.23/32 for 1d by policy high-ban: "
                + "scanner high (behavior: probing-4xx)"), log);
    }

    @Test
    void simulate_storesSimulatedDecisionsThatAreNeverEnforced() {
        AutoBlocker b = blocker(BlockingMode.SIMULATE, BlockingConfig.DEFAULT_POLICIES);
        assertEquals(AutoBlocker.Outcome.SIMULATED, b.consider(SCANNER, high(), 10));
        assertEquals(AutoBlocker.Outcome.DUPLICATE, b.consider(SCANNER, high(), 10));
        assertEquals(List.of(), decisions.find(SCANNER, clock.instant()));
        List<StoredDecision> listed = decisions.list(new DecisionFilter(SCANNER, null, null, true, null), clock.instant(), 10, 0)
                .items();
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).simulated());
        // a simulated history does not escalate real decisions
        AutoBlocker enforce = blocker(BlockingMode.ENFORCE, BlockingConfig.DEFAULT_POLICIES);
        enforce.consider(SCANNER, high(), 10);
        assertEquals(1, decisions.find(SCANNER, clock.instant()).get(0).offence());
    }

    @Test
    void guardRails_refuseDocumentationSpace_andTheRefusalIsLogged() {
        AutoBlocker b = blocker(BlockingMode.ENFORCE, BlockingConfig.DEFAULT_POLICIES);
        assertEquals(AutoBlocker.Outcome.REFUSED, b.consider(IpAddress.parse("203.0.113.7"), high(), 10));
        assertEquals(AutoBlocker.Outcome.REFUSED, b.consider(IpAddress.parse("203.0.113.7"), high(), 10));
        assertEquals(0, decisions.list(DecisionFilter.all(), clock.instant(), 10, 0).total());
        assertEquals(List.of("auto-block: policy high-ban refused: 203.0.113.7/32 is documentation space "
                + "(special-purpose, RFC 6890): never decided"), log, "logged once an hour, not once a flush");
        assertEquals(2, b.count(AutoBlocker.Outcome.REFUSED));
    }

    /** A clock tests move by hand. */
    static final class Tick extends Clock {
        private volatile Instant now;

        Tick(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
