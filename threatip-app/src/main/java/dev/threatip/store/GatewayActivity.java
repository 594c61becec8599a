package dev.threatip.store;

import java.util.Map;

/**
 * What {@code threatip gate} did with one IP's requests, for its threat profile.
 *
 * @param hits        the IP's stored gateway hits
 * @param actions     action wire name → hits, most first
 * @param notEnforced hits the gate's monitor mode passed instead of blocking or challenging
 * @param last        the latest hit, or null when there is none
 */
public record GatewayActivity(long hits, Map<String, Long> actions, long notEnforced, GatewayHit last) {
    /** No gateway hit. */
    public static final GatewayActivity NONE = new GatewayActivity(0, Map.of(), 0, null);

    public GatewayActivity {
        actions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(actions));
    }
}
