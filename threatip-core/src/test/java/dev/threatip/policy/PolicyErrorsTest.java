package dev.threatip.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad policy is refused at load, naming file, line, column and key, with the allowed values. */
class PolicyErrorsTest {
    @TempDir
    Path dir;

    InvalidPolicyException refused(String yaml) throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, yaml);
        return assertThrows(InvalidPolicyException.class, () -> Policy.load(f));
    }

    @Test
    void load_unknownAction_namesLineKeyAndKnownActions() throws Exception {
        InvalidPolicyException e = refused("""
                matrix:
                  scanner:
                    high: deny
                """);
        assertEquals(3, e.line());
        assertEquals("matrix.scanner.high", e.key());
        assertTrue(e.getMessage().contains("unknown action 'deny'; known: allow, monitor, js_challenge, managed_challenge, block"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("policy.yaml") + ":3:"), e.getMessage());
    }

    @Test
    void load_unknownKeysAndCategories_areRefused() throws Exception {
        assertTrue(refused("matrixx: {}\n").getMessage().contains("unknown key 'matrixx'; known: exceptions, hosts, matrix"));
        InvalidPolicyException cat = refused("matrix: {scanners: block}\n");
        assertEquals("matrix.scanners", cat.key());
        assertTrue(cat.getMessage().contains("known: all, network_attack"), cat.getMessage());
        InvalidPolicyException ruleKey = refused("""
                rules:
                  - id: bots
                    user_agnet: curl
                    action: block
                """);
        assertEquals("rules.bots.user_agnet", ruleKey.key());
        assertEquals(3, ruleKey.line());
    }

    @Test
    void load_badValues_areRefusedWithTheValue() throws Exception {
        assertTrue(refused("exceptions:\n  - {id: office, ip: 192.0.2.0/33, skip: all}\n").getMessage()
                .contains("bad address or CIDR '192.0.2.0/33'"));
        assertTrue(refused("rules:\n  - {id: re, user_agent_regex: '(unclosed', action: block}\n").getMessage()
                .contains("bad regular expression"));
        assertTrue(refused("rules:\n  - {id: r, path: /x, rate: {requests: 5, per: soon}, action: block}\n").getMessage()
                .contains("bad duration 'soon'"));
        assertTrue(refused("rules:\n  - {id: r, path: /x, action: monitor, status: 429}\n").getMessage()
                .contains("only a rule that can block answers with a status"));
        assertTrue(refused("rules:\n  - {id: r, path: /x, action: block, status: 200}\n").getMessage()
                .contains("200 is out of range 400-599"));
        assertTrue(refused("shared_action: block\n").getMessage().contains("must not be block"));
        assertTrue(refused("responses: {pow_difficulty: 40}\n").getMessage().contains("40 is out of range 8-26"));
        assertTrue(refused("hosts: {'shop.example:8080': {matrix: {all: monitor}}}\n").getMessage().contains("not a host name"));
    }

    @Test
    void load_contradictionsAndEmptyRules_areRefused() throws Exception {
        assertTrue(refused("exceptions:\n  - {id: everyone, skip: all}\n").getMessage()
                .contains("an exception needs at least one condition"));
        assertTrue(refused("exceptions:\n  - {id: e, path: /x, skip: [waf]}\n").getMessage()
                .contains("unknown check 'waf'; known: all, reputation, decisions, rules"));
        assertTrue(refused("rules:\n  - {id: r, path: /x}\n").getMessage().contains("give either action"));
        assertTrue(refused("rules:\n  - {id: r, path: /a, action: block}\n  - {id: r, path: /b, action: block}\n")
                .getMessage().contains("duplicate id 'r'"));
        assertTrue(refused("rules:\n  - {id: reputation, path: /a, action: block}\n").getMessage().contains("reserved"));
        assertTrue(refused("rules:\n  - {id: r, user_agent_missing: true, user_agent: curl, action: block}\n").getMessage()
                .contains("contradicts"));
        assertTrue(refused("matrix:\n  scanner: {high: block}\n  scanner: {high: allow}\n").getMessage()
                .contains("duplicate key 'scanner'"));
    }

    @Test
    void load_blockPageWithoutRequestId_orMissing_isRefused() throws Exception {
        Files.writeString(dir.resolve("plain.html"), "<h1>Blocked</h1>");
        assertTrue(refused("responses: {block_page: plain.html}\n").getMessage().contains("must show {{request_id}}"));
        assertTrue(refused("responses: {block_page: missing.html}\n").getMessage().contains("cannot read 'missing.html'"));
    }

    @Test
    void load_notYaml_isRefusedWithPosition() throws Exception {
        InvalidPolicyException e = refused("matrix: {scanner: [block\n");
        assertTrue(e.getMessage().contains("not valid YAML"), e.getMessage());
    }

    @Test
    void loadSection_ofThreatipYaml_namesKeysWithTheSectionAndIgnoresOthers() throws Exception {
        Path f = dir.resolve("threatip.yaml");
        Files.writeString(f, """
                server: {port: 8080}
                policy:
                  matrix:
                    scanner: {high: deny}
                """);
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> Policy.loadSection(f, "policy"));
        assertEquals("policy.matrix.scanner.high", e.key());
        assertEquals(4, e.line());
        Files.writeString(f, "server: {port: 8080}\npolicy:\n  shared_action: js_challenge\n");
        assertEquals(f.toString(), Policy.loadSection(f, "policy").source());
        Files.writeString(f, "server: {port: 8080}\n");
        assertEquals("builtin:default", Policy.loadSection(f, "policy").source());
    }

    @Test
    void load_mode_enforceByDefault_monitorOnRequest_badValuesNamedWithTheKnownOnes() throws Exception {
        assertEquals(EnforcementMode.ENFORCE, Policy.defaults().mode());
        Path f = dir.resolve("mode.yaml");
        Files.writeString(f, "matrix: {scanner: {high: block}}\n");
        assertEquals(EnforcementMode.ENFORCE, Policy.load(f).mode());
        Files.writeString(f, "mode: monitor\n");
        Policy monitor = Policy.load(f);
        assertEquals(EnforcementMode.MONITOR, monitor.mode());
        assertEquals(EnforcementMode.ENFORCE, monitor.withMode(EnforcementMode.ENFORCE).mode());
        assertEquals(monitor.source(), monitor.withMode(EnforcementMode.ENFORCE).source());

        InvalidPolicyException e = refused("matrix: {scanner: {high: block}}\nmode: dry-run\n");
        assertEquals("mode", e.key());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown mode 'dry-run'; known: enforce, monitor"), e.getMessage());
        assertTrue(refused("mode: true\n").getMessage().contains("must be enforce or monitor, not 'true'"));
    }
}
