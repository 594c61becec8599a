package dev.threatip.block;

/** A guard rail refused a decision; the message says which and why. */
public final class DecisionRefusedException extends RuntimeException {
    public DecisionRefusedException(String why) {
        super(why);
    }
}
