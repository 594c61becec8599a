package dev.threatip.detect;

/**
 * A set of 128-bit values (client addresses, or two independent 64-bit hashes of a path or user
 * agent) that is exact up to a cap and then saturates: once full, further new values only set
 * {@link #saturated()}, and a distinct count reads "at least cap". Saturation instead of a
 * cardinality sketch keeps merges exact below the cap, which is where thresholds live (loading
 * refuses a threshold above the cap). Open addressing, load ≤ 1/2, starts at two slots because
 * most groups only ever see one value.
 */
final class ValueSet {
    private final int cap;
    private long[] table = new long[4];
    private int size;
    private boolean hasZero;
    private boolean saturated;

    ValueSet(int cap) {
        this.cap = cap;
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    boolean saturated() {
        return saturated;
    }

    /** The distinct count: exact, or the cap once saturated. */
    int count() {
        return saturated ? cap : size();
    }

    void clear() {
        java.util.Arrays.fill(table, 0);
        size = 0;
        hasZero = false;
        saturated = false;
    }

    /** Adds a value; returns false when it was present or the set is full (then saturated). */
    boolean add(long a, long b) {
        if (a == 0 && b == 0) {
            if (hasZero) {
                return false;
            }
            if (size() >= cap) {
                saturated = true;
                return false;
            }
            hasZero = true;
            return true;
        }
        int slots = table.length >> 1;
        int i = index(a, b, slots);
        while (true) {
            long x = table[2 * i];
            long y = table[2 * i + 1];
            if (x == 0 && y == 0) {
                break;
            }
            if (x == a && y == b) {
                return false;
            }
            i = (i + 1) & (slots - 1);
        }
        if (size() >= cap) {
            saturated = true;
            return false;
        }
        table[2 * i] = a;
        table[2 * i + 1] = b;
        size++;
        if (size * 2 > slots) {
            grow();
        }
        return true;
    }

    /** Adds every value of {@code o}; saturation carries over. */
    void addAll(ValueSet o) {
        if (o.hasZero) {
            add(0, 0);
        }
        for (int i = 0; i < o.table.length; i += 2) {
            if (o.table[i] != 0 || o.table[i + 1] != 0) {
                add(o.table[i], o.table[i + 1]);
            }
        }
        saturated |= o.saturated;
    }

    interface PairConsumer {
        void accept(long a, long b);
    }

    void forEach(PairConsumer c) {
        if (hasZero) {
            c.accept(0, 0);
        }
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0 || table[i + 1] != 0) {
                c.accept(table[i], table[i + 1]);
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        int slots = table.length >> 1;
        for (int j = 0; j < old.length; j += 2) {
            if (old[j] != 0 || old[j + 1] != 0) {
                int i = index(old[j], old[j + 1], slots);
                while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
                    i = (i + 1) & (slots - 1);
                }
                table[2 * i] = old[j];
                table[2 * i + 1] = old[j + 1];
                size++;
            }
        }
    }

    /** Writes the cap, saturation and values for {@link #readFrom}. */
    void writeTo(java.io.DataOutput out) throws java.io.IOException {
        out.writeInt(cap);
        out.writeBoolean(saturated);
        out.writeInt(size());
        forEach((a, b) -> {
            try {
                out.writeLong(a);
                out.writeLong(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Reads a set {@link #writeTo} wrote. */
    static ValueSet readFrom(java.io.DataInput in) throws java.io.IOException {
        int cap = in.readInt();
        boolean saturated = in.readBoolean();
        int size = in.readInt();
        if (cap < 1 || size < 0 || size > cap) {
            throw new java.io.IOException("distinct set of " + size + " values with cap " + cap);
        }
        ValueSet s = new ValueSet(cap);
        for (int i = 0; i < size; i++) {
            s.add(in.readLong(), in.readLong());
        }
        s.saturated = saturated;
        return s;
    }

    private static int index(long a, long b, int slots) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b + 0x632BE59BD9B4E019L);
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (int) h & (slots - 1);
    }
}
