package dev.threatip.store;

import dev.threatip.block.Decision;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A decision as the store holds it: the decision, whether it was only simulated, and whether an
 * operator deleted it.
 *
 * @param decision  the decision, with its id
 * @param simulated true for what an auto-block policy would have decided in {@code simulate} mode:
 *                  listed, never exported nor streamed to bouncers
 * @param deletedAt when it was deleted, or null
 */
public record StoredDecision(Decision decision, boolean simulated, Instant deletedAt) {
    /** Where a decision stands at one moment. */
    public enum Status {
        /** Applies now. */
        ACTIVE,
        /** Made for a later time (an import with a future start); rare. */
        PENDING,
        /** Ran out. */
        EXPIRED,
        /** Deleted by an operator before it ran out. */
        DELETED;

        /** {@code active}, {@code pending}, {@code expired} or {@code deleted}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StoredDecision {
        Objects.requireNonNull(decision, "decision");
    }

    /** Its status at {@code now}. */
    public Status status(Instant now) {
        if (deletedAt != null && !deletedAt.isAfter(now)) {
            return Status.DELETED;
        }
        if (now.isBefore(decision.created())) {
            return Status.PENDING;
        }
        return now.isBefore(decision.expires()) ? Status.ACTIVE : Status.EXPIRED;
    }
}
