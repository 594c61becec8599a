package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedsAndLookupCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LOOKUP_FIELDS = List.of("ip", "verdict", "level", "categories", "tags",
            "first_seen", "last_seen", "matched", "explanation", "stale");

    @TempDir
    static Path dir;
    static Path feeds;
    static Path intel;
    static Cli.Run compile;

    @BeforeAll
    static void compileFeeds() throws IOException {
        feeds = Files.createDirectories(dir.resolve("feeds"));
        Files.writeString(feeds.resolve("blocklist_de_ssh.ipset"), """
                #
                # blocklist_de_ssh
                #
                # Maintainer      : Blocklist.de
                # Category        : attacks
                # Entries         : 2 unique IPs
                #
                198.51.100.7
                198.51.100.8
                """);
        // ipsum counts: the same reliability per list, so more lists means more confidence
        Files.writeString(feeds.resolve("ipsum.txt"), """
                # IPsum Threat Intelligence Feed
                #
                # IP\tnumber of (black)lists
                #
                203.0.113.10\t9
                203.0.113.11\t3
                203.0.113.12\t1
                """);
        StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            garbage.append("<html><body>rate limited ").append(i).append("</body></html>\n");
        }
        Files.writeString(feeds.resolve("garbage.txt"), garbage);
        Files.writeString(feeds.resolve("level1.netset"), """
                # firehol_level1
                #
                10.0.0.0/8
                192.0.2.0/24
                """);
        intel = dir.resolve("intel.tis");
        // fixtures live in documentation space, which the compiler leaves out unless told
        compile = Cli.run("feeds", "compile", "--feed", feeds.toString(), "--include-special", "documentation",
                "--out", intel.toString());
        assertEquals(0, compile.exit(), compile.err());
        assertTrue(Files.isRegularFile(intel));
    }

    @Test
    void compile_mixedFeeds_reportsRefusedAndExcludedAndSummary() {
        String err = compile.err();
        assertTrue(err.contains("REFUSED"), err);
        assertTrue(err.contains("garbage"), err);
        assertTrue(err.contains("10.0.0.0/8 (private)"), err);
        assertTrue(err.contains("bad line"), err);
        assertTrue(err.matches("(?s).*compiled 3 feeds, \\d+ addresses, \\d+ ranges into .*intel\\.tis \\(.* MB\\) in .* s\\n.*"),
                err);
    }

    @Test
    void status_compiledSnapshot_showsFeedsAndWhatWasLeftOut() {
        Cli.Run r = Cli.run("feeds", "status", "--intel", intel.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("blocklist_de_ssh"), r.out());
        assertTrue(r.out().contains("brute_force"), r.out());
        assertTrue(r.out().contains("refused"), r.out());
        assertTrue(r.out().contains("10.0.0.0/8 (private)"), r.out());
        assertFalse(r.out().contains("STALE"), r.out());
    }

    @Test
    void status_json_printsTheManifest() throws IOException {
        Cli.Run r = Cli.run("feeds", "status", "--intel", intel.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode m = JSON.readTree(r.out());
        assertEquals(4, m.get("feeds").size());
        assertTrue(m.get("feeds").findValues("refused").stream().anyMatch(JsonNode::asBoolean));
    }

    @Test
    void lookup_listedAndUnlistedIps_printsOneJsonObjectEachWithTheContractFields() throws IOException {
        Cli.Run r = Cli.run("lookup", "--intel", intel.toString(), "198.51.100.7", "203.0.113.10", "203.0.113.11",
                "203.0.113.12", "198.51.100.99", "10.1.2.3");
        assertEquals(0, r.exit(), r.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(6, lines.size());
        for (JsonNode o : lines) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            assertEquals(LOOKUP_FIELDS, names);
        }
        JsonNode ssh = lines.get(0);
        assertEquals("198.51.100.7", ssh.get("ip").asText());
        assertEquals("malicious", ssh.get("verdict").asText());
        assertEquals("brute_force", ssh.get("categories").get(0).get("category").asText());
        assertEquals("intel", ssh.get("categories").get(0).get("source").asText());
        assertEquals("blocklist_de_ssh", ssh.get("categories").get(0).get("feeds").get(0).asText());
        assertEquals("198.51.100.7", ssh.get("matched").asText());
        JsonNode listing = ssh.get("explanation").get("listings").get(0);
        assertEquals("blocklist_de_ssh", listing.get("feed").asText());
        assertEquals(8, listing.get("line").asInt());
        assertEquals("threat", listing.get("role").asText());

        assertTrue(rank(lines.get(1)) > rank(lines.get(2)), lines.get(1) + " vs " + lines.get(2));
        assertTrue(rank(lines.get(2)) > rank(lines.get(3)), lines.get(2) + " vs " + lines.get(3));
        assertEquals(9, lines.get(1).get("explanation").get("listings").get(0).get("lists").asInt());

        for (JsonNode clean : List.of(lines.get(4), lines.get(5))) {
            assertEquals("clean", clean.get("verdict").asText());
            assertTrue(clean.get("level").isNull());
            assertTrue(clean.get("matched").isNull());
            assertEquals(0, clean.get("categories").size());
        }
        assertEquals("special-purpose address (private)", lines.get(5).get("explanation").get("notes").get(0).asText());
    }

    @Test
    void lookup_withFeedSpec_compilesATemporarySnapshot() throws IOException {
        Cli.Run r = Cli.run("lookup", "--feed", feeds.resolve("blocklist_de_ssh.ipset") + ",name=ssh",
                "--include-special", "documentation", "198.51.100.8");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals("ssh", o.get("categories").get(0).get("feeds").get(0).asText());
    }

    @Test
    void lookup_malformedIp_exits2WithOneLineAndPrintsNothing() {
        Cli.Run r = Cli.run("lookup", "--intel", intel.toString(), "198.51.100.7", "0177.0.0.1");
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("threatip: not an IP address: '0177.0.0.1'\n", r.err());
    }

    @Test
    void lookup_missingSnapshot_exits2NamingTheFile() {
        Path missing = dir.resolve("nope.tis");
        Cli.Run r = Cli.run("lookup", "--intel", missing.toString(), "198.51.100.7");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: ") && r.err().contains(missing.toString()), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void lookup_corruptSnapshot_exits2WithTheSnapshotError() throws IOException {
        Path corrupt = dir.resolve("corrupt.tis");
        byte[] bytes = Files.readAllBytes(intel);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(corrupt, bytes);
        Cli.Run r = Cli.run("lookup", "--intel", corrupt.toString(), "198.51.100.7");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: The intel snapshot " + corrupt + " cannot be used: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("at dev.threatip"), r.err());
    }

    @Test
    void compile_malformedSpec_exits2NamingTheSpec() {
        Cli.Run r = Cli.run("feeds", "compile", "--feed", feeds + ",format=nope", "--out", dir.resolve("x.tis").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: feed spec '") && r.err().contains("unknown feed format 'nope'"), r.err());
    }

    @Test
    void compile_onlyRefusedFeeds_exits2AndWritesNothing() {
        Path out = dir.resolve("none.tis");
        Cli.Run r = Cli.run("feeds", "compile", "--feed", feeds.resolve("garbage.txt").toString(), "--out", out.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no feed could be compiled"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void compile_missingFeedFile_exits2NamingIt() {
        Cli.Run r = Cli.run("feeds", "compile", "--feed", dir.resolve("absent.txt").toString(), "--out",
                dir.resolve("y.tis").toString());
        assertEquals(2, r.exit());
        assertEquals("threatip: " + dir.resolve("absent.txt") + ": no such file or directory\n", r.err());
    }

    @Test
    void compile_configFeedsSection_readsSpecsAndAllowSpecial() throws IOException {
        Path config = dir.resolve("threatip.yaml");
        Files.writeString(config, "feeds:\n  specs:\n    - " + feeds.resolve("blocklist_de_ssh.ipset")
                + "\n  allow_special: [documentation]\nserver:\n  port: 8080\n");
        Path out = dir.resolve("config.tis");
        Cli.Run r = Cli.run("feeds", "compile", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("compiled 1 feeds, 2 addresses"), r.err());
    }

    @Test
    void compile_configUnknownKey_exits2NamingKeyAndLine() throws IOException {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "feeds:\n  specs: []\n  refrsh: 1h\n");
        Cli.Run r = Cli.run("feeds", "compile", "--config", config.toString(), "--out", dir.resolve("z.tis").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: " + config + ":3:") && r.err().contains("unknown key 'feeds.refrsh'"),
                r.err());
    }

    @Test
    void compile_allowlist_suppressesTheListedAddress() throws IOException {
        Path allow = dir.resolve("ours.txt");
        Files.writeString(allow, "198.51.100.7\n");
        Path out = dir.resolve("allow.tis");
        Cli.Run c = Cli.run("feeds", "compile", "--feed", feeds.resolve("blocklist_de_ssh.ipset").toString(),
                "--allowlist", allow.toString(), "--include-special", "documentation", "--out", out.toString());
        assertEquals(0, c.exit(), c.err());
        Cli.Run r = Cli.run("lookup", "--intel", out.toString(), "198.51.100.7");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"verdict\":\"clean\"") && r.out().contains("suppressed: known-good (allowlist)"),
                r.out());
    }

    @Test
    void missingSubcommandOption_exits2WithOneLine() {
        Cli.Run r = Cli.run("feeds", "compile", "--feed", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("threatip: Missing required option: '--out=FILE'"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    private static int rank(JsonNode lookup) {
        return switch (lookup.get("categories").get(0).get("confidence").asText()) {
            case "high" -> 3;
            case "moderate" -> 2;
            case "general" -> 1;
            default -> 0;
        };
    }
}
