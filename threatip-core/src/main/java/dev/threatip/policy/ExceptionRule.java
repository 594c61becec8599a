package dev.threatip.policy;

import java.util.Set;

/**
 * An exception: requests it matches skip all checks ({@code skip: all}) or some of them —
 * the reputation matrix, live decisions, all custom rules or named ones.
 *
 * @param skipMask    {@link #REPUTATION}, {@link #DECISIONS}, {@link #RULES} bits; {@link #ALL} for all
 * @param skipRuleIds custom rules skipped by id (when {@link #RULES} is not set)
 */
record ExceptionRule(String id, RequestMatch match, int skipMask, Set<String> skipRuleIds) {
    static final int REPUTATION = 1;
    static final int DECISIONS = 2;
    static final int RULES = 4;
    static final int ALL = REPUTATION | DECISIONS | RULES;

    ExceptionRule {
        skipRuleIds = Set.copyOf(skipRuleIds);
    }

    boolean skipsAll() {
        return skipMask == ALL;
    }
}
