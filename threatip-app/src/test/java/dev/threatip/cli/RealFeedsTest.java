package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole of ../shared/data/feeds through {@code feeds compile} and {@code lookup}; skipped when absent. */
class RealFeedsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void compileAllSharedFeeds_lookupGivesMappedCategoriesAndRisingConfidence(@TempDir Path dir) throws IOException {
        Path feeds = Stream.of(Path.of("/work/shared/data/feeds"), Path.of("../shared/data/feeds"),
                Path.of("../../shared/data/feeds")).filter(Files::isDirectory).findFirst().orElse(null);
        assumeTrue(feeds != null, "shared/data/feeds not present");
        Path intel = dir.resolve("intel.tis");
        long started = System.nanoTime();
        Cli.Run c = Cli.run("feeds", "compile", "--feed", feeds.toString(), "--out", intel.toString());
        System.out.printf("compiled %s in %d ms: %s%n", feeds, (System.nanoTime() - started) / 1_000_000,
                c.err().lines().reduce((a, b) -> b).orElse(""));
        assertEquals(0, c.exit(), c.err());

        String ssh = firstEntry(feeds.resolve("firehol-2022/blocklist_de_ssh.ipset"));
        String tor = firstEntry(feeds.resolve("tor/tor-exit-nodes.lst"));
        String many = ipsumWithCount(feeds.resolve("ipsum/ipsum.txt.gz"), 8, Integer.MAX_VALUE);
        String one = ipsumWithCount(feeds.resolve("ipsum/ipsum.txt.gz"), 1, 1);
        Cli.Run r = Cli.run("lookup", "--intel", intel.toString(), ssh, tor, many, one, "10.1.2.3");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> o = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            o.add(JSON.readTree(line));
        }
        assertTrue(categories(o.get(0)).contains("brute_force"), o.get(0).toString());
        assertTrue(categories(o.get(1)).contains("network_proxy"), o.get(1).toString());
        assertTrue(weight(o.get(2), "ipsum") > weight(o.get(3), "ipsum"), o.get(2) + "\n" + o.get(3));
        assertEquals("clean", o.get(4).get("verdict").asText());
    }

    private static List<String> categories(JsonNode lookup) {
        List<String> out = new ArrayList<>();
        lookup.get("categories").forEach(c -> out.add(c.get("category").asText()));
        return out;
    }

    /** The weight of the named feed's listing: ipsum's list count is what raises it. */
    private static double weight(JsonNode lookup, String feed) {
        for (JsonNode l : lookup.get("explanation").get("listings")) {
            if (l.get("feed").asText().equals(feed)) {
                return l.get("weight").asDouble();
            }
        }
        throw new AssertionError(feed + " does not list " + lookup);
    }

    private static String firstEntry(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst().orElseThrow();
        }
    }

    private static String ipsumWithCount(Path gz, int min, int max) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (!line.startsWith("#") && f.length == 2) {
                    int n = Integer.parseInt(f[1].strip());
                    if (n >= min && n <= max) {
                        return f[0];
                    }
                }
            }
        }
        throw new AssertionError("no ipsum entry with a count in " + min + "-" + max);
    }
}
