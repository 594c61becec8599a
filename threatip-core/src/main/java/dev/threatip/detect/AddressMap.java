package dev.threatip.detect;

import java.util.function.Consumer;

/**
 * An open-addressing hash map from a 128-bit address (two longs) to a value, so looking up the
 * profile of a flagged client allocates no key object. Linear probing, load at most 1/2.
 */
final class AddressMap<V> {
    private long[] his = new long[64];
    private long[] los = new long[64];
    private Object[] values = new Object[64];
    private int size;

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long hi, long lo) {
        int mask = values.length - 1;
        for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (his[i] == hi && los[i] == lo) {
                return (V) v;
            }
        }
    }

    /** Adds a value for an address not in the map. */
    void putNew(long hi, long lo, V value) {
        if (2 * (size + 1) > values.length) {
            grow();
        }
        insert(hi, lo, value);
        size++;
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<V> action) {
        for (Object v : values) {
            if (v != null) {
                action.accept((V) v);
            }
        }
    }

    private void insert(long hi, long lo, Object value) {
        int mask = values.length - 1;
        int i = slot(hi, lo, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        his[i] = hi;
        los[i] = lo;
        values[i] = value;
    }

    private void grow() {
        long[] oldHis = his;
        long[] oldLos = los;
        Object[] oldValues = values;
        his = new long[oldValues.length * 2];
        los = new long[oldValues.length * 2];
        values = new Object[oldValues.length * 2];
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                insert(oldHis[i], oldLos[i], oldValues[i]);
            }
        }
    }

    private static int slot(long hi, long lo, int mask) {
        long h = (hi * 0x9E37_79B9_7F4A_7C15L) ^ lo;
        h *= 0xC2B2_AE3D_27D4_EB4FL;
        return (int) (h ^ (h >>> 29)) & mask;
    }
}
