package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard rails. Decisions are refused on documentation space by design, so these tests use
 * public addresses of well-known operators' ranges as stand-ins (nothing is blocked anywhere).
 */
class GuardRailsTest {
    private static final Instant NOW = Instant.parse("2026-11-01T12:00:00Z");
    private static final IpAddress OWN = IpAddress.parse("93.184.216.34");
    private static final Cidr ALLOWED = Cidr.parse("81.2.69.0/24");
    private static final IpAddress CRAWLER = IpAddress.parse("66.249.66.1");

    private final GuardRails rails = new GuardRails(List.of(ALLOWED), List.of(OWN),
            ip -> ip.equals(CRAWLER) ? "listed by googlebot (role allow)" : null);

    private static Verdict verdict(Category c, List<String> tags) {
        return new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                List.of(new CategoryVerdict(c, Confidence.HIGH, "behavior", List.of("x"), List.of())), tags, null, null,
                false, List.of());
    }

    private GuardRails.Check ban(String scope, boolean force) {
        return rails.check(Cidr.parse(scope), DecisionType.BAN, Verdict.clean(), force, NOW);
    }

    @Test
    void check_refusesEverySpecialPurposeBlock_evenWhenForced() {
        for (String s : List.of("127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.1.1", "100.64.0.1",
                "224.0.0.1", "192.0.2.7", "198.51.100.7", "203.0.113.0/24", "0.0.0.0/0", "::1", "fe80::1", "fc00::1",
                "2001:db8::/32", "ff02::1", "240.0.0.1")) {
            GuardRails.Check c = ban(s, true);
            assertFalse(c.allowed(), s);
            assertTrue(c.why().contains("special-purpose"), c.why());
        }
        assertTrue(ban("185.220.101.0/24", false).allowed());
        assertTrue(ban("45.0.0.0/8", false).allowed(), "wide public networks are the operator's business");
    }

    @Test
    void check_refusesTheServersOwnAddress_evenWhenForced() {
        GuardRails.Check c = ban("93.184.216.0/24", true);
        assertFalse(c.allowed());
        assertEquals("93.184.216.0/24 holds this server's own address 93.184.216.34: never decided", c.why());
    }

    @Test
    void check_refusesAllowlistedAndKnownGoodAddresses_unlessForced() {
        GuardRails.Check a = ban("81.2.69.160", false);
        assertFalse(a.allowed());
        assertEquals("81.2.69.160/32 overlaps the allowlist entry 81.2.69.0/24 (blocking.allowlist)", a.why());
        GuardRails.Check wide = ban("81.2.0.0/16", false);
        assertFalse(wide.allowed(), "a wider scope holding allowlisted space is refused too");
        GuardRails.Check g = ban("66.249.66.1", false);
        assertFalse(g.allowed());
        assertTrue(g.why().endsWith("listed by googlebot (role allow)"), g.why());
        assertTrue(ban("81.2.69.160", true).allowed());
        assertTrue(ban("66.249.66.1", true).allowed());
    }

    @Test
    void check_turnsABanOnASharedAddressIntoAChallenge() {
        Cidr nat = Cidr.parse("185.220.101.37");
        GuardRails.Check tagged = rails.check(nat, DecisionType.BAN, verdict(Category.SCANNER, List.of("shared")), false, NOW);
        assertTrue(tagged.allowed());
        assertEquals(DecisionType.CAPTCHA, tagged.type());
        assertTrue(tagged.why().contains("tag shared"), tagged.why());
        GuardRails.Check proxy = rails.check(nat, DecisionType.BAN, verdict(Category.NETWORK_PROXY, List.of()), false, NOW);
        assertEquals(DecisionType.CAPTCHA, proxy.type());
        assertTrue(proxy.why().contains("category network_proxy"), proxy.why());
        assertEquals(DecisionType.BAN, rails.check(nat, DecisionType.BAN, verdict(Category.SCANNER, List.of()), false, NOW).type());
        assertEquals(DecisionType.BAN, rails.check(nat, DecisionType.BAN, verdict(Category.NETWORK_PROXY, List.of()), true, NOW)
                .type(), "an operator's forced ban stays a ban");
    }

    @Test
    void allow_exemptsAScopeUntilItRunsOut() {
        Cidr scope = Cidr.parse("185.220.101.37");
        rails.allow(scope, NOW, NOW.plusSeconds(3600), "customer office");
        GuardRails.Check c = rails.check(scope, DecisionType.BAN, Verdict.clean(), false, NOW.plusSeconds(60));
        assertFalse(c.allowed());
        assertTrue(c.why().contains("allowed by an operator until 2026-11-01T13:00:00Z (customer office)"), c.why());
        assertTrue(rails.check(scope, DecisionType.BAN, Verdict.clean(), false, NOW.plusSeconds(3601)).allowed());
    }

    @Test
    void localAddresses_holdLoopbackAndTheBindAddress() {
        List<IpAddress> own = GuardRails.localAddresses("127.0.0.2");
        assertTrue(own.contains(IpAddress.parse("127.0.0.1")), own.toString());
        assertTrue(own.contains(IpAddress.parse("127.0.0.2")), own.toString());
        assertFalse(GuardRails.localAddresses("0.0.0.0").contains(IpAddress.parse("0.0.0.0")), "a wildcard is not an address");
    }
}
