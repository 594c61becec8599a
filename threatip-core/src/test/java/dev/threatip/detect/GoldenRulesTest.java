package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cases as data: each {@code detect/golden/<category>/<case>.log} holds realistic combined
 * lines annotated fail2ban-style with what the built-in rules must produce:
 * <pre>
 * # expect: {"ip": "203.0.113.7", "category": "scanner", "confidence": "high", "rule": "scanner-sensitive-files"}
 * # expect: {"endpoint": "/login", "category": "account_takeover", "confidence": "general", "rule": "..."}
 * # expect-none: 198.51.100.9
 * </pre>
 * {@code confidence} is the exact confidence of that rule's detection; {@code tag} (optional)
 * must be among its tags; {@code expect-none} means no rule flags the address at all.
 */
class GoldenRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenRulesTest.class.getResource("/detect/golden").toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".log")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void builtinRules_goldenCase_produceAnnotatedDetections(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        DetectionState state = Detector.builtin().newState();
        CombinedLines parser = new CombinedLines();
        int checks = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.startsWith("#")) {
                assertTrue(parser.feed(state, l, i + 1), file.getFileName() + ":" + (i + 1) + " does not parse: " + l);
            }
        }
        List<Detection> all = state.results().detections();
        String dump = all.stream().map(d -> d.ruleId() + " " + d.groupKey() + " " + d.ip() + " " + d.confidence()
                + " n=" + d.count()).collect(Collectors.joining("\n  ", "\n  ", ""));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String where = file.getParent().getFileName() + "/" + file.getFileName() + ":" + (i + 1);
            if (l.startsWith("# expect-none:")) {
                IpAddress ip = IpAddress.parse(l.substring("# expect-none:".length()).strip());
                List<Detection> got = all.stream().filter(d -> ip.equals(d.ip())).toList();
                assertTrue(got.isEmpty(), where + ": expected nothing for " + ip + ", got " + got);
                checks++;
            } else if (l.startsWith("# expect:")) {
                JsonNode e = JSON.readTree(l.substring("# expect:".length()));
                List<Detection> got = all.stream().filter(d -> matches(d, e)).toList();
                if (got.isEmpty()) {
                    fail(where + ": no detection matches " + e + "; detections:" + dump);
                }
                Detection d = got.get(0);
                if (e.has("confidence")) {
                    assertEquals(e.get("confidence").asText(), d.confidence().wireName(), where + ": " + d + dump);
                }
                if (e.has("tag")) {
                    assertTrue(d.tags().contains(e.get("tag").asText()), where + ": tags " + d.tags());
                }
                assertTrue(d.ip() == null || !d.sampleLineRefs().isEmpty() || d.groupKey() != null, where);
                checks++;
            }
        }
        assertTrue(checks > 0, file + " has no expectations");
    }

    private static boolean matches(Detection d, JsonNode e) {
        if (e.has("ip") && (d.ip() == null || !d.ip().equals(IpAddress.parse(e.get("ip").asText())))) {
            return false;
        }
        if (e.has("endpoint") && (d.ip() != null || !d.groupKey().equals(e.get("endpoint").asText()))) {
            return false;
        }
        if (e.has("rule") && !d.ruleId().equals(e.get("rule").asText())) {
            return false;
        }
        return !e.has("category") || d.category().wireName().equals(e.get("category").asText());
    }
}
