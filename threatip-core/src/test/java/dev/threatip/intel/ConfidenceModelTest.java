package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worked examples of the confidence model, as documented in intel/README.md. */
class ConfidenceModelTest {
    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final ConfidenceModel model = ConfidenceModel.defaults();

    private static CompiledFeed feed(String name, double reliability, Instant published, Category... cats) {
        return new CompiledFeed(name, name, "test", FeedFormat.PLAIN, FeedRole.THREAT, reliability, Set.of(cats), null, null,
                published, null);
    }

    private static Listing listing(CompiledFeed f, Evidence e) {
        return new Listing(f, e);
    }

    @Test
    void assess_ipsumCounts_riseFromGeneralToHigh() {
        CompiledFeed ipsum = feed("ipsum", 0.3, NOW.minus(Duration.ofDays(2)), Category.NETWORK_ATTACK);
        // w = 1 - (1 - 0.3)^n: n=1 0.30, n=2 0.51, n=4 0.76
        assertEquals(Confidence.GENERAL, model.assess(List.of(listing(ipsum, Evidence.ofListCount(1))), NOW)
                .confidenceOf(Category.NETWORK_ATTACK));
        assertEquals(Confidence.MODERATE, model.assess(List.of(listing(ipsum, Evidence.ofListCount(2))), NOW)
                .confidenceOf(Category.NETWORK_ATTACK));
        assertEquals(Confidence.HIGH, model.assess(List.of(listing(ipsum, Evidence.ofListCount(4))), NOW)
                .confidenceOf(Category.NETWORK_ATTACK));
    }

    @Test
    void assess_twoIndependentFeeds_combineAboveEither() {
        CompiledFeed a = feed("blocklist_de_ssh", 0.6, NOW, Category.BRUTE_FORCE);
        CompiledFeed b = feed("bruteforceblocker", 0.5, NOW, Category.BRUTE_FORCE);
        // 1 - 0.4 × 0.5 = 0.80: two moderate sources make a high one.
        Verdict v = model.assess(List.of(listing(a, Evidence.NONE), listing(b, Evidence.NONE)), NOW);
        assertEquals(Confidence.HIGH, v.confidenceOf(Category.BRUTE_FORCE));
        assertEquals(ThreatLevel.HIGH, v.level());
        assertEquals(List.of("blocklist_de_ssh", "bruteforceblocker"), v.categories().get(0).feeds());
    }

    @Test
    void assess_feedsOfOneFamily_countAsOneSource() {
        CompiledFeed ipsum = new CompiledFeed("ipsum", "ipsum", "t", FeedFormat.IPSUM, FeedRole.THREAT, 0.3,
                Set.of(Category.NETWORK_ATTACK), null, null, NOW, null);
        CompiledFeed level3 = new CompiledFeed("ipsum_levels_3", "ipsum", "t", FeedFormat.PLAIN, FeedRole.THREAT, 0.3,
                Set.of(Category.NETWORK_ATTACK), null, null, NOW, null);
        CompiledFeed level2 = new CompiledFeed("ipsum_levels_2", "ipsum", "t", FeedFormat.PLAIN, FeedRole.THREAT, 0.3,
                Set.of(Category.NETWORK_ATTACK), null, null, NOW, null);
        // Three files of one aggregate: as strong as the strongest (0.30), not 1 - 0.7^3 = 0.66.
        Verdict v = model.assess(List.of(listing(ipsum, Evidence.ofListCount(1)), listing(level3, Evidence.NONE),
                listing(level2, Evidence.NONE)), NOW);
        assertEquals(Confidence.GENERAL, v.confidenceOf(Category.NETWORK_ATTACK));
        assertEquals(List.of("ipsum", "ipsum_levels_3", "ipsum_levels_2"), v.categories().get(0).feeds());
    }

    @Test
    void assess_staleEvidence_fadesToFloorButStays() {
        CompiledFeed old = feed("blocklist_de_ssh", 0.8, Instant.parse("2022-01-24T11:00:09Z"), Category.BRUTE_FORCE);
        Verdict v = model.assess(List.of(listing(old, Evidence.NONE)), NOW);
        // 0.8 × floor 0.25 = 0.20: general, and said to be stale.
        assertEquals(Confidence.GENERAL, v.confidenceOf(Category.BRUTE_FORCE));
        assertTrue(v.stale());
        ConfidenceModel.WeighedListing w = model.weigh(listing(old, Evidence.NONE), NOW);
        assertEquals(0.20, w.weight(), 1e-9);
    }

    @Test
    void weigh_agePastFreshWindow_halvesPerHalfLife() {
        CompiledFeed f = feed("x", 0.8, NOW.minus(Duration.ofDays(30 + 90)), Category.SCANNER);
        assertEquals(0.4, model.weigh(listing(f, Evidence.NONE), NOW).weight(), 1e-9);
    }

