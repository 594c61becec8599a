package dev.threatip.intel;

import java.nio.charset.StandardCharsets;

/**
 * The snapshot file layout, version 1. All numbers little-endian.
 *
 * <pre>
 * header (64 bytes)  magic "THREATIP", u32 version, u32 section count, u64 file length,
 *                    u64 compiled-at epoch ms, u32 CRC32C of the header and section table
 *                    (all but these four bytes), zero padding
 * section table      per section (32 bytes): u32 id, u32 flags, u64 offset, u64 length, u32 CRC32C, u32 0
 * sections           each 64-byte aligned:
 *   MANIFEST         UTF-8 JSON: feeds, counts, options (what `feeds status` prints)
 *   ATTRIBUTES       feeds, evidence, listings and listing sets (the shared attribute table)
 *   V4_DIRECTORY     u32 directory bits d (16-24), u32 0, then 2^d + 1 u32 entry indexes:
 *                    the entries of bucket b (addresses whose top d bits are b) are [dir[b], dir[b+1])
 *   V4_ENTRIES       per single IPv4 address, sorted: u16 low 16 bits, then the listing-set id
 *                    as u16 (flag NARROW_SETS) or u32; records never straddle a 2^28-entry chunk
 *   V4_LINES         per entry: u32 line of its first listing in its feed (read only to explain)
 *   V4_RANGES        u32 count, then per disjoint range: u32 first, u32 last, u32 set, u32 prefix, u32 line
 *   V6_RANGES        u32 count, then per disjoint range: u64 first hi, lo, u64 last hi, lo,
 *                    u32 set, u32 prefix, u32 line, u32 0
 * </pre>
 * The single-address table follows the idea of a two-level radix directory over sorted keys
 * (as in Roaring's 16-bit containers): the directory leaves about 16 entries a bucket, so a
 * lookup costs one directory read and a search within one or two cache lines, and an entry
 * costs 4 bytes (6 with more than 65,535 distinct listing sets).
 */
final class SnapshotLayout {
    static final byte[] MAGIC = "THREATIP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    static final int HEADER_BYTES = 64;
    static final int SECTION_ENTRY_BYTES = 32;
    static final int ALIGN = 64;

    static final int MANIFEST = 1;
    static final int ATTRIBUTES = 2;
    static final int V4_DIRECTORY = 3;
    static final int V4_ENTRIES = 4;
    static final int V4_LINES = 5;
    static final int V4_RANGES = 6;
    static final int V6_RANGES = 7;
    static final int SECTION_COUNT = 7;

    /** Flag of V4_ENTRIES: set ids are u16. */
    static final int NARROW_SETS = 1;

    /** Entries a mapped chunk holds: 2^28 records of at most 6 bytes stay under 2 GB per buffer. */
    static final int CHUNK_ENTRY_BITS = 28;

    static final int MIN_DIRECTORY_BITS = 16;
    static final int MAX_DIRECTORY_BITS = 24;

    private SnapshotLayout() {
    }

    static String sectionName(int id) {
        return switch (id) {
            case MANIFEST -> "manifest";
            case ATTRIBUTES -> "attributes";
            case V4_DIRECTORY -> "ipv4 directory";
            case V4_ENTRIES -> "ipv4 entries";
            case V4_LINES -> "ipv4 lines";
            case V4_RANGES -> "ipv4 ranges";
            case V6_RANGES -> "ipv6 ranges";
            default -> "section " + id;
        };
    }

    /** Directory bits for n entries: about 16 entries a bucket, within 16-24 bits. */
    static int directoryBits(long n) {
        int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n / 16));
        return Math.max(MIN_DIRECTORY_BITS, Math.min(MAX_DIRECTORY_BITS, bits));
    }
}
