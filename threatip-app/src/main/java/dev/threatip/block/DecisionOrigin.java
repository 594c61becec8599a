package dev.threatip.block;

import java.util.Locale;

/** Who made a decision. */
public enum DecisionOrigin {
    /** An auto-block policy of {@code serve}. */
    AUTO,
    /** An operator: the CLI, the API or the dashboard. */
    MANUAL,
    /** An imported list (CSV, JSON, plain). */
    IMPORT;

    /** {@code auto}, {@code manual} or {@code import}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The origin of a wire name; the message lists the known ones. */
    public static DecisionOrigin fromWire(String name) {
        for (DecisionOrigin o : values()) {
            if (o.wireName().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown decision origin '" + name + "'; known: auto, manual, import");
    }
}
