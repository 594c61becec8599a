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
    private final int maxKeys;
    /** Open addressing (linear probing, load at most 1/2) from the key's three longs to its track. */
    private Track[] table = new Track[64];
    private final List<Track> list = new ArrayList<>();
    long evictions;
    private long rng = 0x2545F4914F6CDD1DL;

    RuleState(Rule rule, int maxKeys) {
        this.rule = rule;
        this.maxKeys = maxKeys;
    }

    int size() {
        return list.size();
    }

    List<Track> tracks() {
        return list;
    }

    /** Counts one event that passed the rule's filter. */
    void add(EventView v, long lineRef) {
        LineFields f = v.fields;
        long k0;
        long k1;
        long k2;
        switch (rule.groupBy) {
            case IP -> {
                k0 = f.clientHi;
                k1 = f.clientLo;
                k2 = 0;
            }
            case IP_HOST -> {
                k0 = f.clientHi;
                k1 = f.clientLo;
                k2 = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
            }
            case ENDPOINT -> {
                k0 = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
                k1 = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0);
                k2 = 1;
            }
            default -> {
                k0 = hash(f.host.array(), f.host.start(), f.host.end(), true, 0);
                k1 = 0;
                k2 = 2;
            }
        }
        Track t = get(k0, k1, k2);
        if (t == null) {
            t = insert(newTrack(k0, k1, k2, v));
        }
        long va = 0;
        long vb = 0;
        switch (rule.count) {
            case DISTINCT_PATHS -> {
                va = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0);
                vb = hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0x5BD1E995L);
            }
            case DISTINCT_IPS -> {
                va = f.clientHi;
                vb = f.clientLo;
            }
            case DISTINCT_USER_AGENTS -> {
                va = hash(f.userAgent.array(), f.userAgent.start(), f.userAgent.end(), false, 0);
                vb = hash(f.userAgent.array(), f.userAgent.start(), f.userAgent.end(), false, 0x5BD1E995L);
            }
            case REQUESTS -> {
            }
        }
        t.add(rule, rule.bucketOf(f.timeMillis), f.timeMillis, lineRef, va, vb);
    }

    /** Adds another state's keys of the same rule. */
    void merge(RuleState o) {
        for (Track t : o.list) {
            Track mine = get(t.k0, t.k1, t.k2);
            if (mine == null) {
                Track copy = new Track(t.k0, t.k1, t.k2, t.explicitLabel(), t.hasIp(), rule.count.distinct());
                copy.merge(rule, t);
                insert(copy);
            } else {
                mine.merge(rule, t);
            }
        }
        evictions += o.evictions;
    }

    private Track get(long k0, long k1, long k2) {
        Track[] tab = table;
        int mask = tab.length - 1;
        for (int i = Track.hash(k0, k1, k2) & mask; ; i = (i + 1) & mask) {
            Track t = tab[i];
            if (t == null || t.sameKey(k0, k1, k2)) {
                return t;
            }
        }
    }

    private Track insert(Track t) {
        if (list.size() >= maxKeys) {
            evictOne();
        }
        t.listIndex = list.size();
        list.add(t);
        if (2 * list.size() > table.length) {
            Track[] old = table;
            table = new Track[old.length * 2];
            for (Track x : old) {
                if (x != null) {
                    place(x);
                }
            }
        }
        place(t);
        return t;
    }

    private void place(Track t) {
        int mask = table.length - 1;
        int i = Track.hash(t.k0, t.k1, t.k2) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = t;
    }

    /** Removes a track from the table, shifting later members of its probe run back (no tombstones). */
    private void remove(Track t) {
        Track[] tab = table;
        int mask = tab.length - 1;
        int i = Track.hash(t.k0, t.k1, t.k2) & mask;
        while (tab[i] != t) {
            i = (i + 1) & mask;
        }
        int hole = i;
        for (int j = (hole + 1) & mask; tab[j] != null; j = (j + 1) & mask) {
            int home = Track.hash(tab[j].k0, tab[j].k1, tab[j].k2) & mask;
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
        Track victim = null;
        for (int i = 0; i < EVICTION_SAMPLE; i++) {
            rng ^= rng << 13;
            rng ^= rng >>> 7;
            rng ^= rng << 17;
            Track c = list.get((int) Long.remainderUnsigned(rng, list.size()));
            if (victim == null || c.total < victim.total || (c.total == victim.total && c.last < victim.last)) {
                victim = c;
            }
        }
        Track moved = list.remove(list.size() - 1);
        if (moved != victim) {
            list.set(victim.listIndex, moved);
            moved.listIndex = victim.listIndex;
        }
        remove(victim);
        evictions++;
    }

    private Track newTrack(long k0, long k1, long k2, EventView v) {
        LineFields f = v.fields;
        return switch (rule.groupBy) {
            case IP -> new Track(k0, k1, k2, null, true, rule.count.distinct());
            case IP_HOST -> new Track(k0, k1, k2, new IpAddress(f.clientHi, f.clientLo) + " " + lowerHost(f), true,
                    rule.count.distinct());
            case ENDPOINT -> new Track(k0, k1, k2,
                    lowerHost(f) + new String(v.norm.buffer(), 0, v.norm.pathEnd(), StandardCharsets.UTF_8), false,
                    rule.count.distinct());
            default -> new Track(k0, k1, k2, f.host.isEmpty() ? "*" : lowerHost(f), false, rule.count.distinct());
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
