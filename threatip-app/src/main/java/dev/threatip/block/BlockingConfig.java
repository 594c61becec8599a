package dev.threatip.block;

import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.net.Cidr;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code blocking:} section of {@code threatip.yaml}: mode, auto-block policies (first match
 * wins), IPv6 aggregation, the allowlist and escalation.
 *
 * @param mode       monitor (default), simulate or enforce
 * @param policies   evaluated in order on each flushed profile update; the first that matches decides
 * @param ipv6Prefix IPv6 clients are decided on their /{@code ipv6Prefix} network (default 64, 48 to 128)
 * @param allowlist  never decided
 * @param escalation how repeat offences lengthen decisions
 */
public record BlockingConfig(BlockingMode mode, List<BlockPolicy> policies, int ipv6Prefix, List<Cidr> allowlist,
                             Escalation escalation) {
    /** The built-in policies: level high and seen in our logs → ban 24 h; medium → captcha 4 h. */
    public static final List<BlockPolicy> DEFAULT_POLICIES = List.of(
            new BlockPolicy("high-ban", ThreatLevel.HIGH, BlockPolicy.Source.ANY, 1, Set.of(), Confidence.GENERAL,
                    DecisionType.BAN, Duration.ofHours(24)),
            new BlockPolicy("medium-captcha", ThreatLevel.MEDIUM, BlockPolicy.Source.ANY, 1, Set.of(), Confidence.GENERAL,
                    DecisionType.CAPTCHA, Duration.ofHours(4)));

    public BlockingConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(escalation, "escalation");
        policies = List.copyOf(policies);
        allowlist = List.copyOf(allowlist);
        if (ipv6Prefix < 48 || ipv6Prefix > 128) {
            throw new IllegalArgumentException("ipv6_prefix /" + ipv6Prefix + " is out of range; allowed 48 to 128");
        }
        Set<String> names = new HashSet<>();
        for (BlockPolicy p : policies) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("policy name '" + p.name() + "' is used twice");
            }
        }
    }

    /** Monitor mode, the built-in policies, /64, no allowlist, default escalation. */
    public static BlockingConfig defaults() {
        return new BlockingConfig(BlockingMode.MONITOR, DEFAULT_POLICIES, 64, List.of(), Escalation.DEFAULT);
    }

    /** The scope a decision on {@code address}'s client takes: the address, or its IPv6 network. */
    public Cidr scopeOf(dev.threatip.net.IpAddress address) {
        return address.isIpv4() ? Cidr.of(address) : new Cidr(address, ipv6Prefix);
    }
}
