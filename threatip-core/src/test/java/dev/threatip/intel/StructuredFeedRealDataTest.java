package dev.threatip.intel;

import dev.threatip.net.Cidr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The structured readers on the real MISP and STIX samples in {@code ../shared/data/feeds}
 * (skipped when that folder is absent). Counts are distinct networks, checked against
 * {@code ../shared/data/README.md}; where the README counts IPv4 literals anywhere in the text,
 * the difference is explained at the assertion.
 */
class StructuredFeedRealDataTest {
    private static Path feeds;

    @BeforeAll
    static void locate() {
        for (Path p : List.of(Path.of("../../shared/data/feeds"), Path.of("../shared/data/feeds"),
                Path.of("/work/shared/data/feeds"))) {
            if (Files.isDirectory(p.resolve("stix21")) && Files.isDirectory(p.resolve("misp"))) {
                feeds = p;
                return;
            }
        }
    }

    @Test
    void read_poisonIvyReport_yieldsEveryPatternAddress() throws IOException {
        Result r = read(new StixReader(), "stix21/threat-reports/poisonivy.json", Map.of());
        // README counts 19 IPv4 literals in the file; 54.241.8.84 stands only in a description.
        assertEquals(18, r.networks.size(), r.networks::toString);
        assertTrue(r.networks.stream().allMatch(Cidr::isSingleAddress));
        assertTrue(r.networks.contains(Cidr.parse("219.76.208.163")));
        assertTrue(r.networks.stream().noneMatch(n -> n.equals(Cidr.parse("54.241.8.84"))));
        assertEquals(0, r.context.badLines(), r.context.badLineSamples()::toString);
        assertEquals("FireEye, Inc.", r.header.title());
        FeedEntry first = r.entries.get(0);
        assertTrue(first.evidence().categories().contains(Category.NETWORK_ATTACK));
        assertTrue(first.evidence().tags().contains("attribution"));
    }

    @Test
    void read_apt1Report_yieldsFourCidrsAndSkipsHashesAndCertificates() throws IOException {
        Result r = read(new StixReader(), "stix21/threat-reports/apt1.json", Map.of());
        assertEquals(Set.of(Cidr.parse("223.166.0.0/15"), Cidr.parse("58.246.0.0/15"), Cidr.parse("112.64.0.0/15"),
                Cidr.parse("139.226.0.0/15")), r.networks);
        assertEquals(0, r.context.badLines(), r.context.badLineSamples()::toString);
    }

    @Test
    void read_oasisExamples_readWithoutBadLines() throws IOException {
        // The OASIS examples use 10.0.0.0 as their C2 address: read as given; filtering
        // special-purpose space is the compiler's job, not the reader's.
        for (String f : List.of("indicator-for-c2-ip-address.json", "indicator-to-campaign-relationship.json",
                "indicators-for-C2-with-COA.json")) {
            Result r = read(new StixReader(), "stix21/" + f, Map.of());
            assertEquals(Set.of(Cidr.parse("10.0.0.0")), r.networks, f);
            assertEquals(0, r.context.badLines(), f + ": " + r.context.badLineSamples());
        }
        // No indicators: an ipv4-addr observable (infrastructure.json), e-mail patterns, a lone campaign object.
        for (String f : List.of("infrastructure.json", "malicious-email-indicator-with-attachment.json",
                "interop-objectmarking-test.json")) {
            Result r = read(new StixReader(), "stix21/" + f, Map.of());
            assertEquals(Set.of(), r.networks, f);
            assertEquals(0, r.context.badLines(), f + ": " + r.context.badLineSamples());
        }
    }

    @Test
    void read_decianFeedDirectory_yieldsEighteenAddresses() throws IOException {
        Result r = read(new MispReader(), "misp/decian-feed", Map.of());
        // Every attribute there is ip-dst with to_ids true, so the default takes all 18.
        assertEquals(18, r.networks.size(), r.networks::toString);
        assertEquals(18, r.entries.size());
        assertEquals(0, r.context.badLines(), r.context.badLineSamples()::toString);
        assertEquals("Decian Custom Malicious IPs Feed", r.header.title());
        assertEquals(60, r.entries.get(0).evidence().score()); // threat_level_id 2
        assertTrue(r.entries.get(0).line() > 0);
    }

    @Test
    void read_decianCsv_yieldsTheSameEighteenAddresses() throws IOException {
        Result csv = read(new MispCsvReader(), "misp/decian-feed/events/malicious-iocs.csv", Map.of());
        Result json = read(new MispReader(), "misp/decian-feed/events/custom-malicious-ips.json", Map.of());
        assertEquals(18, csv.networks.size());
        assertEquals(json.networks, csv.networks);
        assertEquals(0, csv.context.badLines(), csv.context.badLineSamples()::toString);
    }

    @Test
    void read_pymispExistingEvent_takesObjectAttributes() throws IOException {
        Result r = read(new MispReader(), "misp/pymisp-events/existing_event.json", Map.of());
        // 12 ip-dst attributes inside domain-ip objects, one address twice: 11 distinct, as README counts.
        assertEquals(12, r.entries.size());
        assertEquals(11, r.networks.size());
        assertEquals(0, r.context.badLines(), r.context.badLineSamples()::toString);
        assertEquals(30, r.entries.get(0).evidence().score()); // threat_level_id 3
        assertTrue(r.entries.get(0).evidence().tags().stream().noneMatch(t -> t.startsWith("tlp:")));
    }

    @Test
    void read_pymispLongEvent_honoursToIds() throws IOException {
        // README counts 9 IPv4; one of them (114.60.106.156) has to_ids false.
        Result ids = read(new MispReader(), "misp/pymisp-events/long_event.json", Map.of());
        assertEquals(8, ids.networks.size(), ids.networks::toString);
        assertTrue(!ids.networks.contains(Cidr.parse("114.60.106.156")));
        Result any = read(new MispReader(), "misp/pymisp-events/long_event.json", Map.of("to-ids", "any"));
        assertEquals(9, any.networks.size());
        assertEquals(0, any.context.badLines(), any.context.badLineSamples()::toString);
    }

    @Test
    void read_everyRealSample_neverFails() throws IOException {
        assumeTrue(feeds != null, "../shared/data/feeds not present");
        List<Path> files;
        try (Stream<Path> s = Files.walk(feeds.resolve("stix21"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).toList();
        }
        for (Path f : files) {
            new StixReader().read(FeedInput.of(f), new FeedContext("all", Map.of()), e -> { });
        }
    }

    private record Result(List<FeedEntry> entries, Set<Cidr> networks, FeedContext context, FeedHeader header) {
    }

    private static Result read(FeedReader reader, String relative, Map<String, String> options) throws IOException {
        assumeTrue(feeds != null, "../shared/data/feeds not present");
        Path path = feeds.resolve(relative);
        FeedContext context = new FeedContext(relative, options);
        List<FeedEntry> entries = new ArrayList<>();
        FeedHeader header = reader.read(FeedInput.of(path), context, entries::add);
        Set<Cidr> networks = new LinkedHashSet<>();
        entries.forEach(e -> networks.add(e.network()));
        return new Result(entries, networks, context, header);
    }
}
