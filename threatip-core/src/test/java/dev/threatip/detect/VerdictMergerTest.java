package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictMergerTest {
    private static final IpAddress IP = IpAddress.parse("203.0.113.7");

    private static Detection det(String rule, Category c, Confidence conf, String... tags) {
        return new Detection(rule, c, conf, IP.toString(), IP, 3, Duration.ofMinutes(10), 1_000, 2_000, List.of(tags), List.of(7L));
    }

    private static Verdict intel(CategoryVerdict... cs) {
        List<CategoryVerdict> l = List.of(cs);
        return new Verdict(dev.threatip.intel.ConfidenceModel.kindOf(l), dev.threatip.intel.ConfidenceModel.levelOf(l), l,
                List.of("feedtag"), Instant.ofEpochSecond(10), Instant.ofEpochSecond(20), true, List.of());
    }

    @Test
    void merge_noDetections_returnsIntelUnchanged() {
        Verdict v = intel(new CategoryVerdict(Category.SCANNER, Confidence.GENERAL, "intel", List.of(), List.of("f")));
        assertSame(v, VerdictMerger.merge(v, List.of()));
    }

    @Test
    void merge_behaviourOnly_sourceBehaviorAndLevelRecomputed() {
        Verdict v = VerdictMerger.merge(Verdict.clean(), List.of(
                det("scanner-sensitive-files", Category.SCANNER, Confidence.MODERATE, "probe"),
                det("scanner-tool-user-agent", Category.SCANNER, Confidence.HIGH),
                det("proxy-many-clients", Category.NETWORK_PROXY, Confidence.GENERAL, "shared")));
        assertEquals(Verdict.Kind.MALICIOUS, v.kind());
        assertEquals(ThreatLevel.HIGH, v.level());
        CategoryVerdict scanner = v.categories().get(0);
        assertEquals(new CategoryVerdict(Category.SCANNER, Confidence.HIGH, "behavior",
                List.of("scanner-sensitive-files", "scanner-tool-user-agent"), List.of()), scanner);
        assertEquals(List.of("probe", "shared"), v.tags());
        assertEquals(Instant.ofEpochMilli(1_000), v.firstSeen());
        assertEquals(false, v.stale());
    }

    @Test
    void merge_sameCategory_intelPlusBehaviorWithMaxConfidenceAndFeedsKept() {
        Verdict in = intel(new CategoryVerdict(Category.SCANNER, Confidence.GENERAL, "intel", List.of(), List.of("blocklist_de")),
                new CategoryVerdict(Category.NETWORK_ATTACK, Confidence.MODERATE, "intel", List.of(), List.of("firehol_level1")));
        Verdict v = VerdictMerger.merge(in, List.of(det("scanner-admin-probes", Category.SCANNER, Confidence.MODERATE)));
        assertEquals(List.of(
                new CategoryVerdict(Category.NETWORK_ATTACK, Confidence.MODERATE, "intel", List.of(), List.of("firehol_level1")),
                new CategoryVerdict(Category.SCANNER, Confidence.MODERATE, "intel+behavior", List.of("scanner-admin-probes"),
                        List.of("blocklist_de"))), v.categories());
        assertEquals(ThreatLevel.MEDIUM, v.level());
        assertEquals(List.of("feedtag"), v.tags());
        assertEquals(Instant.ofEpochSecond(1), v.firstSeen());
        assertEquals(Instant.ofEpochSecond(20), v.lastSeen());
    }

    @Test
    void merge_intelSuppressedKnownGood_staysClean() {
        Verdict good = new Verdict(Verdict.Kind.CLEAN, null, List.of(), List.of(), null, null, false,
                List.of("suppressed: known-good (googlebot)"));
        Verdict v = VerdictMerger.merge(good, List.of(det("bot-non-browser-rate", Category.MALICIOUS_BOT, Confidence.HIGH)));
        assertEquals(Verdict.Kind.CLEAN, v.kind());
        assertEquals(2, v.notes().size());
    }
}
