package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Category;
import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall and false positives of the built-in rules on a {@code gen_corpus.py} corpus, whose truth
 * file labels every malicious address. Events are split into four contiguous chunks fed to four
 * states and merged, as a parallel scan does. Prints the table the README quotes; asserts the
 * issue's targets. {@code -Dcorpus.lines=1000000} for the larger run.
 */
class CorpusCalibrationTest {
    private static final Path GENERATOR = Path.of("/work/shared/bench/gen_corpus.py");

    @Test
    void builtinRules_genCorpus_meetRecallAndFalsePositiveTargets(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(GENERATOR), "gen_corpus.py not present");
        int lines = Integer.getInteger("corpus.lines", 200_000);
        Path log = dir.resolve("c.log");
        Path truthFile = dir.resolve("t.json");
        Process p = new ProcessBuilder("python3", GENERATOR.toString(), "--lines", String.valueOf(lines),
                "--out", log.toString(), "--truth", truthFile.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "gen_corpus.py failed");

        Detector detector = Detector.builtin();
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        int chunks = 4;
        List<DetectionState> states = new ArrayList<>();
        CombinedLines parser = new CombinedLines();
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < chunks; c++) {
            DetectionState s = detector.newState();
            int from = all.size() * c / chunks;
            int to = all.size() * (c + 1) / chunks;
            for (int i = from; i < to; i++) {
                assertTrue(parser.feed(s, all.get(i), i + 1), all.get(i));
                seen.add(all.get(i).substring(0, all.get(i).indexOf(' ')));
            }
            states.add(s);
        }
        DetectionState merged = states.get(0);
        for (int i = 1; i < chunks; i++) {
            merged.merge(states.get(i));
        }
        Map<IpAddress, List<Detection>> byIp = merged.results().byIp();
        Map<String, Set<Category>> flagged = new HashMap<>();
        byIp.forEach((ip, ds) -> {
            Set<Category> cats = EnumSet.noneOf(Category.class);
            ds.forEach(d -> cats.add(d.category()));
            flagged.put(ip.toString(), cats);
        });

        JsonNode truth = new ObjectMapper().readTree(truthFile.toFile());
        Map<String, List<String>> byKind = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = truth.get("malicious").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (seen.contains(e.getKey())) {
                byKind.computeIfAbsent(e.getValue().asText(), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        List<String> dispersed = new ArrayList<>();
        truth.get("dispersed_login_ips").forEach(n -> {
            if (seen.contains(n.asText())) {
                dispersed.add(n.asText());
            }
        });
        Set<String> labelled = new HashSet<>(dispersed);
        byKind.values().forEach(labelled::addAll);
        List<String> crawlers = new ArrayList<>();
        List<String> benign = new ArrayList<>();
        for (String ip : seen) {
            if (ip.startsWith("66.249.66.") || ip.startsWith("157.55.39.")) {
                crawlers.add(ip);
            } else if (!labelled.contains(ip)) {
                benign.add(ip);
            }
        }

        StringBuilder table = new StringBuilder("\ncorpus " + lines + " lines, 4 states merged\n");
        table.append(String.format("%-22s %6s %10s %14s  %s%n", "behaviour", "ips", "flagged", "as expected", "expected category"));
        Map<String, Set<Category>> expected = Map.of(
                "scanner", EnumSet.of(Category.SCANNER),
                "bruteforce", EnumSet.of(Category.BRUTE_FORCE),
                "web_attack", EnumSet.of(Category.WEB_ATTACK, Category.EXPLOIT),
                "malicious_bot", EnumSet.of(Category.MALICIOUS_BOT),
                "known_bad_quiet", EnumSet.noneOf(Category.class));
        Map<String, Double> recall = new HashMap<>();
        for (String kind : List.of("scanner", "bruteforce", "web_attack", "malicious_bot", "known_bad_quiet")) {
            List<String> ips = byKind.getOrDefault(kind, List.of());
            long any = ips.stream().filter(flagged::containsKey).count();
            long asExpected = ips.stream().filter(ip -> flagged.containsKey(ip)
                    && flagged.get(ip).stream().anyMatch(expected.get(kind)::contains)).count();
            recall.put(kind, ips.isEmpty() ? 1 : (double) asExpected / ips.size());
            table.append(String.format("%-22s %6d %9.1f%% %13.1f%%  %s%n", kind, ips.size(), pct(any, ips.size()),
                    pct(asExpected, ips.size()), expected.get(kind)));
        }
        long ato = dispersed.stream().filter(ip -> flagged.containsKey(ip)
                && flagged.get(ip).contains(Category.ACCOUNT_TAKEOVER)).count();
        table.append(String.format("%-22s %6d %9.1f%% %13.1f%%  %s%n", "dispersed_login_ips", dispersed.size(),
                pct(dispersed.stream().filter(flagged::containsKey).count(), dispersed.size()), pct(ato, dispersed.size()),
                "[ACCOUNT_TAKEOVER]"));
        long fp = benign.stream().filter(flagged::containsKey).count();
        long crawlerFp = crawlers.stream().filter(flagged::containsKey).count();
        table.append(String.format("%-22s %6d %9.2f%%   (false positives)%n", "benign", benign.size(), pct(fp, benign.size())));
        table.append(String.format("%-22s %6d %9.2f%%   (false positives)%n", "good crawlers", crawlers.size(),
                pct(crawlerFp, crawlers.size())));
        Map<String, Long> perRule = new HashMap<>();
        merged.results().detections().forEach(d -> perRule.merge(d.ruleId(), 1L, Long::sum));
        table.append("detections per rule: ").append(new java.util.TreeMap<>(perRule)).append('\n');
        benign.stream().filter(flagged::containsKey).limit(10)
                .forEach(ip -> table.append("  benign flagged: ").append(ip).append(' ').append(byIp.get(IpAddress.parse(ip))).append('\n'));
        System.out.println(table);

        for (String kind : List.of("scanner", "bruteforce", "web_attack", "malicious_bot")) {
            assertTrue(recall.get(kind) >= 0.95, kind + " recall " + recall.get(kind) + table);
        }
        assertTrue(ato >= 0.90 * dispersed.size(), "account_takeover recall" + table);
        assertTrue(fp <= 0.005 * benign.size(), "benign false positives" + table);
        assertEquals(0, crawlerFp, "good crawlers flagged" + table);
    }

    private static double pct(long a, long b) {
        return b == 0 ? 100 : 100.0 * a / b;
    }
}
