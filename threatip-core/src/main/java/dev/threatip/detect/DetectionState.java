package dev.threatip.detect;

import dev.threatip.intel.Confidence;
import dev.threatip.log.EventSink;
import dev.threatip.log.LineFields;
import dev.threatip.net.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thread's detection state: plug it in as that thread's {@link EventSink}, then
 * {@link #merge} the states of all threads and read {@link #results()}. Not thread-safe; one per
 * thread. The result does not depend on event order or on how events were split between states
 * (see {@link KeyWindow}), so a batch scan over parallel chunks, a live tail and a replay agree.
 *
 * <p>Per event: lines without a resolved client address and known-good clients are skipped,
 * then the request is normalised and every field scanned once by its automaton, then each rule's
 * compiled filter is tested. An event no rule matches allocates nothing.
 */
public final class DetectionState implements EventSink {
    private final RuleSet rules;
    private final EventView view;
    private final RuleState[] states;
    private long events;
    private long skipped;

    DetectionState(RuleSet rules) {
        this.rules = rules;
        this.view = new EventView(rules);
        List<Rule> rs = rules.rules();
        states = new RuleState[rs.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new RuleState(i, rs.get(i), rules.maxKeysPerRule());
        }
    }

    @Override
    public void accept(LineFields fields, byte[] line, int start, int end, long lineRef) {
        offer(fields, lineRef);
    }

    /**
     * Counts one event like {@link #accept} and says whether a rule that profiles clients matched
     * it (see the rule key {@code profile}), so a scan can start profiling a client the moment it
     * first does something suspicious.
     */
    public boolean offer(LineFields fields, long lineRef) {
        events++;
        if (!fields.clientValid || rules.knownGood().contains(fields.clientHi, fields.clientLo)) {
            skipped++;
            return false;
        }
        rules.prepare(view, fields);
        boolean matched = false;
        for (RuleState s : states) {
            if (s.rule.filter.test(view)) {
                s.add(view, lineRef);
                matched |= s.rule.profile;
            }
        }
        return matched;
    }

    /** The ids of the rules whose filter the event passes (for {@code explain}); does not count it. */
    List<String> matching(LineFields fields) {
        List<String> out = new ArrayList<>();
        if (!fields.clientValid || rules.knownGood().contains(fields.clientHi, fields.clientLo)) {
            return out;
        }
        rules.prepare(view, fields);
        for (RuleState s : states) {
            if (s.rule.filter.test(view)) {
                out.add(s.rule.id);
            }
        }
        return out;
    }

    /** Events offered to this state. */
    public long events() {
        return events;
    }

    /** Events skipped: no client address, or a known-good client. */
    public long skipped() {
        return skipped;
    }

    /** Group keys currently tracked over all rules. */
    public long trackedKeys() {
        long n = 0;
        for (RuleState s : states) {
            n += s.size();
        }
        return n;
    }

    /**
     * Adds everything {@code other} has seen into this state; {@code other} must come from the
     * same {@link Detector} and is not used afterwards.
     */
    public void merge(DetectionState other) {
        if (other.rules != rules) {
            throw new IllegalArgumentException("states of different detectors cannot merge");
        }
        for (int i = 0; i < states.length; i++) {
            states[i].merge(other.states[i]);
        }
        events += other.events;
        skipped += other.skipped;
    }

    /**
     * Adds the detections of one evaluated window to {@code out}: the key's own when its peak
     * reaches a threshold, and one per participant of a firing distributed window. Returns the
     * participants dropped at the cap.
     */
    static long detectionsOf(Rule r, KeyWindow t, List<Detection> out) {
        Confidence c = r.confidenceOf(t.peak);
        if (c == null) {
            return 0;
        }
        String label = t.label();
        out.add(keyDetection(r, t, c, label));
        if (t.participants != null) {
            for (Map.Entry<IpAddress, long[]> p : t.participants.entrySet()) {
                out.add(participantDetection(r, t, label, p.getKey(), p.getValue()));
            }
        }
        return t.participantsDropped;
    }

    static Detection keyDetection(Rule r, KeyWindow t, Confidence c, String label) {
        List<Long> samples = Arrays.stream(t.samples()).boxed().toList();
        return new Detection(r.id, r.category, c, label, t.ip(), t.peak, r.window, first(t), last(t), r.tags, samples);
    }

    static Detection participantDetection(Rule r, KeyWindow t, String label, IpAddress ip, long[] p) {
        return new Detection(r.id, r.category, Confidence.values()[(int) p[0]], label, ip, p[1], r.window, first(t),
                last(t), r.tags, List.of());
    }

    private static long first(KeyWindow t) {
        return t.first == Long.MAX_VALUE ? -1 : t.first;
    }

    private static long last(KeyWindow t) {
        return t.last == Long.MIN_VALUE ? -1 : t.last;
    }

    /** The detections so far; may be called again after more events. */
    public DetectionResults results() {
        List<Detection> out = new ArrayList<>();
        Map<String, Long> evictions = new TreeMap<>();
        Map<String, Long> dropped = new TreeMap<>();
        for (RuleState s : states) {
            Rule r = s.rule;
            if (s.evictions > 0) {
                evictions.put(r.id, s.evictions);
            }
            for (KeyWindow t : s.tracks()) {
                t.peak = Math.max(t.peak, t.evaluate(r));
                long d = detectionsOf(r, t, out);
                if (d > 0) {
                    dropped.merge(r.id, d, Long::sum);
                }
            }
        }
        out.sort(Comparator.comparing(Detection::ip, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Detection::ruleId).thenComparing(Detection::groupKey));
        return new DetectionResults(out, evictions, dropped);
    }
}
