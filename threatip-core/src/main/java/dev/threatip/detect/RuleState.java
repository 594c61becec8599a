package dev.threatip.detect;

import dev.threatip.log.LineFields;
import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<Track.Key, Track> map = new HashMap<>();
    private final List<Track> list = new ArrayList<>();
    private final Track.Key probe = new Track.Key();
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
        Track.Key k = probe;
        switch (rule.groupBy) {
            case IP -> set(k, f.clientHi, f.clientLo, 0);
            case IP_HOST -> set(k, f.clientHi, f.clientLo, hash(f.host.array(), f.host.start(), f.host.end(), true, 0));
            case ENDPOINT -> set(k, hash(f.host.array(), f.host.start(), f.host.end(), true, 0),
                    hash(v.norm.buffer(), 0, v.norm.pathEnd(), false, 0), 1);
            case SITE -> set(k, hash(f.host.array(), f.host.start(), f.host.end(), true, 0), 0, 2);
        }
        Track t = map.get(k);
        if (t == null) {
            t = insert(k.copy(), newTrack(k.copy(), v));
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
            Track mine = map.get(t.key);
            if (mine == null) {
                Track copy = new Track(t.key, t.label, t.ip, rule.count.distinct());
                copy.merge(rule, t);
                insert(t.key, copy);
            } else {
                mine.merge(rule, t);
            }
        }
        evictions += o.evictions;
    }

    private Track insert(Track.Key key, Track t) {
        if (list.size() >= maxKeys) {
            evictOne();
        }
        t.listIndex = list.size();
        list.add(t);
        map.put(key, t);
        return t;
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
        map.remove(victim.key);
        evictions++;
    }

    private Track newTrack(Track.Key key, EventView v) {
        LineFields f = v.fields;
        IpAddress ip = null;
        String label;
        switch (rule.groupBy) {
            case IP -> {
                ip = new IpAddress(f.clientHi, f.clientLo);
                label = ip.toString();
            }
            case IP_HOST -> {
                ip = new IpAddress(f.clientHi, f.clientLo);
                label = ip + " " + lowerHost(f);
            }
            case ENDPOINT -> label = lowerHost(f) + new String(v.norm.buffer(), 0, v.norm.pathEnd(), StandardCharsets.UTF_8);
            default -> label = f.host.isEmpty() ? "*" : lowerHost(f);
        }
        return new Track(key, label, ip, rule.count.distinct());
    }

    private static String lowerHost(LineFields f) {
        return f.host.isEmpty() ? "" : f.host.asString().toLowerCase(java.util.Locale.ROOT);
    }

    private static void set(Track.Key k, long a, long b, long c) {
        k.k0 = a;
        k.k1 = b;
        k.k2 = c;
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
