package dev.threatip.intel;

import java.util.Locale;

/** How sure threatip is of one category for one IP, weakest first (DESIGN.md §2). */
public enum Confidence implements WireNamed {
    /** Stable but lower-frequency malicious behaviour: observe first. */
    GENERAL,
    /** Significant recent frequency: challenge or observe. */
    MODERATE,
    /** Stable, high-frequency, recent malicious behaviour: block. */
    HIGH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, config and the UI. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The confidence with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static Confidence fromWire(String name) {
        return WireNamed.fromWire(Confidence.class, name, "confidence");
    }
}
