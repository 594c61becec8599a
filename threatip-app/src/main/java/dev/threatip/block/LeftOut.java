package dev.threatip.block;

import java.util.Locale;
import java.util.Objects;

/**
 * A decision an export did not carry, and why.
 *
 * @param decision the decision
 * @param reason   the kind of reason
 * @param detail   the reason in words, written by threatip (never the decision's own text), e.g.
 *                 {@code "covered by 192.0.2.0/24"}
 */
public record LeftOut(Decision decision, Reason reason, String detail) {
    public LeftOut {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** Why decisions are left out of an export, in the order an export checks them. */
    public enum Reason {
        /** Expired at the export's time. */
        EXPIRED,
        /** Its type cannot be expressed by the target (a firewall cannot challenge), or only bans were asked for. */
        TYPE,
        /** The target cannot hold its scope (e.g. Cloudflare lists take IPv4 prefixes /8 to /32 only). */
        SCOPE,
        /** Another decision with the same scope ranked higher. */
        DUPLICATE,
        /** Its scope lies inside the scope of a kept decision at least as strong. */
        COVERED,
        /** The target's size limit was reached by higher-ranked decisions. */
        CAPACITY;

        /** {@code expired}, {@code type}, {@code scope}, {@code duplicate}, {@code covered} or {@code capacity}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
