package dev.threatip.geo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded least-recently-used map in front of database lookups: an access-ordered
 * {@link LinkedHashMap} that drops its eldest entry past {@code capacity}, under one lock.
 * Log traffic is skewed (a few clients make most requests), so a small cache answers most lookups.
 */
final class LruCache<K, V> {
    private final Map<K, V> map;

    LruCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        this.map = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached value of {@code key}, computed by {@code load} (outside the lock) on a miss; never null. */
    V get(K key, Function<K, V> load) {
        synchronized (map) {
            V v = map.get(key);
            if (v != null) {
                return v;
            }
        }
        V v = load.apply(key);
        synchronized (map) {
            map.put(key, v);
        }
        return v;
    }

    int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
