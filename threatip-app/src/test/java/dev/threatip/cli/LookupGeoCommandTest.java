package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.geo.TestMmdbWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lookup --geo/--asn}: the lookup objects gain {@code geo} and {@code asn} after {@code matched}. */
class LookupGeoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static String feed;
    static Path city;
    static Path asnCsv;

    @BeforeAll
    static void writeDatabases() throws IOException {
        Path ipset = Files.writeString(dir.resolve("blocklist_de_ssh.ipset"), "198.51.100.7\n");
        feed = ipset + ",name=ssh";
        city = dir.resolve("city.mmdb");
        new TestMmdbWriter(6, "GeoIP2-City")
                .put("198.51.100.0/24", Map.of("country", Map.of("iso_code", "NL"),
                        "city", Map.of("names", Map.of("en", "Amsterdam")),
                        "location", Map.of("latitude", 52.3759, "longitude", 4.8975)))
                .write(city);
        asnCsv = Files.writeString(dir.resolve("asn-ipv4.csv"),
                "198.51.100.0,198.51.100.255,64496,\"Example, B.V.\"\n");
    }

    private static List<JsonNode> lines(Cli.Run r) throws IOException {
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void lookup_withGeoAndAsn_addsBothObjectsAfterMatched() throws IOException {
        List<JsonNode> o = lines(Cli.run("lookup", "--feed", feed, "--include-special", "documentation", "--geo", city.toString(), "--asn", asnCsv.toString(),
                "198.51.100.7", "203.0.113.1"));
        assertEquals(List.of("ip", "verdict", "level", "categories", "tags", "first_seen", "last_seen", "matched",
                "geo", "asn", "explanation", "stale"), fieldNames(o.get(0)));
        JsonNode listed = o.get(0);
        assertEquals("malicious", listed.get("verdict").asText());
        assertEquals(JSON.readTree("{\"country\":\"NL\",\"city\":\"Amsterdam\",\"lat\":52.3759,\"lon\":4.8975}"),
                listed.get("geo"));
        assertEquals(JSON.readTree("{\"number\":64496,\"org\":\"Example, B.V.\"}"), listed.get("asn"));
        JsonNode unknown = o.get(1);
        assertTrue(unknown.get("geo").isNull(), unknown.toString());
        assertTrue(unknown.get("asn").isNull(), unknown.toString());
    }

    @Test
    void lookup_withAsnOnly_addsAsnButNoGeoKey() throws IOException {
        JsonNode o = lines(Cli.run("lookup", "--feed", feed, "--asn", asnCsv.toString(), "198.51.100.7")).get(0);
        assertFalse(o.has("geo"), o.toString());
        assertEquals(64496, o.get("asn").get("number").asLong());
    }

    @Test
    void lookup_withoutDatabases_hasNeitherKey() throws IOException {
        JsonNode o = lines(Cli.run("lookup", "--feed", feed, "198.51.100.7")).get(0);
        assertFalse(o.has("geo"));
        assertFalse(o.has("asn"));
    }

    @Test
    void lookup_badAsnCsv_exits2NamingFileAndLineAndPrintsNothing() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad-asn.csv"), "198.51.100.0,nope,1,X\n");
        Cli.Run r = Cli.run("lookup", "--feed", feed, "--asn", bad.toString(), "198.51.100.7");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("threatip: " + bad + ":1: "), r.err());
    }

    @Test
    void lookup_missingGeoDatabase_exits2NamingTheFile() {
        Path missing = dir.resolve("absent.mmdb");
        Cli.Run r = Cli.run("lookup", "--feed", feed, "--geo", missing.toString(), "198.51.100.7");
        assertEquals(2, r.exit());
        assertEquals("threatip: " + missing + ": no such file", r.err().strip());
    }
}
