package dev.threatip.block;

import java.util.Locale;

/** What a decision asks an enforcement point to do; wire names as the CrowdSec bouncer protocol spells them. */
public enum DecisionType {
    /** Refuse the client's traffic. */
    BAN,
    /** Let the client through a challenge first (JavaScript or managed challenge, captcha). */
    CAPTCHA;

    /** {@code ban} or {@code captcha}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this type does at least what {@code other} does: a ban covers a captcha, not the other way. */
    public boolean atLeastAsStrongAs(DecisionType other) {
        return this == BAN || this == other;
    }

    /** The type of a wire name; the message lists the known ones. */
    public static DecisionType fromWire(String name) {
        for (DecisionType t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown decision type '" + name + "'; known: ban, captcha");
    }
}
