package dev.threatip.policy;

import dev.threatip.intel.WireNamed;
import java.util.Locale;

/**
 * What the gateway does with a request (DESIGN.md §2), weakest first: when several parts of a
 * policy name an action for one request, the strongest wins.
 */
public enum Action implements WireNamed {
    /** Pass. */
    ALLOW,
    /** Pass, and record the hit. */
    MONITOR,
    /** A page whose script computes a token; a browser passes once, a client without JavaScript never. */
    JS_CHALLENGE,
    /** A proof-of-work page (about a second of a laptop's CPU), then the same clearance cookie. */
    MANAGED_CHALLENGE,
    /** Refuse: 403 (or the rule's status) with a page carrying a request id. */
    BLOCK;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in YAML, JSON and headers, e.g. {@code js_challenge}. */
    @Override
    public String wireName() {
        return wire;
    }

    /** Whether the request reaches the origin (allow, monitor). */
    public boolean passes() {
        return this == ALLOW || this == MONITOR;
    }

    /** Whether the client must solve a challenge first. */
    public boolean isChallenge() {
        return this == JS_CHALLENGE || this == MANAGED_CHALLENGE;
    }

    /** The stronger of two actions. */
    public Action max(Action other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /**
     * The action with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static Action fromWire(String name) {
        return WireNamed.fromWire(Action.class, name, "action");
    }
}
