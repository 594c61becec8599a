package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogFormats;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fail2ban filter samples in {@code shared/data/logs/fail2ban}, read through the real
 * pipeline (LogReader, LogFormats detection, ThreatScan with the built-in rules). Each data line
 * is preceded by {@code # failJSON: {..., "match": true|false, "host": "..."}}.
 *
 * <p>fail2ban's labels mean "this filter's regex matches this line", not "this client is
 * malicious": apache-pass labels a port-knocking success true, traefik-auth labels single 401s
 * true, and fail2ban bans only after {@code maxretry} matches, where one line here may be all
 * there is. So two things are asserted, both principled:
 * <ul>
 *   <li>no host labelled only {@code match: false} (on lines threatip parsed) is flagged;</li>
 *   <li>in the samples whose true lines are attacks one request of which a built-in rule promises
 *       to flag (a probe of an admin/setup path: scanner at 1 distinct path; a known bad-bot agent:
 *       malicious_bot at 1 request; a remote file include: web_attack at 1 request), every true
 *       host on a parsed line is flagged in that category.</li>
 * </ul>
 * Everything else (error logs, journal lines, syslog formats) is reported with why it was not
 * read; those files belong to other log types than access logs.
 */
class Fail2banRealismTest {
    /** Sample file → the category the built-in rules promise for its true lines from one request. */
    private static final Map<String, Category> PROMISED = Map.of(
            "nginx-botsearch", Category.SCANNER,
            "apache-badbots", Category.MALICIOUS_BOT,
            "php-url-fopen", Category.WEB_ATTACK);
    private static final String LABEL = "# failJSON:";

    @TempDir
    Path work;

    /** One labelled data line. */
    private record Label(long line, boolean match, String host) {
    }

    @Test
    void builtinRules_fail2banSamples_noFalseLabelFlaggedAndPromisedAttacksCaught() throws IOException {
        Path logs = RealLogs.dir();
        assumeTrue(logs != null && Files.isDirectory(logs.resolve("fail2ban")), "fail2ban samples absent");
        ReputationIndex index = RealLogs.tinyIndex(work);
        ObjectMapper json = new ObjectMapper();
        // fail2ban's '#' annotations are not part of the logs: detection sees the data lines only,
        // as it would on the server's own file.
        FormatSelector selector = (input, first) -> LogFormats.detect(
                first.stream().filter(l -> !l.startsWith("#")).toList(), null);

        StringBuilder table = new StringBuilder(String.format("%n%-20s %-10s %5s %6s %6s %7s %6s %7s  %s%n", "file", "format",
                "data", "parsed", "true", "flagged", "false", "flagged", "note"));
        List<String> falsePositives = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        int checkedFiles = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(logs.resolve("fail2ban"))) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<Label> labels = new ArrayList<>();
            long dataLines = labels(file, json, labels);
            RealLogs.Scan scan = RealLogs.scan(file, selector, index, true);

            Set<String> trueHosts = new LinkedHashSet<>();
            Set<String> falseHosts = new LinkedHashSet<>();
            for (Label l : labels) {
                IpAddress client = scan.clients().get(l.line());
                if (client == null) {
                    continue; // a line threatip did not parse: nothing to judge it by
                }
                String host = l.host() != null ? canonical(l.host()) : client.toString();
                (l.match() ? trueHosts : falseHosts).add(host);
            }
            falseHosts.removeAll(trueHosts);
            Map<String, Set<Category>> flagged = new TreeMap<>();
            for (ScanReport.FlaggedIp ip : scan.report().ips()) {
                Set<Category> cats = flagged.computeIfAbsent(ip.ip().toString(), k -> new LinkedHashSet<>());
                for (CategoryVerdict c : ip.verdict().categories()) {
                    cats.add(c.category());
                }
            }
            long trueFlagged = trueHosts.stream().filter(flagged::containsKey).count();
            long falseFlagged = falseHosts.stream().filter(flagged::containsKey).count();
            boolean read = scan.file().problem() == null;
            long parsed = scan.clients().size();
            String note = !read ? scan.file().problem() : parsed < dataLines ? (dataLines - parsed) + " data lines in another format" : "";
            table.append(String.format("%-20s %-10s %5d %6d %6d %7d %6d %7d  %s%n", name, scan.file().format(), dataLines, parsed,
                    trueHosts.size(), trueFlagged, falseHosts.size(), falseFlagged, note));

            falseHosts.stream().filter(flagged::containsKey).forEach(h -> falsePositives.add(name + ": " + h + " " + flagged.get(h)));
            Category promised = PROMISED.get(name);
            if (promised != null) {
                checkedFiles++;
                assertEquals("combined", scan.file().format(), name + " should read as combined: " + scan.file());
                assertTrue(!trueHosts.isEmpty(), name + ": no labelled true host parsed");
                trueHosts.stream().filter(h -> !flagged.getOrDefault(h, Set.of()).contains(promised))
                        .forEach(h -> missed.add(name + ": " + h + " not flagged " + promised.wireName() + " " + flagged.get(h)));
            }
        }
        System.out.println(table);
        assertEquals(PROMISED.size(), checkedFiles, "promised samples missing from " + logs.resolve("fail2ban"));
        assertTrue(falsePositives.isEmpty(), "hosts labelled match:false flagged: " + falsePositives + table);
        assertTrue(missed.isEmpty(), "promised attacks missed: " + missed + table);
    }

    /** Reads the labels of a sample into {@code out}; returns the number of data lines (neither blank nor '#'). */
    private static long labels(Path file, ObjectMapper json, List<Label> out) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        JsonNode pending = null;
        long data = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith(LABEL)) {
                pending = json.readTree(l.substring(LABEL.length()));
                continue;
            }
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            data++;
            if (pending != null && pending.has("match")) {
                out.add(new Label(i + 1, pending.get("match").asBoolean(), pending.has("host") ? pending.get("host").asText() : null));
            }
            pending = null;
        }
        return data;
    }

    private static String canonical(String host) {
        try {
            return IpAddress.parse(host).toString();
        } catch (IllegalArgumentException e) {
            return host; // fail2ban also labels DNS names; they never match a flagged address
        }
    }
}
