package dev.threatip.policy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A custom (bot) rule: conditions, an optional per-client rate, and an action or a weighted
 * random choice of actions (canarying a rule on a share of its traffic, or keeping bot operators
 * guessing). With a rate, the rule matches only requests beyond it; requests within the rate
 * still take their token.
 */
final class CustomRule {
    final String id;
    final RequestMatch match;
    final RateLimit rate;
    final int status;
    private final Action[] actions;
    private final int[] cumulative;

    CustomRule(String id, RequestMatch match, RateLimit rate, Action[] actions, int[] weights, int status) {
        this.id = id;
        this.match = match;
        this.rate = rate;
        this.status = status;
        this.actions = actions.clone();
        this.cumulative = new int[weights.length];
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
    }

    boolean matches(RequestView r, String path, dev.threatip.intel.Verdict v) {
        return match.matches(r, path, v) && (rate == null || rate.exceeded(r.client()));
    }

    /** The action for one matching request: the only one, or a weighted draw. */
    Action draw() {
        if (actions.length == 1) {
            return actions[0];
        }
        int x = ThreadLocalRandom.current().nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return actions[i];
            }
        }
        return actions[actions.length - 1];
    }

    /** The strongest action the rule can choose (what it can at most cost a client). */
    Action strongest() {
        Action a = Action.ALLOW;
        for (Action x : actions) {
            a = a.max(x);
        }
        return a;
    }
}
