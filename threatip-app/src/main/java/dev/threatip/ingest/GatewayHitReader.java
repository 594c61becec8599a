package dev.threatip.ingest;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.log.LineFields;
import dev.threatip.log.Slice;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import dev.threatip.store.GatewayHit;
import java.time.Instant;

/**
 * Turns a parsed line that carries {@code threatip gate}'s decision members into a
 * {@link GatewayHit}. Only called for lines with an {@code action} member, so ordinary lines pay
 * one emptiness check. A line is the gate's when it has {@code action}, {@code rule} and
 * {@code request_id} together — an application log with an {@code action} member of its own is
 * just an event. A gate line whose values are not the policy vocabulary is refused with a reason
 * (the caller counts and samples it; its event is stored all the same).
 */
final class GatewayHitReader {
    static final int MAX_RULE = 128;
    static final int MAX_REQUEST_ID = 64;

    private GatewayHitReader() {
    }

    /** The outcome for one line: a hit, not a gate line ({@link #NOT_GATE}), or why it was refused. */
    record Result(GatewayHit hit, String problem) {
        static final Result NOT_GATE = new Result(null, null);
    }

    static Result read(LineFields f) {
        if (f.hitAction.isEmpty() || f.hitRule.isEmpty() || f.hitRequestId.isEmpty()) {
            return Result.NOT_GATE;
        }
        Action action;
        Category category = null;
        Confidence confidence = null;
        try {
            action = Action.fromWire(f.hitAction.asString());
            if (!f.hitCategory.isEmpty()) {
                category = Category.fromWire(f.hitCategory.asString());
            }
            if (!f.hitConfidence.isEmpty()) {
                confidence = Confidence.fromWire(f.hitConfidence.asString());
            }
        } catch (IllegalArgumentException e) {
            return new Result(null, "gateway hit: " + e.getMessage());
        }
        if ((category == null) != (confidence == null)) {
            return new Result(null, "gateway hit: category and confidence go together");
        }
        if (f.hitRule.length() > MAX_RULE || !printable(f.hitRule)) {
            return new Result(null, "gateway hit: rule is not a rule id (up to " + MAX_RULE + " printable characters)");
        }
        if (f.hitRequestId.length() > MAX_REQUEST_ID || !printable(f.hitRequestId)) {
            return new Result(null, "gateway hit: request_id is not a request id (up to " + MAX_REQUEST_ID
                    + " printable characters)");
        }
        Instant time = f.timeMillis == LineFields.NONE ? null : Instant.ofEpochMilli(f.timeMillis);
        return new Result(new GatewayHit(time, new IpAddress(f.clientHi, f.clientLo), f.hitRule.asString(), category,
                confidence, action, f.hitEnforced != 0, f.hitRequestId.asString(), f.status, text(f.method),
                text(f.host), text(f.path)), null);
    }

    private static boolean printable(Slice s) {
        for (int i = 0; i < s.length(); i++) {
            byte c = s.at(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static String text(Slice s) {
        return s.isEmpty() ? null : s.asString();
    }
}
