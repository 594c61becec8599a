package dev.threatip.net;

import java.util.Locale;

/** What kind of space an address belongs to; everything but {@link #PUBLIC} is special-purpose. */
public enum AddressClass {
    PUBLIC, PRIVATE, LOOPBACK, LINK_LOCAL, MULTICAST, SHARED, BENCHMARKING, DOCUMENTATION, RESERVED, UNSPECIFIED;

    /** The lower-case, hyphenated name used in reports and config, e.g. {@code link-local}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The class named by {@code name} as {@link #wireName()} spells it.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static AddressClass fromWire(String name) {
        for (AddressClass c : values()) {
            if (c.wireName().equals(name)) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (AddressClass c : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(c.wireName());
        }
        throw new IllegalArgumentException("unknown address class '" + name + "'; known: " + known);
    }
}
