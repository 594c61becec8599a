package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLoaderTest {
    private static final String GOOD = """
            rules:
              - id: my-probe
                category: scanner
                filter:
                  path: {contains_any: ["/secret"]}
                window: 5m
                thresholds: {general: 1, moderate: 2}
            """;

    private static InvalidRuleException bad(String yaml) {
        return assertThrows(InvalidRuleException.class, () -> Detector.fromText("rules.yaml", yaml, false));
    }

    @Test
    void load_unknownOperator_namesFileRuleFieldAndLine() {
        InvalidRuleException e = bad(GOOD.replace("contains_any", "contain_any"));
        assertEquals("rules.yaml", e.file());
        assertEquals("my-probe", e.ruleId());
        assertEquals("filter.path.contain_any", e.field());
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("known: contains_any"), e.getMessage());
        assertTrue(e.getMessage().startsWith("rules.yaml:5:"), e.getMessage());
    }

    @Test
    void load_badDuration_refusedWithAcceptedForms() {
        InvalidRuleException e = bad(GOOD.replace("5m", "5 minutes"));
        assertEquals("window", e.field());
        assertTrue(e.getMessage().contains("bad duration '5 minutes'"), e.getMessage());
    }

    @Test
    void load_thresholdsNotIncreasing_refused() {
        InvalidRuleException e = bad(GOOD.replace("moderate: 2", "moderate: 1"));
        assertEquals("thresholds.moderate", e.field());
        assertTrue(e.getMessage().contains("must increase"), e.getMessage());
    }

    @Test
    void load_unknownCategory_listsKnown() {
        InvalidRuleException e = bad(GOOD.replace("category: scanner", "category: scanning"));
        assertEquals("category", e.field());
        assertTrue(e.getMessage().contains("unknown category 'scanning'; known: network_attack"), e.getMessage());
    }

    @Test
    void load_unknownField_listsKnown() {
        InvalidRuleException e = bad(GOOD.replace("path:", "url:"));
        assertEquals("filter.url", e.field());
        assertTrue(e.getMessage().contains("known: method, host, path"), e.getMessage());
    }

    @Test
    void load_unknownRuleKey_refused() {
        InvalidRuleException e = bad(GOOD.replace("window: 5m", "windw: 5m"));
        assertEquals("windw", e.field());
        assertEquals(6, e.line());
    }

    @Test
    void load_unknownCountKind_refused() {
        InvalidRuleException e = bad(GOOD.replace("window: 5m", "count: distinct_hosts"));
        assertTrue(e.getMessage().contains("unknown count 'distinct_hosts'; known: requests, distinct_paths"), e.getMessage());
    }

    @Test
    void load_distinctThresholdAboveCap_refused() {
        InvalidRuleException e = bad(GOOD.replace("window: 5m", "count: distinct_paths\n    distinct_cap: 1"));
        assertEquals("thresholds.moderate", e.field());
        assertTrue(e.getMessage().contains("saturates at distinct_cap 1"), e.getMessage());
    }

    @Test
    void load_badRegex_refusedWithPosition() {
        InvalidRuleException e = bad(GOOD.replace("contains_any: [\"/secret\"]", "regex: \"(unclosed\""));
        assertEquals("filter.path.regex", e.field());
        assertTrue(e.getMessage().contains("bad regular expression"), e.getMessage());
    }

    @Test
    void load_unknownListReference_refused() {
        InvalidRuleException e = bad(GOOD.replace("[\"/secret\"]", "\"@secrets\""));
        assertTrue(e.getMessage().contains("unknown list '@secrets'"), e.getMessage());
    }

    @Test
    void load_participantsWithoutEndpoint_refused() {
        InvalidRuleException e = bad(GOOD.replace("window: 5m", "flag_participants: true"));
        assertEquals("flag_participants", e.field());
    }

    @Test
    void load_duplicateKey_refused() {
        InvalidRuleException e = bad(GOOD.replace("window: 5m", "window: 5m\n    window: 6m"));
        assertTrue(e.getMessage().contains("duplicate key 'window'"), e.getMessage());
    }

    @Test
    void load_notYaml_refusedWithLine() {
        InvalidRuleException e = bad("rules: [\n  - id: x\n  :");
        assertTrue(e.getMessage().startsWith("rules.yaml:"), e.getMessage());
        assertTrue(e.line() > 0);
    }

    @Test
    void load_missingThresholds_explainsOverride() {
        InvalidRuleException e = bad("rules:\n  - id: a\n    category: scanner\n    filter: {path: {contains_any: [x]}}\n");
        assertEquals("thresholds", e.field());
        assertTrue(e.getMessage().contains("enabled: false"), e.getMessage());
    }

    @Test
    void load_userFile_overridesAndDisablesBuiltins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mine.yaml");
        Files.writeString(f, """
                rules:
                  - {id: proxy-many-clients, enabled: false}
                  - id: scanner-tool-user-agent
                    category: scanner
                    filter: {user_agent: {contains_any: [zgrab]}}
                    thresholds: {high: 1}
                  - id: my-probe
                    category: scanner
                    filter: {path: {equals_any: [/secret]}}
                    thresholds: {moderate: 1}
                """);
        Detector d = Detector.load(List.of(f));
        List<String> ids = d.rules().stream().map(Detector.RuleInfo::id).toList();
        assertTrue(!ids.contains("proxy-many-clients"));
        assertTrue(ids.contains("my-probe"));
        Detector.RuleInfo tool = d.rules().stream().filter(r -> r.id().equals("scanner-tool-user-agent")).findFirst().orElseThrow();
        assertEquals(f.toString(), tool.file());
    }

    @Test
    void load_userFileError_namesThatFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.yaml");
        Files.writeString(f, "rules:\n  - id: x\n    category: scanner\n    filter: {status: {in: [abc]}}\n    thresholds: {general: 1}\n");
        InvalidRuleException e = assertThrows(InvalidRuleException.class, () -> Detector.load(List.of(f)));
        assertEquals(f.toString(), e.file());
        assertEquals("x", e.ruleId());
        assertEquals("filter.status.in", e.field());
        assertTrue(e.getMessage().contains("'abc' is not a number"), e.getMessage());
    }

    @Test
    void builtin_everyRuleCompiles_andCoversAllBehaviourCategories() {
        List<Detector.RuleInfo> rules = Detector.builtin().rules();
        for (String c : List.of("scanner", "web_attack", "exploit", "brute_force", "account_takeover", "malicious_bot",
                "network_proxy")) {
            assertTrue(rules.stream().anyMatch(r -> r.category().equals(c)), c);
        }
    }
}
