package dev.threatip.block;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import java.time.Instant;
import java.util.Objects;

/**
 * A decision: ban or challenge a scope (one address or a network) until it expires. What
 * exports and the bouncer API hand to enforcement points.
 *
 * @param id         the store's id, 0 before it is stored
 * @param scope      the address ({@code /32}, {@code /128}) or network; IPv6 clients are aggregated
 *                   to a configurable prefix, /64 by default
 * @param type       ban or captcha (challenge)
 * @param created    when it was made
 * @param expires    when it stops applying
 * @param reason     why, in words ({@code "scanner high: scanner-sensitive-files"})
 * @param origin     auto policy, manual or import
 * @param policy     the auto-block policy's name, or null
 * @param category   the category it acts on, or null (manual, import)
 * @param confidence that category's confidence, or null
 * @param hits       requests of the scope seen in our logs when it was made
 * @param offence    how many decisions this scope has had, this one included (escalation)
 */
public record Decision(long id, Cidr scope, DecisionType type, Instant created, Instant expires, String reason,
                       DecisionOrigin origin, String policy, Category category, Confidence confidence, long hits,
                       int offence) {
    public Decision {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(origin, "origin");
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("a decision must expire after it is made: " + created + " .. " + expires);
        }
        if (offence < 1) {
            throw new IllegalArgumentException("offence counts from 1: " + offence);
        }
        if (hits < 0) {
            throw new IllegalArgumentException("hits must not be negative: " + hits);
        }
    }

    /** Whether it applies at {@code t}. */
    public boolean activeAt(Instant t) {
        return !t.isBefore(created) && t.isBefore(expires);
    }
}
