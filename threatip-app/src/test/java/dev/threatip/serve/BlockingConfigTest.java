package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.block.BlockPolicy;
import dev.threatip.block.BlockingConfig;
import dev.threatip.block.BlockingMode;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code blocking:} section of threatip.yaml: defaults, a full section, refusals naming the key. */
class BlockingConfigTest {
    @TempDir
    Path dir;

    private ServeConfig load(String yaml) throws IOException {
        Path f = dir.resolve("threatip.yaml");
        Files.writeString(f, yaml);
        return ServeConfig.load(f);
    }

    private String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void defaults_monitorModeWithTheBuiltInPolicies() {
        BlockingConfig b = ServeConfig.defaults().blocking();
        assertEquals(BlockingMode.MONITOR, b.mode());
        assertEquals(List.of("high-ban", "medium-captcha"), b.policies().stream().map(BlockPolicy::name).toList());
        assertEquals(64, b.ipv6Prefix());
        assertEquals(Duration.ofDays(30), b.escalation().max());
    }

    @Test
    void fullSection_isReadAsWritten() throws IOException {
        BlockingConfig b = load("""
                blocking:
                  mode: enforce
                  ipv6_prefix: 56
                  allowlist: [81.2.69.0/24, 2a02:4780::/32]
                  escalation: {factor: 3, max: 7d}
                  policies:
                    - name: exploit-ban
                      when: {level: medium, source: intel, min_hits: 0, categories: [exploit, web_attack], min_confidence: moderate}
                      then: {type: ban, duration: 12h}
                    - name: bots
                      when: {level: low}
                      then: {type: captcha}
                """).blocking();
        assertEquals(BlockingMode.ENFORCE, b.mode());
        assertEquals(56, b.ipv6Prefix());
        assertEquals(List.of(Cidr.parse("81.2.69.0/24"), Cidr.parse("2a02:4780::/32")), b.allowlist());
        assertEquals(3.0, b.escalation().factor());
        assertEquals(Duration.ofDays(7), b.escalation().max());
        assertEquals(new BlockPolicy("exploit-ban", ThreatLevel.MEDIUM, BlockPolicy.Source.INTEL, 0,
                Set.of(Category.EXPLOIT, Category.WEB_ATTACK), Confidence.MODERATE, DecisionType.BAN, Duration.ofHours(12)),
                b.policies().get(0));
        assertEquals(new BlockPolicy("bots", ThreatLevel.LOW, BlockPolicy.Source.ANY, 1, Set.of(), Confidence.GENERAL,
                DecisionType.CAPTCHA, Duration.ofHours(4)), b.policies().get(1));
    }

    @Test
    void badValues_nameTheKeyAndWhatIsAllowed() {
        assertTrue(refusal("blocking: {mode: block}").contains("blocking.mode: 'block' is not allowed; allowed: monitor, simulate, enforce"));
        assertTrue(refusal("blocking: {ipv6_prefix: 32}").contains("blocking.ipv6_prefix"));
        assertTrue(refusal("blocking: {allowlist: [10.0.0.0/33]}").contains("blocking.allowlist[0]: '10.0.0.0/33' is not a CIDR"));
        assertTrue(refusal("blocking: {escalation: {factor: 0.5}}").contains("blocking.escalation.factor: '0.5' is out of range"));
        assertTrue(refusal("blocking: {policies: [{name: a, when: {level: severe}, then: {type: ban}}]}")
                .contains("blocking.policies[0].when.level: 'severe' is not allowed; allowed: low, medium, high"));
        assertTrue(refusal("blocking: {policies: [{name: a, when: {lvl: high}, then: {type: ban}}]}")
                .contains("blocking.policies[0].when.lvl: unknown key"));
        assertTrue(refusal("blocking: {policies: [{name: a, when: {categories: [spam]}, then: {type: ban}}]}")
                .contains("blocking.policies[0].when.categories"));
        assertTrue(refusal("blocking: {policies: [{name: a, then: {type: block}}]}")
                .contains("blocking.policies[0].then.type: 'block' is not allowed; allowed: ban, captcha"));
        assertTrue(refusal("blocking: {policies: [{name: a}]}").contains("blocking.policies[0].then: every policy needs then"));
        assertTrue(refusal("blocking: {policies: [{when: {level: high}, then: {type: ban}}]}")
                .contains("blocking.policies[0].name: every policy needs a name"));
        assertTrue(refusal("blocking: {policies: [{name: a, then: {type: ban}}, {name: a, then: {type: ban}}]}")
                .contains("blocking.policies[1].name: 'a' is used by an earlier policy"));
        assertTrue(refusal("blocking: {policies: [{name: a, then: {duration: 10s}}]}")
                .contains("blocking.policies[0].then.duration: '10s' is out of range"));
    }
}
