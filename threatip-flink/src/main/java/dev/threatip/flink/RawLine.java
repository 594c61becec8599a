package dev.threatip.flink;

/**
 * One log line as read, before parsing: a Flink POJO (public fields, no-argument constructor).
 * The reference is a hash of the bytes, so that samples tie-break the same way whichever source
 * (topic partition, file, replay) delivered the line.
 */
public final class RawLine {
    /** The line without its terminator. */
    public byte[] bytes;
    /** A 64-bit hash of {@link #bytes}: orders samples of equal event time. */
    public long ref;

    public RawLine() {
    }

    public RawLine(byte[] bytes) {
        this.bytes = bytes;
        this.ref = refOf(bytes, 0, bytes.length);
    }

    /** FNV-1a over the bytes, mixed; never negative so that it sorts like a line number. */
    static long refOf(byte[] b, int from, int to) {
        long h = 0xCBF29CE484222325L;
        for (int i = from; i < to; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }
}