    @Test
    void assess_validUntilPassed_expires() {
        CompiledFeed f = feed("stix", 0.9, NOW, Category.NETWORK_ATTACK);
        Evidence e = new Evidence(Set.of(), 90, 0, null, null, NOW.minusSeconds(1), List.of());
        Verdict v = model.assess(List.of(listing(f, e)), NOW);
        assertEquals(Verdict.Kind.CLEAN, v.kind());
        assertTrue(v.notes().get(0).startsWith("expired"));
    }

    @Test
    void assess_feedTtlPassed_expires() {
        CompiledFeed f = new CompiledFeed("x", "x", "t", FeedFormat.PLAIN, FeedRole.THREAT, 0.9, Set.of(Category.SCANNER), null,
                Duration.ofDays(7), NOW.minus(Duration.ofDays(8)), null);
        assertFalse(model.assess(List.of(listing(f, Evidence.NONE)), NOW).isFlagged());
    }

    @Test
    void assess_scoreScalesStrength() {
        CompiledFeed abuse = feed("abuseipdb", 0.8, NOW, Category.NETWORK_ATTACK);
        Evidence s100 = new Evidence(Set.of(Category.BRUTE_FORCE), 100, 0, null, NOW, null, List.of());
        Evidence s50 = new Evidence(Set.of(Category.BRUTE_FORCE), 50, 0, null, NOW, null, List.of());
        assertEquals(Confidence.HIGH, model.assess(List.of(listing(abuse, s100)), NOW).confidenceOf(Category.BRUTE_FORCE));
        assertEquals(Confidence.GENERAL, model.assess(List.of(listing(abuse, s50)), NOW).confidenceOf(Category.BRUTE_FORCE));
        assertEquals(null, model.assess(List.of(listing(abuse, s50)), NOW).confidenceOf(Category.NETWORK_ATTACK),
                "the entry's own categories replace the feed's");
    }

    @Test
    void assess_threeModerateCategories_makeLevelHigh() {
        Verdict v = model.assess(List.of(
                listing(feed("a", 0.5, NOW, Category.SCANNER), Evidence.NONE),
                listing(feed("b", 0.5, NOW, Category.WEB_ATTACK), Evidence.NONE),
                listing(feed("c", 0.5, NOW, Category.EXPLOIT), Evidence.NONE)), NOW);
        assertEquals(Verdict.Kind.MALICIOUS, v.kind());
        assertEquals(ThreatLevel.HIGH, v.level());
    }

    @Test
    void assess_allowListing_suppressesWithNote() {
        CompiledFeed bad = feed("ipsum", 0.3, NOW, Category.NETWORK_ATTACK);
        CompiledFeed googlebot = new CompiledFeed("googlebot", "googlebot", "t", FeedFormat.WARNINGLIST, FeedRole.ALLOW, 1, Set.of(),
                null, null, NOW, null);
        Verdict v = model.assess(List.of(listing(bad, Evidence.ofListCount(9)), listing(googlebot, Evidence.NONE)), NOW);
        assertEquals(Verdict.Kind.CLEAN, v.kind());
        assertEquals(List.of("suppressed: known-good (googlebot)"), v.notes());
    }

    @Test
    void assess_downgradeListing_lowersOneStepAndDropsGeneral() {
        CompiledFeed scanners = feed("mass_scanner", 0.6, NOW, Category.SCANNER);
        CompiledFeed weak = feed("weak", 0.2, NOW, Category.NETWORK_ATTACK);
        CompiledFeed shodan = new CompiledFeed("shodan-scanning", "shodan-scanning", "t", FeedFormat.WARNINGLIST, FeedRole.DOWNGRADE, 1,
                Set.of(), null, null, NOW, null);
        Verdict v = model.assess(List.of(listing(scanners, Evidence.NONE), listing(weak, Evidence.NONE),
                listing(shodan, Evidence.NONE)), NOW);
        assertEquals(Confidence.GENERAL, v.confidenceOf(Category.SCANNER));
        assertEquals(null, v.confidenceOf(Category.NETWORK_ATTACK));
        assertEquals(Verdict.Kind.SUSPICIOUS, v.kind());
    }

    @Test
    void assess_specConfidence_fixesStrength() {
        CompiledFeed f = new CompiledFeed("partner", "partner", "t", FeedFormat.PLAIN, FeedRole.THREAT, 0.1, Set.of(Category.EXPLOIT),
                Confidence.HIGH, null, NOW, null);
        assertEquals(Confidence.HIGH, model.assess(List.of(listing(f, Evidence.NONE)), NOW).confidenceOf(Category.EXPLOIT));
    }
}
