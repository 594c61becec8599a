package dev.threatip.intel;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A vocabulary value with a stable name for JSON, config, feed specs and reports, e.g.
 * {@link Category#BRUTE_FORCE} → {@code brute_force}. The enums implementing it look names up
 * through {@link #fromWire(Class, String, String)}, so every one refuses an unknown name the same
 * way: {@code unknown category 'x'; known: network_attack, exploit, ...}.
 */
public interface WireNamed {
    /** The name used in JSON, config and reports. */
    String wireName();

    /**
     * The constant of {@code type} whose {@link #wireName()} is {@code name}.
     *
     * @param what the kind of value for the message, e.g. {@code category}
     * @throws IllegalArgumentException {@code unknown <what> '<name>'; known: a, b, c}, the known
     *                                  names in declaration order
     */
    static <E extends Enum<E> & WireNamed> E fromWire(Class<E> type, String name, String what) {
        E[] values = type.getEnumConstants();
        for (E e : values) {
            if (e.wireName().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "'; known: "
                + Arrays.stream(values).map(WireNamed::wireName).collect(Collectors.joining(", ")));
    }
}
