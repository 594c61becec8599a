package dev.threatip.detect;

import dev.threatip.log.LineFields;
import java.util.function.Consumer;

/**
 * Runs every rule's filter on an event and reports the matches as {@link RuleHit}s instead of
 * counting them: the first half of {@link DetectionState#offer}, for a driver that counts per key
 * elsewhere (the Flink job shuffles hits by key to {@link KeyWindow}s). The same skipping,
 * normalisation, key and value computation as a {@link DetectionState}. One per thread.
 */
public final class RuleMatcher {
    private final RuleSet rules;
    private final EventView view;
    private final long[] key = new long[5];

    RuleMatcher(RuleSet rules) {
        this.rules = rules;
        this.view = new EventView(rules);
    }

    /**
     * Reports one hit per rule whose filter the event passes. Events without a resolved client
     * and known-good clients report nothing.
     *
     * @return whether a rule that profiles clients matched (see the rule key {@code profile})
     */
    public boolean match(LineFields fields, long lineRef, Consumer<RuleHit> out) {
        if (!fields.clientValid || rules.knownGood().contains(fields.clientHi, fields.clientLo)) {
            return false;
        }
        rules.prepare(view, fields);
        boolean profiled = false;
        int i = 0;
        for (Rule r : rules.rules()) {
            if (r.filter.test(view)) {
                RuleState.keyOf(r, view, key);
                out.accept(new RuleHit(i, key[0], key[1], key[2], RuleState.labelOf(r, view), fields.timeMillis,
                        lineRef, key[3], key[4]));
                profiled |= r.profile;
            }
            i++;
        }
        return profiled;
    }
}
