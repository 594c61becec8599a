package dev.threatip.log;

import java.nio.charset.StandardCharsets;

/**
 * A mutable view of some bytes: a field of the line being parsed. Parsers point slices into
 * the read buffer (or into a scratch buffer when a value had to be unescaped); nothing is
 * copied until a line is materialised.
 */
public final class Slice {
    private byte[] array;
    private int start;
    private int end;

    /** Points this slice at {@code array[start, end)}. */
    public void set(byte[] array, int start, int end) {
        this.array = array;
        this.start = start;
        this.end = end;
    }

    /** Makes the slice empty (the field is absent). */
    public void clear() {
        array = null;
        start = 0;
        end = 0;
    }

    /** Whether the field is absent or empty. */
    public boolean isEmpty() {
        return array == null || end <= start;
    }

    public byte[] array() {
        return array;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public int length() {
        return array == null ? 0 : end - start;
    }

    /** The byte at {@code i} within the slice. */
    public byte at(int i) {
        return array[start + i];
    }

    /** Whether the slice holds exactly these ASCII bytes. */
    public boolean contentEquals(byte[] ascii) {
        if (length() != ascii.length) {
            return false;
        }
        for (int i = 0; i < ascii.length; i++) {
            if (array[start + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** The field as a String (UTF-8), or null when absent; allocates, so only for materialised lines. */
    public String asString() {
        return array == null ? null : new String(array, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return String.valueOf(asString());
    }
}
