package dev.threatip.policy;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;

/**
 * One layer of the category × confidence matrix: the base (every cell set), or an override for a
 * host, a path prefix or both (cells it does not set are null and fall through to the next layer).
 * The rule id names the layer in decisions: {@code reputation}, {@code reputation@/login},
 * {@code reputation@shop.example}, {@code reputation@shop.example/login}.
 */
record MatrixLayer(String ruleId, Action[][] cells) {
    static final int CATEGORIES = Category.values().length;
    static final int CONFIDENCES = Confidence.values().length;

    static Action[][] empty() {
        return new Action[CATEGORIES][CONFIDENCES];
    }

    Action cell(Category c, Confidence f) {
        return cells[c.ordinal()][f.ordinal()];
    }

    /** The built-in matrix: high blocks (network proxies are challenged), moderate challenges, general is watched. */
    static Action[][] defaults() {
        Action[][] m = empty();
        for (Category c : Category.values()) {
            m[c.ordinal()][Confidence.HIGH.ordinal()] = Action.BLOCK;
            m[c.ordinal()][Confidence.MODERATE.ordinal()] = Action.JS_CHALLENGE;
            m[c.ordinal()][Confidence.GENERAL.ordinal()] = Action.MONITOR;
        }
        // proxies and Tor exits carry real users too: prove a browser, do not refuse
        m[Category.NETWORK_PROXY.ordinal()][Confidence.HIGH.ordinal()] = Action.MANAGED_CHALLENGE;
        // credential attacks at moderate confidence get the costlier challenge: a JS engine is cheap for them
        m[Category.BRUTE_FORCE.ordinal()][Confidence.MODERATE.ordinal()] = Action.MANAGED_CHALLENGE;
        m[Category.ACCOUNT_TAKEOVER.ordinal()][Confidence.MODERATE.ordinal()] = Action.MANAGED_CHALLENGE;
        return m;
    }
}
