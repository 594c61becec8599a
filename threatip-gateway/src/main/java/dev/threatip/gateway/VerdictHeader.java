package dev.threatip.gateway;

import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Verdict;
import dev.threatip.policy.PolicyDecision;

/**
 * The verdict as the origin receives it in {@code X-Threatip-Verdict}, like the edge products'
 * bot-tag headers, so the application can decide too:
 * {@code malicious; level=high; categories=scanner:high,network_attack:moderate; action=monitor; rule=reputation}
 * (in monitor mode {@code action=block; enforced=false; rule=reputation}).
 * A clean client with no rule gets {@code clean}. Clients cannot forge it: the gateway removes any
 * {@code X-Threatip-*} header a request arrives with.
 */
final class VerdictHeader {
    static final String NAME = "X-Threatip-Verdict";
    static final String REQUEST_ID = "X-Threatip-Request-Id";
    static final String PREFIX = "x-threatip-";

    private VerdictHeader() {
    }

    /**
     * The header value; {@code enforced} false (monitor mode) adds {@code ; enforced=false} after
     * the action the gateway would have taken.
     */
    static String of(Verdict v, PolicyDecision d, boolean cleared, boolean enforced) {
        if (v.kind() == Verdict.Kind.CLEAN && !d.isHit() && !cleared) {
            return "clean";
        }
        StringBuilder b = new StringBuilder(96).append(v.kind().wireName());
        if (v.level() != null) {
            b.append("; level=").append(v.level().wireName());
        }
        if (!v.categories().isEmpty()) {
            b.append("; categories=");
            for (int i = 0; i < v.categories().size(); i++) {
                CategoryVerdict c = v.categories().get(i);
                b.append(i == 0 ? "" : ",").append(c.category().wireName()).append(':').append(c.confidence().wireName());
            }
        }
        if (v.tags().contains("shared")) {
            b.append("; shared");
        }
        if (d.isHit()) {
            b.append("; action=").append(d.action().wireName());
            if (!enforced) {
                b.append("; enforced=false");
            }
            b.append("; rule=").append(d.ruleId());
        }
        if (cleared) {
            b.append("; challenge=passed");
        }
        return b.toString();
    }
}
