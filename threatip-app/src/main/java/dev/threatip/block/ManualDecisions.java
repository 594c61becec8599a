package dev.threatip.block;

import dev.threatip.intel.Verdict;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.store.DecisionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * An operator's decisions — the CLI through the API, the API, the profile page's buttons,
 * imported lists — checked by the same {@link GuardRails} as the auto-block policies. The
 * duration is the operator's, not escalated; the offence count is still recorded.
 */
public final class ManualDecisions {
    /** The longest manual decision: a year. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /**
     * One decision asked for.
     *
     * @param scope    address or network (IPv6 addresses stay as given: an operator means what they type)
     * @param type     ban or captcha
     * @param duration how long, 1 s to {@link #MAX_DURATION}
     * @param reason   why, free text (at most 500 characters), or null
     * @param force    override the allowlist, known-good and shared rules (never special space or own addresses)
     */
    public record Request(Cidr scope, DecisionType type, Duration duration, String reason, boolean force) {
        public Request {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(duration, "duration");
            if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("duration " + duration + " is out of range; allowed 1s to 365d");
            }
            if (reason != null && reason.length() > 500) {
                throw new IllegalArgumentException("reason is longer than 500 characters");
            }
        }
    }

    /**
     * What became of one request of an import.
     *
     * @param index    its position in the request list
     * @param decision the stored decision, or null
     * @param problem  why it was refused or skipped, or null; a note when the type changed
     */
    public record Outcome(int index, Decision decision, String problem) {
    }

    private final DecisionStore store;
    private final GuardRails rails;
    private final Function<IpAddress, Verdict> verdicts;
    private final Clock clock;

    /**
     * @param verdicts what is known about an address (for the shared-address rule); {@code ip -> Verdict.clean()} when nothing
     */
    public ManualDecisions(DecisionStore store, GuardRails rails, Function<IpAddress, Verdict> verdicts, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.rails = Objects.requireNonNull(rails, "rails");
        this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Makes one decision.
     *
     * @throws DecisionRefusedException saying which guard rail refused it
     */
    public Decision add(Request r) {
        Instant now = clock.instant();
        GuardRails.Check check = rails.check(r.scope(), r.type(), verdicts.apply(r.scope().network()), r.force(), now);
        if (!check.allowed()) {
            throw new DecisionRefusedException(check.why());
        }
        return store.add(decision(r, check, DecisionOrigin.MANUAL, now));
    }

    /**
     * Imports decisions: each is checked on its own; refused ones and those an active decision
     * of the same or a stronger type already covers are reported; the rest are stored in one
     * transaction.
     *
     * @return one outcome per request, in order
     */
    public List<Outcome> importAll(List<Request> requests) {
        Instant now = clock.instant();
        List<Outcome> out = new ArrayList<>(requests.size());
        List<Decision> toStore = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            GuardRails.Check check = rails.check(r.scope(), r.type(), verdicts.apply(r.scope().network()), r.force(), now);
            if (!check.allowed()) {
                out.add(new Outcome(i, null, check.why()));
                continue;
            }
            boolean covered = store.covering(r.scope(), now, false).stream().anyMatch(d -> d.type().atLeastAsStrongAs(check.type()))
                    || toStore.stream().anyMatch(d -> d.type().atLeastAsStrongAs(check.type()) && covers(d.scope(), r.scope()));
            if (covered) {
                out.add(new Outcome(i, null, r.scope() + " already has a decision in force of the same or a stronger type"));
                continue;
            }
            out.add(null);
            toStore.add(decision(r, check, DecisionOrigin.IMPORT, now));
            at.add(i);
            notes.add(check.why());
        }
        List<Decision> stored = store.addAll(toStore, false);
        for (int k = 0; k < stored.size(); k++) {
            out.set(at.get(k), new Outcome(at.get(k), stored.get(k), notes.get(k)));
        }
        return out;
    }

    /**
     * The profile page's "allow": deletes every decision (real or simulated) in force that holds
     * {@code ip}, and exempts {@code ip}'s scope from new decisions for {@code ttl} (in memory).
     *
     * @return how many decisions were deleted
     */
    public int allow(IpAddress ip, Duration ttl, String why) {
        Instant now = clock.instant();
        int n = 0;
        for (var s : store.list(new dev.threatip.store.DecisionFilter(ip, null, null, true, null), now, 1000, 0).items()) {
            if (store.delete(s.decision().id(), now)) {
                n++;
            }
        }
        rails.allow(Cidr.of(ip), now, now.plus(ttl), why);
        return n;
    }

    /** Deletes one decision; false when there is no such decision in force. */
    public boolean delete(long id) {
        return store.delete(id, clock.instant());
    }

    private static boolean covers(Cidr outer, Cidr inner) {
        return outer.prefix() <= inner.prefix() && outer.contains(inner.network());
    }

    private Decision decision(Request r, GuardRails.Check check, DecisionOrigin origin, Instant now) {
        String reason = r.reason() == null || r.reason().isBlank() ? origin.wireName() : r.reason();
        if (check.why() != null) {
            reason += "; " + check.why();
        }
        return new Decision(0, r.scope(), check.type(), now, now.plus(r.duration()), reason, origin, null, null, null, 0,
                store.offences(r.scope()) + 1);
    }
}
