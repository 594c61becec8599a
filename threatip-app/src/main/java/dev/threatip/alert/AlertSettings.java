package dev.threatip.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code alerts} section of {@code threatip.yaml}: policies, the channels they name, and
 * the outbox's retry schedule. Every channel a policy names exists (checked when built).
 *
 * @param policies the policies, in config order
 * @param channels the channels by name
 * @param delivery retries and timeouts
 */
public record AlertSettings(List<AlertPolicy> policies, Map<String, ChannelSpec> channels, DeliverySettings delivery) {
    public AlertSettings {
        policies = List.copyOf(policies);
        channels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        for (AlertPolicy p : policies) {
            for (String c : p.channels()) {
                if (!channels.containsKey(c)) {
                    throw new IllegalArgumentException("policy " + p.name() + " names the unknown channel '" + c
                            + "'; known: " + String.join(", ", channels.keySet()));
                }
            }
        }
    }

    /** No policy, no channel: nothing is alerted. */
    public static AlertSettings none() {
        return new AlertSettings(List.of(), Map.of(), DeliverySettings.DEFAULTS);
    }

    /** The policy named {@code name}. */
    public Optional<AlertPolicy> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
