package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import java.time.Instant;
import java.util.Objects;

/**
 * One request {@code threatip gate} decided — a line of its hit log — as the store keeps it for
 * the hits view, the IP profile and the overview.
 *
 * @param time       when the gate decided it (the line's time), or null: the store clock's now
 * @param ip         the client address the gate resolved
 * @param rule       the deciding rule ({@code reputation}, {@code reputation@/login}, a custom rule
 *                   or exception id, {@code decision})
 * @param category   the deciding category (reputation), or null (custom rules, live decisions)
 * @param confidence its confidence, or null
 * @param action     what the gate did, or in monitor mode would have done
 * @param enforced   false when the policy's monitor mode passed a block or challenge to the origin;
 *                   true for a line without the member (gates before the rollout mode always enforced)
 * @param requestId  the gate's request id (shown on its block page), or null
 * @param status     the status the client got (the gate's own, or the origin's), or -1
 * @param method     request method, or null
 * @param host       requested host, or null
 * @param path       request path as logged, or null
 */
public record GatewayHit(Instant time, IpAddress ip, String rule, Category category, Confidence confidence,
                         Action action, boolean enforced, String requestId, int status, String method, String host,
                         String path) {
    public GatewayHit {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(action, "action");
    }
}
