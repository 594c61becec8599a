package dev.threatip.store;

import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.net.IpAddress;

/**
 * What {@link DecisionStore#list} selects; every criterion is optional (null).
 *
 * @param ip        only decisions whose scope holds this address (its own /32 or /128, or a network)
 * @param type      only this type
 * @param origin    only this origin
 * @param active    true: only those in force at the list's {@code now}; false: only those not (expired, deleted)
 * @param simulated true: only simulated ones; false: only real ones
 */
public record DecisionFilter(IpAddress ip, DecisionType type, DecisionOrigin origin, Boolean active, Boolean simulated) {
    /** Every decision, real and simulated, in force or not. */
    public static DecisionFilter all() {
        return new DecisionFilter(null, null, null, null, null);
    }
}
