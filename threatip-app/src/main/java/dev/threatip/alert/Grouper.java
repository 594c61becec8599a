package dev.threatip.alert;

import dev.threatip.net.IpAddress;
import dev.threatip.store.ProfileUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grouping and suppression of one policy. A group is an IP ({@code group_by: ip}) or the whole
 * policy ({@code group_by: policy}). The first match of a group with no open window is sent at
 * once and opens a suppression window; within the window each further IP is counted once and
 * held; when the window ends, what was held goes out as one message whose {@code count} is the
 * number held, and a new window opens (so a lasting flood yields one message per window). A
 * window that ends with nothing held closes. An alert is thus one IP matching the policy, counted
 * at most once per window, and the counts of a group's messages add up to its alerts.
 *
 * <p>Memory: one window per group with an open window; at {@link #MAX_GROUPS} open windows new
 * groups are dropped and counted rather than grown without bound. Not thread-safe: the flush
 * thread alone calls it.
 */
final class Grouper {
    /** Open windows per policy beyond which new groups are dropped (and counted). */
    static final int MAX_GROUPS = 100_000;

    /** A message to send: the matches it stands for (most recent update per IP) and their number. */
    record Emit(AlertPolicy policy, List<ProfileUpdate> updates, int count) {
    }

    private static final class Window {
        Instant end;
        final Set<IpAddress> counted = new HashSet<>();
        final Map<IpAddress, ProfileUpdate> held = new LinkedHashMap<>();

        Window(Instant end) {
            this.end = end;
        }
    }

    private final AlertPolicy policy;
    private final Map<Object, Window> windows = new HashMap<>();
    private volatile long alerts; // written by the flush thread only, read by /metrics
    private volatile long dropped;

    Grouper(AlertPolicy policy) {
        this.policy = policy;
    }

    /** Messages of windows that ended by {@code now}; call before offering this flush's matches. */
    List<Emit> due(Instant now) {
        List<Emit> out = new ArrayList<>();
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            Window w = it.next();
            if (now.isBefore(w.end)) {
                continue;
            }
            if (w.held.isEmpty()) {
                it.remove();
                continue;
            }
            out.add(new Emit(policy, List.copyOf(w.held.values()), w.held.size()));
            w.held.clear();
            w.counted.clear();
            w.end = now.plus(policy.suppress());
        }
        return out;
    }

    /** One match; returns the message to send at once, or null when it is held or already counted. */
    Emit offer(ProfileUpdate u, Instant now) {
        Object key = policy.groupBy() == AlertPolicy.Grouping.IP ? u.ip() : policy.name();
        Window w = windows.get(key);
        if (w == null) {
            if (windows.size() >= MAX_GROUPS) {
                dropped++;
                return null;
            }
            w = new Window(now.plus(policy.suppress()));
            w.counted.add(u.ip());
            windows.put(key, w);
            alerts++;
            return new Emit(policy, List.of(u), 1);
        }
        if (w.counted.add(u.ip())) {
            w.held.put(u.ip(), u);
            alerts++;
        } else if (w.held.containsKey(u.ip())) {
            w.held.put(u.ip(), u); // keep the latest verdict of a held IP
        }
        return null;
    }

    /** Alerts counted so far (each sent at once or held for a digest). */
    long alerts() {
        return alerts;
    }

    /** Matches dropped because {@link #MAX_GROUPS} windows were open. */
    long dropped() {
        return dropped;
    }

    /** Alerts held for messages not yet due. */
    int held() {
        int n = 0;
        for (Window w : windows.values()) {
            n += w.held.size();
        }
        return n;
    }
}
