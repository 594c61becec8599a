package dev.threatip.detect;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The event fields a rule filter can test, by their YAML names. */
enum Field {
    METHOD("method", Kind.TEXT, true),
    HOST("host", Kind.TEXT, true),
    /** The decoded, normalised path. */
    PATH("path", Kind.TEXT, false),
    /** The decoded query. */
    QUERY("query", Kind.TEXT, false),
    /** The normalised path and query, joined by {@code ?}. */
    TARGET("target", Kind.TEXT, false),
    USER_AGENT("user_agent", Kind.TEXT, true),
    REFERER("referer", Kind.TEXT, true),
    STATUS("status", Kind.NUMBER, false),
    BYTES("bytes", Kind.NUMBER, false),
    /** The resolved client address. */
    IP("ip", Kind.ADDRESS, false),
    /** Facts the normaliser noted: traversal, nul, overlong, multi_encoded, … */
    SIGNAL("signal", Kind.SIGNAL, false);

    enum Kind { TEXT, NUMBER, ADDRESS, SIGNAL }

    final String wire;
    final Kind kind;
    /** Raw fields are matched as logged (case-insensitively); the others after normalisation. */
    final boolean raw;

    Field(String wire, Kind kind, boolean raw) {
        this.wire = wire;
        this.kind = kind;
        this.raw = raw;
    }

    static Field fromWire(String name) {
        for (Field f : values()) {
            if (f.wire.equals(name)) {
                return f;
            }
        }
        return null;
    }

    static String known() {
        return Arrays.stream(values()).map(f -> f.wire).collect(Collectors.joining(", ")) + ", any, all, not";
    }
}
