package dev.threatip.intel;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** One IP's overall threat level, derived from its categories and confidences (DESIGN.md §2). */
public enum ThreatLevel {
    LOW, MEDIUM, HIGH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, config and the UI. */
    public String wireName() {
        return wire;
    }

    /**
     * The level with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static ThreatLevel fromWire(String name) {
        for (ThreatLevel l : values()) {
            if (l.wire.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown level '" + name + "'; known: "
                + Arrays.stream(values()).map(ThreatLevel::wireName).collect(Collectors.joining(", ")));
    }
}
