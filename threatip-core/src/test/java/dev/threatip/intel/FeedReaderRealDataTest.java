package dev.threatip.intel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads the real feeds of the shared data set (see its README for the counts asserted here),
 * when it is present: {@code ../shared/data} beside the repository, or {@code /work/shared/data}.
 */
class FeedReaderRealDataTest {
    private static Path feeds;

    @BeforeAll
    static void findData() {
        for (Path candidate : List.of(Path.of("../../shared/data"), Path.of("../shared/data"), Path.of("/work/shared/data"))) {
            if (Files.isDirectory(candidate.resolve("feeds"))) {
                feeds = candidate.resolve("feeds");
                return;
            }
        }
    }

    private record Result(List<FeedEntry> entries, FeedHeader header, FeedContext context) {
    }

    private static Result read(FeedReader reader, String relative) throws IOException {
        Assumptions.assumeTrue(feeds != null && Files.isRegularFile(feeds.resolve(relative)),
                "shared data not present: " + relative);
        Path file = feeds.resolve(relative);
        FeedContext ctx = new FeedContext(file.getFileName().toString(), Map.of());
        List<FeedEntry> entries = new ArrayList<>();
        FeedHeader header = reader.read(FeedInput.of(file), ctx, entries::add);
        return new Result(entries, header, ctx);
    }

    private static void assertAbout(long expected, long actual, String what) {
        assertTrue(Math.abs(expected - actual) <= Math.max(2, expected / 100),
                what + ": expected about " + expected + ", got " + actual);
    }

    @Test
    void read_ipsum_allEntriesWithListCounts() throws IOException {
        Result r = read(new IpsumReader(), "ipsum/ipsum.txt.gz");
        assertAbout(120_430, r.entries.size(), "ipsum entries");
        assertEquals(0, r.context.badLines(), () -> "bad lines: " + r.context.badLineSamples());
        assertTrue(r.entries.stream().allMatch(e -> e.evidence().listCount() >= 1));
        assertEquals(Instant.parse("2026-08-22T01:00:29Z"), r.header.published());
        long distinct = r.entries.stream().map(FeedEntry::evidence).distinct().count();
        assertTrue(distinct <= 64, "evidence shared per count, got " + distinct);
    }

    @Test
    void read_fireholIpset_headerAndEntriesAgree() throws IOException {
        Result r = read(new IpsetReader(), "firehol-2022/blocklist_de_ssh.ipset");
        assertEquals(7_802, r.entries.size());
        assertEquals(0, r.context.badLines());
        assertEquals("blocklist_de_ssh", r.header.title());
        assertEquals("attacks", r.header.category());
        assertEquals("Blocklist.de", r.header.maintainer());
        assertEquals("http://lists.blocklist.de/lists/ssh.txt", r.header.sourceUrl());
        assertEquals(Instant.parse("2022-01-24T11:00:09Z"), r.header.published());
        assertEquals(7_802, r.header.declaredEntries());
        assertTrue(r.header.description().startsWith("[Blocklist.de]"), r.header.description());
    }

    @Test
    void read_fireholNetset_declaredSubnetsMatchEntries() throws IOException {
        Result r = read(new IpsetReader(), "firehol-2022/firehol_level1.netset");
        assertEquals(2_511, r.entries.size());
        assertEquals(0, r.context.badLines());
        assertEquals("firehol_level1", r.header.title());
        assertEquals(2_511, r.header.declaredEntries());
    }

    @Test
    void read_torExitList_ipv4AndIpv6() throws IOException {
        Result r = read(new TorExitReader(), "tor/tor-exit-nodes.lst");
        assertEquals(1_746, r.entries.size());
        assertEquals(0, r.context.badLines());
        assertAbout(619, r.entries.stream().filter(e -> !e.network().isIpv4()).count(), "IPv6 exits");
    }

    @Test
    void read_maltrailMassScanner_tagsSharedPerComment() throws IOException {
        Result r = read(new PlainListReader(), "maltrail/mass_scanner.txt.gz");
        assertAbout(17_234 + 1_981, r.entries.size(), "mass_scanner entries");
        assertTrue(r.context.badLines() <= 5, () -> "bad lines: " + r.context.badLineSamples());
        Set<Evidence> identities = Collections.newSetFromMap(new IdentityHashMap<>());
        r.entries.forEach(e -> identities.add(e.evidence()));
        long distinctTags = r.entries.stream().map(e -> e.evidence().tags()).distinct().count();
        assertEquals(distinctTags, identities.size(), "one Evidence object per distinct tag");
        assertTrue(identities.size() < r.entries.size() / 2, "evidence is interned: " + identities.size());
    }

    @Test
    void read_maltrailWorstAsns_commaColumnsIgnored() throws IOException {
        Result r = read(new PlainListReader(), "maltrail/worst_asns.txt");
        assertAbout(5_993, r.entries.size(), "worst_asns entries");
        assertEquals(0, r.context.badLines(), () -> "bad lines: " + r.context.badLineSamples());
    }

    @Test
    void read_abuseipdbCompressedList_asPlain() throws IOException {
        Result r = read(new PlainListReader(), "abuseipdb/abuseipdb-s100-1d_compressed.ipv4.gz");
        assertAbout(57_190, r.entries.size(), "abuseipdb entries");
        assertEquals(0, r.context.badLines());
    }

    @Test
    void read_mispWarninglistGzip_allCidrs() throws IOException {
        Result r = read(new WarninglistReader(), "misp-warninglists/public-dns-v4.json.gz");
        assertAbout(62_745, r.entries.size(), "public-dns-v4 entries");
        assertTrue(r.context.badLines() <= 10, () -> "bad lines: " + r.context.badLineSamples());
        assertEquals("List of known IPv4 public DNS resolvers", r.header.title());
        assertEquals(Instant.parse("2024-06-15T00:00:00Z"), r.header.published());
        assertTrue(r.entries.get(1).line() > r.entries.get(0).line(), "entries keep their JSON lines");
    }

    @Test
    void read_mispStringWarninglist_domainsSkippedSilently() throws IOException {
        Result r = read(new WarninglistReader(), "misp-warninglists/microsoft-attack-simulator.json");
        assertTrue(r.entries.size() >= 1, "the list's IP addresses are read");
        assertEquals(0, r.context.badLines(), () -> "bad lines: " + r.context.badLineSamples());
    }
}
