package dev.threatip.detect;

import dev.threatip.log.LineFields;
import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule's tracked group keys in one {@link DetectionState}. The number of keys is capped; when
 * a new key arrives at the cap, the key with the fewest events among a few sampled ones (the
 * idlest on a tie) is evicted, in the spirit of Space-Saving (Metwally et al., 2005) — but the
 * newcomer does not inherit the evicted count, because an inherited count would flag an innocent
 * client. Evictions are counted and reported with the results: under a flood of unique addresses
 * detections become approximate, never unbounded.
 */
final class RuleState {
    private static final int EVICTION_SAMPLE = 8;

    final Rule rule;
    /** The rule's index in its rule set. */
    final int index;
    private final int maxKeys;
    private final long[] scratch = new long[5];
    /** Open addressing (linear probing, load at most 1/2) from the key's three longs to its track. */
    private KeyWindow[] table = new KeyWindow[64];
    private final List<KeyWindow> list = new ArrayList<>();
    long evictions;
    private long rng = 0x2545F4914F6CDD1DL;

    RuleState(int index, Rule rule, int maxKeys) {
        this.index = index;
        this.rule = rule;
        this.maxKeys = maxKeys;
    }

    int size() {
        return list.size();
    }

    List<KeyWindow> tracks() {
        return list;
    }

    /** Counts one event that passed the rule's filter. */
    void add(EventView v, long lineRef) {
        long[] k = scratch;
        keyOf(rule, v, k);
        KeyWindow t = get(k[0], k[1], k[2]);
        if (t == null) {
            t = insert(newWindow(index, rule, k[0], k[1], k[2], v));
        }
        t.add(rule, rule.bucketOf(v.fields.timeMillis), v.fields.timeMillis, lineRef, k[3], k[4]);
    }

    /**
     * The group key and distinct value of an event for {@code rule}: {@code out} gets the key's
     * three longs (address halves, host and path hashes by grouping) and the value's two (a path
     * or user-agent hash pair, or the address; zeros when the rule counts requests).
     */
    static void keyOf(Rule rule, EventView v, long[] out) {
        LineFields f = v.fields;
        switch (rule.groupBy) {
            case IP -> {
                out[0] = f.clientHi;
                out[1] = f.clientLo;
                out[2] = 0;
            }
            case IP_HOST -> {
                out[0] = f.clientHi;
                out[1] = f.clientLo;
                out[2] = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
            }
            case ENDPOINT -> {
                out[0] = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
                out[1] = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0);
                out[2] = 1;
            }
            default -> {
                out[0] = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
                out[1] = 0;
                out[2] = 2;
            }
        }
        switch (rule.count) {
            case DISTINCT_PATHS -> {
                out[3] = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0);
                out[4] = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0x5BD1E995L);
            }
            case DISTINCT_IPS -> {
                out[3] = f.clientHi;
                out[4] = f.clientLo;
            }
            case DISTINCT_USER_AGENTS -> {
                out[3] = hash(f.userAgent.array(), f.userAgent.start(), f.userAgent.end(), false, 0);
                out[4] = hash(f.userAgent.array(), f.userAgent.start(), f.userAgent.end(), false, 0x5BD1E995L);
            }
            case REQUESTS -> {
                out[3] = 0;
                out[4] = 0;
            }
        }
    }

    /** Adds another state's keys of the same rule. */
    void merge(RuleState o) {
        for (KeyWindow t : o.list) {
            KeyWindow mine = get(t.k0, t.k1, t.k2);
            if (mine == null) {
                KeyWindow copy = new KeyWindow(index, t.k0, t.k1, t.k2, t.explicitLabel(), t.hasIp(), rule.count.distinct());
                copy.merge(rule, t);
                insert(copy);
            } else {
                mine.merge(rule, t);
            }
        }
        evictions += o.evictions;
    }

    private KeyWindow get(long k0, long k1, long k2) {
        KeyWindow[] tab = table;
        int mask = tab.length - 1;
        for (int i = KeyWindow.hash(k0, k1, k2) & mask; ; i = (i + 1) & mask) {
            KeyWindow t = tab[i];
            if (t == null || t.sameKey(k0, k1, k2)) {
                return t;
            }
        }
    }

    private KeyWindow insert(KeyWindow t) {
        if (list.size() >= maxKeys) {
            evictOne();
        }
        t.listIndex = list.size();
        list.add(t);
        if (2 * list.size() > table.length) {
            KeyWindow[] old = table;
            table = new KeyWindow[old.length * 2];
            for (KeyWindow x : old) {
                if (x != null) {
                    place(x);
                }
            }
        }
        place(t);
        return t;
    }

    private void place(KeyWindow t) {
        int mask = table.length - 1;
        int i = KeyWindow.hash(t.k0, t.k1, t.k2) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = t;
    }

    /** Removes a track from the table, shifting later members of its probe run back (no tombstones). */
    private void remove(KeyWindow t) {
        KeyWindow[] tab = table;
        int mask = tab.length - 1;
        int i = KeyWindow.hash(t.k0, t.k1, t.k2) & mask;
        while (tab[i] != t) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; tab[j] != null; j = (j + 1) & mask) {
            int home = KeyWindow.hash(tab[j].k0, tab[j].k1, tab[j].k2) & mask;
            // move tab[j] into the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (!stays) {
                tab[hole] = tab[j];
                hole = j;
            }
        }
        tab[hole] = null;
    }

    private void evictOne() {
        KeyWindow victim = null;
        for (int i = 0; i < EVICTION_SAMPLE; i++) {
            rng ^= rng << 13;
            rng ^= rng >>> 7;
            rng ^= rng << 17;
            KeyWindow c = list.get((int) Long.remainderUnsigned(rng, list.size()));
            if (victim == null || c.total < victim.total || (c.total == victim.total && c.last < victim.last)) {
                victim = c;
            }
        }
        KeyWindow moved = list.remove(list.size() - 1);
        if (moved != victim) {
            list.set(victim.listIndex, moved);
            moved.listIndex = victim.listIndex;
        }
        remove(victim);
        evictions++;
    }

    /** A new, empty window for the event's key; only the label is taken from the event. */
    static KeyWindow newWindow(int index, Rule rule, long k0, long k1, long k2, EventView v) {
        return new KeyWindow(index, k0, k1, k2, labelOf(rule, v), rule.groupBy == Rule.GroupBy.IP
                || rule.groupBy == Rule.GroupBy.IP_HOST, rule.count.distinct());
    }

    /** The label a new key's window shows, or null for an ip key (its address is the label). */
    static String labelOf(Rule rule, EventView v) {
        LineFields f = v.fields;
        return switch (rule.groupBy) {
            case IP -> null;
            case IP_HOST -> new IpAddress(f.clientHi, f.clientLo) + " " + lowerHost(f);
            case ENDPOINT -> lowerHost(f) + new String(v.norm.buffer(), 0, v.norm.pathEnd(), StandardCharsets.UTF_8);
            case SITE -> f.host.isEmpty() ? "*" : lowerHost(f);
        };
    }

    private static String lowerHost(LineFields f) {
        return f.host.isEmpty() ? "" : f.host.asString().toLowerCase(java.util.Locale.ROOT);
    }

    /** FNV-1a, finalised with a mix so that nearby inputs spread; {@code seed} makes an independent second hash. */
    static long hash(byte[] b, int from, int to, boolean lower, long seed) {
        long h = 0xCBF29CE484222325L ^ seed;
        if (b != null) {
            for (int i = from; i < to; i++) {
                int c = b[i] & 0xFF;
                if (lower && c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                h = (h ^ c) * 0x100000001B3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
