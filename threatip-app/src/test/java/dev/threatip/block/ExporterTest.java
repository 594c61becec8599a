package dev.threatip.block;

import static dev.threatip.block.DecisionFixtures.ban;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The selection every export shares: ranking, the deterministic cut, merging, fitting, and the report of what was left out. */
class ExporterTest {
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final ExportOptions AT_NOW = ExportOptions.at(NOW);

    @Test
    void forTarget_unknownName_listsTheKnownFormats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exporter.forTarget("pf"));
        assertEquals("unknown format 'pf'; known: nftables, ipset, iptables, ip6tables, nginx, nginx-geo, haproxy,"
                + " haproxy-map, apache, plain, csv, json, stix, aws-sg, aws-waf, tencent-sg, cloudflare", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Exporter.forTarget(null));
    }

    @Test
    void targets_coverEveryNameOfTheDesign() {
        for (String name : List.of("nftables", "ipset", "iptables", "nginx", "haproxy", "apache", "plain", "csv", "json",
                "stix", "aws-sg", "tencent-sg", "cloudflare")) {
            assertEquals(name, Exporter.forTarget(name).name());
        }
    }

    @Test
    void capacity_knowsEachTargetsLimit() {
        assertEquals(new Capacity(65_536, true, "ipset's default maxelem"), Exporter.forTarget("ipset").capacity());
        assertEquals(20, Exporter.forTarget("aws-sg").capacity().limit());
        assertEquals(10_000, Exporter.forTarget("aws-waf").capacity().limit());
        assertTrue(Exporter.forTarget("aws-waf").capacity().perFamily());
        assertEquals(100, Exporter.forTarget("tencent-sg").capacity().limit());
        assertFalse(Exporter.forTarget("cloudflare").capacity().perFamily());
        assertEquals(10_000, Exporter.forTarget("cloudflare").capacity().limit());
        assertTrue(Exporter.forTarget("nftables").capacity().unlimited());
        assertTrue(Exporter.forTarget("nginx").capacity().unlimited());
    }

    @Test
    void export_overCapacity_ranksByConfidenceThenRecencyThenHitsThenScope() {
        List<Decision> ds = List.of(
                ban(1, "203.0.113.1", NOW.minusSeconds(60), Confidence.MODERATE, 900),   // newest moderate
                ban(2, "203.0.113.2", NOW.minusSeconds(7200), Confidence.HIGH, 1),       // old but high: first
                ban(3, "203.0.113.3", NOW.minusSeconds(600), Confidence.MODERATE, 50),   // same time as 4, more hits
                ban(4, "203.0.113.4", NOW.minusSeconds(600), Confidence.MODERATE, 5),
                ban(5, "203.0.113.6", NOW.minusSeconds(600), Confidence.MODERATE, 5),    // ties 4 but for scope: after
                ban(6, "203.0.113.7", NOW.minusSeconds(30), null, 10_000));              // manual, no confidence: last
        for (int limit = 1; limit <= ds.size(); limit++) {
            ExportResult r = Exporter.forTarget("plain").export(ds, AT_NOW.withLimit(limit));
            List<String> kept = lines(r.text());
            List<String> expected = List.of("203.0.113.2", "203.0.113.1", "203.0.113.3", "203.0.113.4", "203.0.113.6",
                    "203.0.113.7").subList(0, limit);
            assertEquals(expected.stream().sorted().toList(), kept.stream().sorted().toList(), "limit " + limit);
            assertEquals(ds.size() - limit, r.leftOut().size());
            r.leftOut().forEach(l -> assertEquals(LeftOut.Reason.CAPACITY, l.reason()));
        }
    }

    @Test
    void export_anyInputOrder_writesTheSameBytes() {
        List<Decision> ds = new ArrayList<>(DecisionFixtures.decisions(DecisionFixtures.golden("mixed")));
        for (int i = 0; i < 40; i++) {
            ds.add(ban(200 + i, "198.51.100." + (i * 3), NOW.minusSeconds(i % 4 * 60), Confidence.values()[i % 3], i % 5));
        }
        Random random = new Random(42);
        for (String target : Exporter.targets()) {
            byte[] first = Exporter.forTarget(target).export(ds, AT_NOW.withLimit(17)).content();
            for (int round = 0; round < 5; round++) {
                List<Decision> shuffled = new ArrayList<>(ds);
                Collections.shuffle(shuffled, random);
                assertArrayEquals(first, Exporter.forTarget(target).export(shuffled, AT_NOW.withLimit(17)).content(), target);
            }
        }
    }

    @Test
    void export_expiredAtOrBeforeNow_isLeftOutAndTimeoutsCountUpFromNow() {
        Decision ending = new Decision(1, Cidr.parse("203.0.113.7"), DecisionType.BAN, NOW.minusSeconds(3600), NOW, "x",
                DecisionOrigin.MANUAL, null, null, null, 0, 1);
        Decision running = new Decision(2, Cidr.parse("203.0.113.8"), DecisionType.BAN, NOW.minusSeconds(3600),
                NOW.plusMillis(1_500), "y", DecisionOrigin.MANUAL, null, null, null, 0, 1);
        ExportResult r = Exporter.forTarget("nftables").export(List.of(ending, running), AT_NOW);
        assertEquals(1, r.exported());
        assertEquals(LeftOut.Reason.EXPIRED, r.leftOut().get(0).reason());
        assertTrue(r.text().contains("203.0.113.8 timeout 2s comment \"y\""), r.text());
    }

    @Test
    void export_captcha_leftOutOfFirewallsKeptInMapsUnlessBansOnly() {
        Decision captcha = new Decision(1, Cidr.parse("198.51.100.23"), DecisionType.CAPTCHA, NOW, NOW.plusSeconds(3600),
                "malicious_bot moderate: scraping", DecisionOrigin.AUTO, "challenge", Category.MALICIOUS_BOT,
                Confidence.MODERATE, 85, 1);
        ExportResult nft = Exporter.forTarget("nftables").export(List.of(captcha), AT_NOW);
        assertEquals(0, nft.exported());
        assertEquals(LeftOut.Reason.TYPE, nft.leftOut().get(0).reason());
        assertTrue(nft.leftOut().get(0).detail().contains("cannot challenge"), nft.leftOut().get(0).detail());
        assertTrue(Exporter.forTarget("haproxy-map").export(List.of(captcha), AT_NOW).text().contains("198.51.100.23/32 captcha"));
        ExportResult bansOnly = Exporter.forTarget("csv").export(List.of(captcha), AT_NOW.withBansOnly(true));
        assertEquals(0, bansOnly.exported());
        assertEquals("captcha: only bans were asked for", bansOnly.leftOut().get(0).detail());
    }

    @Test
    void export_broaderBanArrivingLater_replacesTheCoveredScopesAndFreesTheirSlots() {
        List<Decision> ds = List.of(
                ban(1, "192.0.2.7", NOW.minusSeconds(10), Confidence.HIGH, 9),
                ban(2, "192.0.2.9", NOW.minusSeconds(20), Confidence.HIGH, 9),
                ban(3, "198.51.100.1", NOW.minusSeconds(30), Confidence.HIGH, 9),
                ban(4, "192.0.2.0/24", NOW.minusSeconds(40), Confidence.MODERATE, 9));
        ExportResult r = Exporter.forTarget("nftables").export(ds, AT_NOW.withLimit(3));
        assertEquals(2, r.exported());
        assertTrue(r.text().contains("192.0.2.0/24 timeout"), r.text());
        assertTrue(r.text().contains("198.51.100.1 timeout"), r.text());
        assertEquals(Map.of(LeftOut.Reason.COVERED, 2), r.leftOutCounts());
        assertEquals("covered by ban 192.0.2.0/24 (#4)", r.leftOut().get(0).detail());
    }

    @Test
    void export_banInsideChallengedNetwork_staysForLongestPrefixMatchButNotTheOtherWayRound() {
        Decision captchaNet = new Decision(1, Cidr.parse("198.51.100.0/24"), DecisionType.CAPTCHA, NOW, NOW.plusSeconds(600),
                "proxy pool", DecisionOrigin.AUTO, null, Category.NETWORK_PROXY, Confidence.MODERATE, 50, 1);
        Decision banInside = ban(2, "198.51.100.200", NOW.minusSeconds(60), Confidence.HIGH, 3);
        Decision banNet = ban(3, "192.0.2.0/24", NOW.minusSeconds(60), Confidence.HIGH, 3);
        Decision captchaInside = new Decision(4, Cidr.parse("192.0.2.9"), DecisionType.CAPTCHA, NOW, NOW.plusSeconds(600),
                "scraping", DecisionOrigin.AUTO, null, Category.MALICIOUS_BOT, Confidence.HIGH, 50, 1);
        ExportResult geo = Exporter.forTarget("nginx-geo").export(List.of(captchaNet, banInside, banNet, captchaInside), AT_NOW);
        assertEquals(3, geo.exported());
        assertTrue(geo.text().contains("198.51.100.0/24 captcha;"));
        assertTrue(geo.text().contains("198.51.100.200/32 ban;"));
        assertTrue(geo.text().contains("192.0.2.0/24 ban;"));
        assertEquals("covered by ban 192.0.2.0/24 (#3)", geo.leftOut().get(0).detail());
    }

    @Test
    void export_sameScopeTwice_keepsTheHigherRankedOnce() {
        Decision older = ban(1, "203.0.113.7", NOW.minusSeconds(7200), Confidence.HIGH, 9);
        Decision newer = ban(2, "203.0.113.7", NOW.minusSeconds(60), Confidence.HIGH, 9);
        ExportResult r = Exporter.forTarget("ipset").export(List.of(older, newer), AT_NOW);
        assertEquals(1, r.exported());
        assertEquals(older, r.leftOut().get(0).decision());
        assertEquals(LeftOut.Reason.DUPLICATE, r.leftOut().get(0).reason());
        assertEquals(2, Exporter.forTarget("json").export(List.of(older, newer), AT_NOW).exported(), "records keep both");
    }

    @Test
    void export_perFamilyCapacity_countsEachFamilyAndTotalCapacityBoth() {
        List<Decision> ds = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            ds.add(ban(i, "203.0.113." + i, NOW.minusSeconds(i), Confidence.HIGH, 1));
            ds.add(ban(100 + i, "2001:db8:" + Integer.toHexString(i) + "::/64", NOW.minusSeconds(i), Confidence.HIGH, 1));
        }
        ExportResult nacl = Exporter.forTarget("aws-sg").export(ds, AT_NOW);
        assertEquals(40, nacl.exported(), "20 per family");
        assertEquals(20, count(nacl.text(), "\"CidrBlock\""));
        assertEquals(20, count(nacl.text(), "\"Ipv6CidrBlock\""));
        assertEquals(40, count(nacl.text(), "\"RuleNumber\""));
        assertTrue(nacl.text().contains("\"RuleNumber\" : 40") || nacl.text().contains("\"RuleNumber\": 40"));
        ExportResult tencent = Exporter.forTarget("tencent-sg").export(ds, AT_NOW.withLimit(25));
        assertEquals(25, tencent.exported(), "in total");
        assertEquals(35, tencent.leftOutCounts().get(LeftOut.Reason.CAPACITY));
        assertEquals("over capacity: 25 in total (--limit)", tencent.leftOut().get(0).detail());
    }

    @Test
    void export_cloudflare_widensLongIpv6ToSlash64AndRefusesTooBroadScopes() {
        List<Decision> ds = List.of(
                ban(1, "2001:db8:7::1", NOW.minusSeconds(10), Confidence.HIGH, 9),
                ban(2, "2001:db8:7::2", NOW.minusSeconds(20), Confidence.HIGH, 9),
                ban(3, "10.0.0.0/7", NOW.minusSeconds(30), Confidence.HIGH, 9),
                ban(4, "2000::/3", NOW.minusSeconds(30), Confidence.HIGH, 9));
        ExportResult r = Exporter.forTarget("cloudflare").export(ds, AT_NOW);
        assertEquals(1, r.exported());
        assertTrue(r.text().contains("\"ip\": \"2001:db8:7::/64\"") || r.text().contains("\"ip\" : \"2001:db8:7::/64\""), r.text());
        assertEquals(Map.of(LeftOut.Reason.SCOPE, 2, LeftOut.Reason.DUPLICATE, 1), r.leftOutCounts());
        assertEquals(List.of("1 scope was widened to fit cloudflare (e.g. 2001:db8:7::1/128 as 2001:db8:7::/64)"), r.notes());
    }

    @Test
    void export_ipsetTimeoutPastTheKernelsLongest_isCappedAndNoted() {
        Decision month = new Decision(1, Cidr.parse("203.0.113.7"), DecisionType.BAN, NOW, NOW.plus(Duration.ofDays(30)),
                "repeat offender", DecisionOrigin.AUTO, null, null, Confidence.HIGH, 1, 4);
        ExportResult r = Exporter.forTarget("ipset").export(List.of(month), AT_NOW);
        assertTrue(r.text().contains("203.0.113.7 timeout 2147483 comment"), r.text());
        assertEquals(1, r.notes().size());
        assertTrue(Exporter.forTarget("nftables").export(List.of(month), AT_NOW).text().contains("timeout 2592000s"));
    }

    @Test
    void export_manyDecisions_cutsToIpsetsDefaultMaxelemPerFamily() {
        List<Decision> ds = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            ds.add(ban(i + 1, "10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255), NOW.minusSeconds(i % 3600),
                    Confidence.values()[i % 3], i % 97));
        }
        ExportResult r = Exporter.forTarget("ipset").export(ds, AT_NOW);
        assertEquals(65_536, r.exported());
        assertEquals(100_000 - 65_536, r.leftOutCounts().get(LeftOut.Reason.CAPACITY));
        assertEquals(65_536, count(r.text(), "\nadd threatip-ban4-new "));
        // every high-confidence decision (a third) made it: the cut fell among the moderate ones
        assertTrue(r.leftOut().stream().noneMatch(l -> l.decision().confidence() == Confidence.HIGH));
    }

    @Test
    void selection_randomDecisions_neverOverlapsAndEnforcesEveryDecisionNotCut() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            List<Decision> ds = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                // a small address space (192.0.2.0/28 and 2001:db8::/124), so scopes nest and repeat
                boolean v4 = random.nextBoolean();
                int host = random.nextInt(16);
                int prefix = v4 ? 28 + random.nextInt(5) : 124 + random.nextInt(5);
                Cidr scope = new Cidr(Cidr.parse(v4 ? "192.0.2." + host : "2001:db8::" + Integer.toHexString(host)).network(), prefix);
                Instant created = NOW.minusSeconds(random.nextInt(7200));
                DecisionType type = random.nextInt(4) == 0 ? DecisionType.CAPTCHA : DecisionType.BAN;
                Confidence c = random.nextInt(4) == 0 ? null : Confidence.values()[random.nextInt(3)];
                ds.add(new Decision(i + 1, scope, type, created, created.plusSeconds(60 + random.nextInt(7200)), "r" + i,
                        DecisionOrigin.AUTO, null, null, c, random.nextInt(5), 1));
            }
            int limit = random.nextBoolean() ? 0 : 1 + random.nextInt(8);
            for (ExportFormat format : List.of(new NftablesFormat(), new NginxGeoFormat(), new CloudflareFormat(), new CsvFormat())) {
                Selection s = Selection.of(format, ds, AT_NOW.withLimit(limit));
                List<Selection.Entry> kept = s.entries();
                assertEquals(ds.size(), kept.size() + s.leftOut().size(), "every decision is kept or accounted for");
                if (s.capacity().perFamily()) {
                    assertTrue(s.entries(true).size() <= s.capacity().limit() && s.entries(false).size() <= s.capacity().limit());
                } else {
                    assertTrue(kept.size() <= s.capacity().limit());
                }
                if (format.target().layout() == ExportTarget.Layout.RECORDS) {
                    continue;
                }
                for (Selection.Entry a : kept) {
                    for (Selection.Entry b : kept) {
                        if (a != b && a.scope().overlaps(b.scope())) {
                            assertTrue(format.target().carriesType(), format.target().name() + ": " + a.scope() + " overlaps " + b.scope());
                            Selection.Entry outer = a.scope().prefix() <= b.scope().prefix() ? a : b;
                            Selection.Entry inner = outer == a ? b : a;
                            assertTrue(Selection.strength(inner.decision().type()) > Selection.strength(outer.decision().type()),
                                    "only a ban inside a challenge may nest: " + outer + " / " + inner);
                        }
                    }
                }
                for (LeftOut l : s.leftOut()) {
                    if (l.reason() == LeftOut.Reason.DUPLICATE || l.reason() == LeftOut.Reason.COVERED) {
                        Cidr scope = format.fit(l.decision().scope()).scope();
                        assertTrue(kept.stream().anyMatch(k -> k.scope().prefix() <= scope.prefix() && k.scope().contains(scope.network())
                                && Selection.strength(k.decision().type()) >= Selection.strength(l.decision().type())),
                                format.target().name() + ": " + l + " is enforced by a kept entry");
                    }
                }
            }
        }
    }

    @Test
    void exportResult_summary_namesCountsAndCapacity() {
        List<Decision> ds = DecisionFixtures.decisions(DecisionFixtures.golden("mixed"));
        ExportResult r = Exporter.forTarget("nftables").export(ds, AT_NOW.withLimit(2));
        assertEquals("nftables: 4 exported, 7 left out (1 expired, 3 type, 1 covered, 2 capacity);"
                + " capacity 2 per address family (--limit)", r.summary());
        assertEquals("threatip.nft", r.fileName());
        assertEquals("text/plain; charset=utf-8", r.mediaType());
    }

    @Test
    void exportOptions_refuseBadNamesAndNegativeLimits() {
        assertEquals("bad export name 'Evil; drop': lower-case letters, digits and _, starting with a letter, at most 20 characters",
                assertThrows(IllegalArgumentException.class, () -> AT_NOW.withName("Evil; drop")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> AT_NOW.withName("a_name_that_is_far_too_long"));
        assertEquals("limit must not be negative (0 keeps the target's own): -1",
                assertThrows(IllegalArgumentException.class, () -> AT_NOW.withLimit(-1)).getMessage());
    }

    @Test
    void safeText_comment_keepsASmallAlphabetAndBoundsTheLength() {
        assertEquals("scanner high: GET /x_ _ drop _ __", SafeText.comment("scanner high: GET /x\" }\n drop {\r\n#\\", 100));
        assertEquals("abc...", SafeText.comment("abcdefghij", 6));
        assertEquals("", SafeText.comment(null, 10));
        assertEquals("'=cmd|' /C calc'!A0", SafeText.csvCell("=cmd|' /C calc'!A0"));
        assertEquals("\"a,\"\"b\"\" c\"", SafeText.csvCell("a,\"b\"\nc"));
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
