package dev.threatip.intel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How sure threatip is of one category for one IP, weakest first (DESIGN.md §2). */
public enum Confidence {
    /** Stable but lower-frequency malicious behaviour: observe first. */
    GENERAL,
    /** Significant recent frequency: challenge or observe. */
    MODERATE,
    /** Stable, high-frequency, recent malicious behaviour: block. */
    HIGH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, config and the UI. */
    public String wireName() {
        return wire;
    }

    /**
     * The confidence with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static Confidence fromWire(String name) {
        for (Confidence c : values()) {
            if (c.wire.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown confidence '" + name + "'; known: "
                + Arrays.stream(values()).map(Confidence::wireName).collect(Collectors.joining(", ")));
    }
}
