package dev.threatip.policy;

import dev.threatip.intel.WireNamed;
import java.util.Locale;

/**
 * Whether the gateway carries out its policy's decisions ({@code mode} in the policy file,
 * {@code gate --monitor} on the command line). In both modes every request is decided, logged and
 * tagged for the origin alike; only what happens to the request differs — the rollout step between
 * "installed" and "enforcing": watch what it would block, then switch.
 */
public enum EnforcementMode implements WireNamed {
    /** Blocks and challenges are answered by the gateway (the default). */
    ENFORCE,
    /**
     * Every request passes to the origin; blocks and challenges are logged with the action they
     * would have been and {@code enforced: false}.
     */
    MONITOR;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in YAML and logs: {@code enforce}, {@code monitor}. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The mode with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static EnforcementMode fromWire(String name) {
        return WireNamed.fromWire(EnforcementMode.class, name, "mode");
    }
}
