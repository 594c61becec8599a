package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.TestCombinedFormat;
import dev.threatip.net.AddressClass;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code threatip scan} end to end on files, with the test parser standing in for the format registry. */
class ScanCommandTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final ScanCommand.Formats FORMATS = (format, logFormat, ipField) -> {
        if (!format.equals("auto") && !format.equals("test-combined")) {
            throw new IllegalArgumentException("unknown format '" + format + "'; known: test-combined");
        }
        return FormatSelector.fixed(TestCombinedFormat.INSTANCE);
    };

    @TempDir
    Path dir;
    Path intel;
    Path log;

    record Run(int exit, String out, String err) {
    }

    static String line(String ip, String time, String path, int status, String ua) {
        return ip + " - - [" + time + " +0000] \"GET " + path + " HTTP/1.1\" " + status + " 99 \"-\" \"" + ua + "\"";
    }

    @BeforeEach
    void setUp() throws IOException {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "203.0.113.1\t1\n203.0.113.3\t3\n203.0.113.8\t8\n");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.fixed(NOW, ZoneOffset.UTC), FeedSource.FetchSettings.defaults());
        intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                .withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION))).compile(source.resolve(FeedSpec.parse(feed.toString())), intel);
        log = dir.resolve("access.log");
        Files.writeString(log, String.join("\n",
                line("203.0.113.8", "01/Nov/2026:00:00:03", "/.env", 404, "Mozilla/5.0 zgrab/0.x"),
                line("198.51.100.4", "01/Nov/2026:00:00:04", "/", 200, "Mozilla/5.0"),
                line("203.0.113.8", "01/Nov/2026:00:04:10", "/.env", 403, "Mozilla/5.0 zgrab/0.x"),
                "not a log line",
                line("203.0.113.1", "01/Nov/2026:00:05:00", "/a,b\\\"c", 200, "curl/8"),
                line("203.0.113.3", "01/Nov/2026:00:06:00", "/wp-login.php", 404, "x"),
                "") );
    }

    private Run run(String... args) {
        return run(new ScanCommand(FORMATS), args);
    }

    private Run run(ScanCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--threads")) {
            all.addAll(0, List.of("--threads", "2"));
        }
        int exit = cl.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void scan_jsonOutput_matchesDesignShapeFieldByField() throws IOException {
        Run r = run("--intel", intel.toString(), "--no-rules", "--output", "json", log.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("summary", "ips"), fieldNames(root));
        JsonNode s = root.get("summary");
        assertEquals(List.of("files", "lines", "parsed", "unparsed", "flagged_ips", "flagged_requests", "elapsed_ms"), fieldNames(s));
        assertEquals(1, s.get("files").asInt());
        assertEquals(6, s.get("lines").asInt());
        assertEquals(5, s.get("parsed").asInt());
        assertEquals(1, s.get("unparsed").asInt());
        assertEquals(3, s.get("flagged_ips").asInt());
        assertEquals(4, s.get("flagged_requests").asInt());
        JsonNode ip = root.get("ips").get(0);
        assertEquals(List.of("ip", "verdict", "level", "categories", "tags", "hits", "first_seen", "last_seen", "top_paths",
                "statuses", "user_agents", "samples", "first_hits"), fieldNames(ip));
        assertEquals("203.0.113.8", ip.get("ip").asText());
        assertEquals("malicious", ip.get("verdict").asText());
        assertEquals("high", ip.get("level").asText());
        JsonNode cat = ip.get("categories").get(0);
        assertEquals(List.of("category", "confidence", "source", "rules", "feeds"), fieldNames(cat));
        assertEquals("network_attack", cat.get("category").asText());
        assertEquals("high", cat.get("confidence").asText());
        assertEquals("intel", cat.get("source").asText());
        assertEquals("[]", cat.get("rules").toString());
        assertEquals("[\"ipsum\"]", cat.get("feeds").toString());
        assertEquals(2, ip.get("hits").asInt());
        assertEquals("2026-11-01T00:00:03Z", ip.get("first_seen").asText());
        assertEquals("2026-11-01T00:04:10Z", ip.get("last_seen").asText());
        assertEquals("[{\"path\":\"/.env\",\"count\":2}]", ip.get("top_paths").toString());
        assertEquals("{\"403\":1,\"404\":1}", ip.get("statuses").toString());
        assertEquals("[\"Mozilla/5.0 zgrab/0.x\"]", ip.get("user_agents").toString());
        assertEquals(line("203.0.113.8", "01/Nov/2026:00:00:03", "/.env", 404, "Mozilla/5.0 zgrab/0.x"), ip.get("samples").get(0).asText());
        assertEquals("[{\"file\":\"" + log + "\",\"line\":1},{\"file\":\"" + log + "\",\"line\":3}]", ip.get("first_hits").toString());
        assertEquals(List.of("203.0.113.8", "203.0.113.3", "203.0.113.1"),
                List.of(root.get("ips").get(0).get("ip").asText(), root.get("ips").get(1).get("ip").asText(),
                        root.get("ips").get(2).get("ip").asText()));
        assertTrue(r.err().contains(log + ":4: does not match format test-combined: not a log line"), r.err());
    }

    @Test
    void scan_withBuiltInRules_mergesBehaviourIntoVerdictAndExplainsIt() throws IOException {
        Run r = run("--intel", intel.toString(), "--output", "json", log.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode ip = new ObjectMapper().readTree(r.out()).get("ips").get(0);
        assertEquals("203.0.113.8", ip.get("ip").asText());
        JsonNode scanner = null;
        for (JsonNode c : ip.get("categories")) {
            if (c.get("category").asText().equals("scanner")) {
                scanner = c;
            }
        }
        assertTrue(scanner != null, ip.toString());
        assertEquals("behavior", scanner.get("source").asText());
        assertEquals("[]", scanner.get("feeds").toString());
        assertTrue(scanner.get("rules").size() > 0, scanner.toString());
        JsonNode d = ip.get("detections").get(0);
        assertEquals(List.of("rule", "category", "confidence", "key", "count", "window_seconds", "first_seen", "last_seen",
                "tags"), fieldNames(d));
        assertTrue(d.get("count").asLong() >= 1);
    }

    @Test
    void scan_behaviourOnlyClient_isFlaggedWithoutIntel() throws IOException {
        Path probe = dir.resolve("probe.log");
        StringBuilder lines = new StringBuilder();
        String[] paths = {"/.env", "/.git/config", "/wp-login.php", "/phpmyadmin/index.php", "/.aws/credentials",
            "/backup.zip", "/config.php.bak", "/server-status", "/actuator/env", "/.DS_Store", "/db.sql", "/.svn/entries"};
        for (int i = 0; i < paths.length; i++) {
            lines.append(line("198.51.100.77", String.format("01/Nov/2026:00:01:%02d", i), paths[i], 404,
                    "Mozilla/5.0 zgrab/0.x")).append('\n');
        }
        Files.writeString(probe, lines.toString());
        Run r = run("--intel", intel.toString(), "--output", "json", probe.toString());
        JsonNode ip = new ObjectMapper().readTree(r.out()).get("ips").get(0);
        assertEquals("198.51.100.77", ip.get("ip").asText());
        assertEquals("malicious", ip.get("verdict").asText());
        assertEquals(paths.length, ip.get("hits").asInt());
        Run intelOnly = run("--intel", intel.toString(), "--no-rules", "--output", "json", probe.toString());
        assertEquals(0, new ObjectMapper().readTree(intelOnly.out()).get("ips").size());
    }

    @Test
    void scan_ndjsonOutput_oneObjectPerIpThenSummary() throws IOException {
        Run r = run("--intel", intel.toString(), "--output", "ndjson", log.toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(4, lines.length);
        ObjectMapper m = new ObjectMapper();
        assertEquals("203.0.113.8", m.readTree(lines[0]).get("ip").asText());
        JsonNode last = m.readTree(lines[3]);
        assertEquals(List.of("summary"), fieldNames(last));
        assertEquals(3, last.get("summary").get("flagged_ips").asInt());
    }

    @Test
    void scan_csvOutput_headerAndQuotedRows() {
        Run r = run("--intel", intel.toString(), "--no-rules", "--output", "csv", log.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("ip,verdict,level,categories,hits,first_seen,last_seen,top_path",
                "203.0.113.8,malicious,high,network_attack:high,2,2026-11-01T00:00:03Z,2026-11-01T00:04:10Z,/.env",
                "203.0.113.3,malicious,medium,network_attack:moderate,1,2026-11-01T00:06:00Z,2026-11-01T00:06:00Z,/wp-login.php",
                "203.0.113.1,suspicious,low,network_attack:general,1,2026-11-01T00:05:00Z,2026-11-01T00:05:00Z,\"/a,b\\\"\"c\""),
                List.of(r.out().split("\r\n")));
    }

    @Test
    void scan_tableOutput_readableRowsAndSummary() {
        Run r = run("--intel", intel.toString(), "--no-rules", log.toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("IP +VERDICT +LEVEL +CATEGORIES +HITS +TOP PATH"), lines[0]);
        assertTrue(lines[1].matches("203\\.0\\.113\\.8 +malicious +high +network_attack \\(high\\) +2 +/\\.env \\(2\\)"), lines[1]);
        assertTrue(r.out().contains("3 flagged IPs, 4 flagged requests; 6 lines (5 parsed, 1 unparsed) in 1 file"), r.out());
        assertTrue(r.err().contains(log + ": test-combined (given): 6 lines, 5 parsed, 1 unparsed"), r.err());
    }

    @Test
    void scan_minLevel_filtersIpsButNotSummary() throws IOException {
        Run r = run("--intel", intel.toString(), "--output", "json", "--min-level", "medium", log.toString());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("ips").size());
        assertEquals(3, root.get("summary").get("flagged_ips").asInt());
    }

    @Test
    void scan_failOnReached_exit1() {
        assertEquals(1, run("--intel", intel.toString(), "--output", "json", "--fail-on", "high", log.toString()).exit());
        assertEquals(1, run("--intel", intel.toString(), "--output", "json", "--fail-on", "low", "--min-level", "high",
                log.toString()).exit());
    }

    @Test
    void scan_failOnNotReached_exit0() throws IOException {
        Path quiet = dir.resolve("quiet.log");
        Files.writeString(quiet, line("203.0.113.1", "01/Nov/2026:00:05:00", "/", 200, "x") + "\n");
        assertEquals(0, run("--intel", intel.toString(), "--output", "json", "--fail-on", "medium", quiet.toString()).exit());
    }

    @Test
    void scan_missingFile_exit2WithOneClearLine() {
        String missing = dir.resolve("nope.log").toString();
        Run r = run("--intel", intel.toString(), log.toString(), missing);
        assertEquals(2, r.exit());
        assertEquals("threatip scan: no such file: " + missing, r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void scan_truncatedGzip_reportWrittenAndExit2() throws IOException {
        Path gz = dir.resolve("cut.log.gz");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            sb.append(line("203.0.113.8", "01/Nov/2026:00:00:03", "/item/" + i, 404, "zgrab")).append('\n');
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(all, all.length - 40));
        Run r = run("--intel", intel.toString(), "--output", "json", gz.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().matches("(?s)threatip scan: " + java.util.regex.Pattern.quote(gz.toString())
                + ": truncated gzip after \\d+ lines\\s*"), r.err());
        assertTrue(new ObjectMapper().readTree(r.out()).get("summary").get("parsed").asInt() > 0);
    }

    @Test
    void scan_stdin_read() throws IOException {
        ScanCommand c = new ScanCommand(FORMATS).withStdin(new ByteArrayInputStream(Files.readAllBytes(log)));
        Run r = run(c, "--intel", intel.toString(), "--output", "json", "-");
        assertEquals(0, r.exit(), r.err());
        JsonNode ip = new ObjectMapper().readTree(r.out()).get("ips").get(0);
        assertEquals("[{\"file\":\"-\",\"line\":1},{\"file\":\"-\",\"line\":3}]", ip.get("first_hits").toString());
    }

    @Test
    void scan_outFile_reportWrittenThere() throws IOException {
        Path report = dir.resolve("report.json");
        Run r = run("--intel", intel.toString(), "--output", "json", "--out", report.toString(), log.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(3, new ObjectMapper().readTree(report.toFile()).get("ips").size());
    }

    @Test
    void scan_trustedProxy_clientFromForwardedFor() throws IOException {
        Path proxied = dir.resolve("proxied.log");
        Files.writeString(proxied, line("10.0.0.1", "01/Nov/2026:00:05:00", "/", 200, "x") + " \"127.0.0.1, 203.0.113.8\"\n");
        Run trusted = run("--intel", intel.toString(), "--output", "csv", "--trusted-proxy", "10.0.0.0/8", proxied.toString());
        assertTrue(trusted.out().contains("\r\n203.0.113.8,"), trusted.out());
        Run untrusted = run("--intel", intel.toString(), "--output", "csv", proxied.toString());
        assertEquals("ip,verdict,level,categories,hits,first_seen,last_seen,top_path\r\n", untrusted.out());
    }

    @Test
    void scan_badUsage_exit2WithMessage() {
        Run badProxy = run("--intel", intel.toString(), "--trusted-proxy", "10.0.0.0/33", log.toString());
        assertEquals(2, badProxy.exit());
        assertEquals("threatip scan: --trusted-proxy: prefix /33 out of range 0-32: '10.0.0.0/33'", badProxy.err().strip());
        Run badFormat = run("--intel", intel.toString(), "--format", "nope", log.toString());
        assertEquals(2, badFormat.exit());
        assertEquals("threatip scan: --format: unknown format 'nope'; known: test-combined", badFormat.err().strip());
        Run badLevel = run("--intel", intel.toString(), "--fail-on", "severe", log.toString());
        assertEquals("threatip scan: --fail-on: unknown level 'severe'; known: low, medium, high", badLevel.err().strip());
        Run noIntel = run(log.toString());
        assertEquals(2, noIntel.exit());
        assertTrue(noIntel.err().startsWith("Error: Missing required argument"), noIntel.err());
        Run missingIntel = run("--intel", dir.resolve("none.tis").toString(), log.toString());
        assertEquals("threatip scan: no such file: " + dir.resolve("none.tis"), missingIntel.err().strip());
        Run badThreads = run("--intel", intel.toString(), "--threads", "0", log.toString());
        assertEquals("threatip scan: --threads: threads 0 out of range 1-1024", badThreads.err().strip());
    }
}
