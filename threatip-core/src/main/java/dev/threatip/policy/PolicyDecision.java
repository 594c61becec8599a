package dev.threatip.policy;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import java.util.Objects;

/**
 * What the policy decided for one request, and which rule decided it, so every action explains
 * itself in the gateway's hit log.
 *
 * @param action     what to do
 * @param ruleId     the deciding rule: {@code reputation} (or {@code reputation@HOST}, {@code
 *                   reputation@/PATH}, {@code reputation@HOST/PATH} for an override), a custom
 *                   rule's or exception's id, {@code decision} for a live decision, or
 *                   {@code none} when nothing applied
 * @param category   the category that decided (reputation), or null
 * @param confidence its confidence, or null
 * @param status     the HTTP status a block answers with (403 unless the rule says otherwise)
 * @param shared     whether a block was turned into a challenge because the address is shared
 */
public record PolicyDecision(Action action, String ruleId, Category category, Confidence confidence, int status,
                             boolean shared) {
    /** The rule id when no rule applied. */
    public static final String NONE = "none";
    /** The rule id of a live decision pulled from {@code serve}. */
    public static final String DECISION = "decision";

    private static final PolicyDecision PASS = new PolicyDecision(Action.ALLOW, NONE, null, null, 0, false);

    public PolicyDecision {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ruleId, "ruleId");
        if (action == Action.BLOCK && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("a block answers with a 4xx or 5xx status, not " + status);
        }
    }

    /** Nothing applied: pass without a record. */
    public static PolicyDecision pass() {
        return PASS;
    }

    /** Whether a rule decided (anything but {@link #pass()}): such requests are logged as hits. */
    public boolean isHit() {
        return !ruleId.equals(NONE);
    }
}
