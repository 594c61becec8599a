package dev.threatip.intel;

import java.util.Locale;

/** One IP's overall threat level, derived from its categories and confidences (DESIGN.md §2). */
public enum ThreatLevel implements WireNamed {
    LOW, MEDIUM, HIGH;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, config and the UI. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The level with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static ThreatLevel fromWire(String name) {
        return WireNamed.fromWire(ThreatLevel.class, name, "level");
    }
}
