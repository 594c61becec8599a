package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.AddressClass;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds of several formats compiled into one snapshot, then looked up. */
class FeedCompilerTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path dir;

    private FeedSource source;

    @BeforeEach
    void setUp() {
        source = new FeedSource(dir.resolve("cache"), Clock.fixed(NOW, ZoneOffset.UTC), FeedSource.FetchSettings.defaults());
    }

    private ReputationIndex compile(FeedCompiler.Options options, String... specs) throws IOException {
        List<ResolvedFeed> feeds = new ArrayList<>();
        for (String s : specs) {
            feeds.addAll(source.resolve(FeedSpec.parse(s)));
        }
        Path out = dir.resolve("intel.tis");
        new FeedCompiler(options).compile(feeds, out);
        return ReputationIndex.open(out, ReputationIndex.OpenOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static FeedCompiler.Options docRangesAllowed() {
        return FeedCompiler.Options.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                .withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void compile_sshBlocklist_mapsToBruteForce() throws IOException {
        Path ssh = write("blocklist_de_ssh.ipset", "# blocklist_de_ssh\n#\n# Category        : attacks\n"
                + "# This File Date  : Thu Nov 19 11:00:09 UTC 2026\n#\n198.51.100.23\n198.51.100.24\n");
        ReputationIndex index = compile(docRangesAllowed(), ssh.toString());
        Verdict v = index.lookup(IpAddress.parse("198.51.100.23"));
        assertEquals(Confidence.MODERATE, v.confidenceOf(Category.BRUTE_FORCE), v.toString());
        assertEquals(Verdict.Kind.MALICIOUS, v.kind());
        assertEquals(List.of("blocklist_de_ssh"), v.categories().get(0).feeds());
        assertEquals(Verdict.Kind.CLEAN, index.lookup(IpAddress.parse("198.51.100.25")).kind());
    }

    @Test
    void compile_ipsumCounts_confidenceRisesWithLists() throws IOException {
        Path ipsum = write("ipsum.txt", "# IPsum Threat Intelligence Feed\n# Last update: Thu, 19 Nov 2026 03:00:29 +0200\n"
                + "203.0.113.1\t1\n203.0.113.3\t3\n203.0.113.8\t8\n");
        ReputationIndex index = compile(docRangesAllowed(), ipsum.toString());
        Confidence one = index.lookup(IpAddress.parse("203.0.113.1")).confidenceOf(Category.NETWORK_ATTACK);
        Confidence three = index.lookup(IpAddress.parse("203.0.113.3")).confidenceOf(Category.NETWORK_ATTACK);
        Confidence eight = index.lookup(IpAddress.parse("203.0.113.8")).confidenceOf(Category.NETWORK_ATTACK);
        assertEquals(Confidence.GENERAL, one);
        assertEquals(Confidence.MODERATE, three);
        assertEquals(Confidence.HIGH, eight);
        assertEquals(ThreatLevel.LOW, index.lookup(IpAddress.parse("203.0.113.1")).level());
        assertEquals(Verdict.Kind.SUSPICIOUS, index.lookup(IpAddress.parse("203.0.113.1")).kind());
    }

    @Test
    void compile_privateAndDocumentationSpace_isLeftOutAndReported() throws IOException {
        Path level1 = write("firehol_level1.netset", "# firehol_level1\n10.0.0.0/8\n192.168.0.0/16\n203.0.113.0/24\n45.9.20.0/24\n");
        Path out = dir.resolve("intel.tis");
        List<ResolvedFeed> feeds = source.resolve(FeedSpec.parse(level1.toString()));
        FeedCompiler.Result r = new FeedCompiler(FeedCompiler.Options.defaults()).compile(feeds, out);
        FeedReport report = r.manifest().feeds().get(0);
        assertEquals(3, report.excluded());
        assertTrue(report.excludedSamples().get(0).contains("10.0.0.0/8 (private)"), report.excludedSamples().toString());
        ReputationIndex index = ReputationIndex.open(out);
        assertEquals(Verdict.Kind.CLEAN, index.lookup(IpAddress.parse("10.1.2.3")).kind());
        assertEquals(Verdict.Kind.CLEAN, index.lookup(IpAddress.parse("203.0.113.9")).kind());
        assertTrue(index.lookup(IpAddress.parse("45.9.20.77")).isFlagged());
    }

    @Test
    void compile_knownGoodCrawler_suppressesVerdictAndSaysSo() throws IOException {
        Path bad = write("ipsum.txt", "203.0.113.66\t9\n203.0.113.67\t9\n");
        Path googlebot = write("googlebot.json", "{\"name\": \"List of known Googlebot IP ranges\", \"type\": \"cidr\","
                + " \"list\": [\"203.0.113.64/27\"], \"matching_attributes\": [\"ip-src\"]}");
        ReputationIndex index = compile(docRangesAllowed(), bad.toString(), googlebot.toString());
        Verdict v = index.lookup(IpAddress.parse("203.0.113.66"));
        assertEquals(Verdict.Kind.CLEAN, v.kind());
        assertTrue(v.notes().get(0).startsWith("suppressed: known-good (googlebot)"), v.notes().toString());
    }

    @Test
    void compile_cloudWarninglist_downgradesOneStep() throws IOException {
        Path bad = write("ipsum.txt", "203.0.113.66\t9\n");
        Path aws = write("amazon-aws.json", "{\"name\": \"List of known Amazon AWS IP address ranges\", \"type\": \"cidr\","
                + " \"list\": [\"203.0.113.0/24\"]}");
        ReputationIndex index = compile(docRangesAllowed(), bad.toString(), aws.toString());
        Verdict v = index.lookup(IpAddress.parse("203.0.113.66"));
        assertEquals(Confidence.MODERATE, v.confidenceOf(Category.NETWORK_ATTACK), v.toString());
        assertTrue(v.notes().get(0).startsWith("downgraded"), v.notes().toString());
    }

    @Test
    void compile_networkAndAddressInDifferentFeeds_combineCategories() throws IOException {
        Path tor = write("tor-exit-nodes.lst", "198.51.100.9\n");
        Path drop = write("spamhaus_drop.netset", "198.51.100.0/24\n");
        ReputationIndex index = compile(docRangesAllowed(), tor.toString(), drop.toString());
        Verdict v = index.lookup(IpAddress.parse("198.51.100.9"));
        assertTrue(v.confidenceOf(Category.NETWORK_PROXY) != null && v.confidenceOf(Category.NETWORK_ATTACK) != null,
                v.toString());
        IntelMatch m = index.explain(IpAddress.parse("198.51.100.9"));
        assertEquals("198.51.100.9/32", m.matched().toString());
        assertEquals(2, m.listings().size());
        assertEquals("198.51.100.0/24", index.explain(IpAddress.parse("198.51.100.200")).matched().toString());
    }

    @Test
    void compile_ipv4MappedIpv6Lookup_matchesIpv4Entry() throws IOException {
        Path tor = write("tor-exit-nodes.lst", "198.51.100.9\n2001:db8::9\n");
        ReputationIndex index = compile(docRangesAllowed(), tor.toString());
        assertTrue(index.lookup(IpAddress.parse("::ffff:198.51.100.9")).isFlagged());
        assertTrue(index.lookup(IpAddress.parse("2001:db8:0:0::9")).isFlagged());
        assertFalse(index.lookup(IpAddress.parse("2001:db8::a")).isFlagged());
    }

    @Test
    void compile_garbageFeed_isRefusedWholeAndOthersStay() throws IOException {
        StringBuilder html = new StringBuilder("<html><body>\n");
        for (int i = 0; i < 40; i++) {
            html.append("<p>rate limited ").append(i).append("</p>\n");
        }
        html.append("198.51.100.50\n");
        Path garbage = write("greensnow.txt", html.toString());
        Path good = write("blocklist_de_ssh.ipset", "198.51.100.23\n");
        Path out = dir.resolve("intel.tis");
        List<ResolvedFeed> feeds = new ArrayList<>(source.resolve(FeedSpec.parse(garbage.toString())));
        feeds.addAll(source.resolve(FeedSpec.parse(good.toString())));
        FeedCompiler.Result r = new FeedCompiler(docRangesAllowed()).compile(feeds, out);
        FeedReport refused = r.manifest().feeds().get(0);
        assertTrue(refused.refused());
        assertTrue(refused.refusedWhy().contains("41 of 42 lines are bad"), refused.refusedWhy());
        ReputationIndex index = ReputationIndex.open(out);
        assertFalse(index.lookup(IpAddress.parse("198.51.100.50")).isFlagged(), "nothing of a refused feed applies");
        assertTrue(index.lookup(IpAddress.parse("198.51.100.23")).isFlagged());
        assertNull(r.manifest().feeds().get(1).refusedWhy());
    }

    @Test
    void compile_expiredStixIndicator_countsNothing() throws IOException {
        Path stix = write("c2.json", "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [{\"type\": \"indicator\","
                + " \"spec_version\": \"2.1\", \"id\": \"indicator--1\", \"created\": \"2026-01-01T00:00:00Z\","
                + " \"modified\": \"2026-01-01T00:00:00Z\", \"pattern\": \"[ipv4-addr:value = '198.51.100.1']\","
                + " \"pattern_type\": \"stix\", \"valid_from\": \"2026-01-01T00:00:00Z\","
                + " \"valid_until\": \"2026-06-01T00:00:00Z\", \"indicator_types\": [\"malicious-activity\"]}]}");
        ReputationIndex index = compile(docRangesAllowed(), stix.toString());
        Verdict v = index.lookup(IpAddress.parse("198.51.100.1"));
        assertEquals(Verdict.Kind.CLEAN, v.kind());
        assertTrue(v.notes().get(0).startsWith("expired"), v.notes().toString());
    }
}
