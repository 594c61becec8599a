package dev.threatip.block;

import java.util.Locale;

/** How auto-block policies act ({@code blocking.mode}). */
public enum BlockingMode {
    /** The default: policies are evaluated, and what they would decide is logged and counted only. */
    MONITOR,
    /** As monitor, and each would-be decision is stored as a simulated one: listed by the API, never enforced. */
    SIMULATE,
    /** Policies make real decisions: exported and streamed to bouncers. */
    ENFORCE;

    /** {@code monitor}, {@code simulate} or {@code enforce}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
