package dev.threatip.intel;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.IpParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled threat intelligence: answers "is this IP malicious, in which category, how
 * sure, and says who" from a memory-mapped snapshot written by {@link FeedCompiler}.
 *
 * <p>Structure (see {@link SnapshotLayout}): single IPv4 addresses sit in a sorted table of
 * 16-bit keys under a directory on the top 16-24 address bits, so a lookup reads one directory
 * slot and searches about sixteen 4-byte records, usually one cache line; networks are merged
 * into disjoint ranges searched by binary search under a /16 directory; IPv6 is a sorted range
 * array. Every entry points at a listing set, and the verdict of every set is computed once
 * when the index opens, so {@link #lookup} allocates nothing and returns shared verdicts.
 *
 * <p>Instances are immutable and thread-safe. Memory is mapped, not copied: opening costs the
 * checksum pass over the hot sections, and the pages stay in the OS page cache, shared between
 * processes. Mapped buffers are released by the garbage collector, never explicitly, so a
 * lookup racing a swap can never touch unmapped memory.
 */
public final class ReputationIndex {
    /** How much {@link #open(Path, OpenOptions)} checks. */
    public enum Verification {
        /** Check every hot section's checksum (the default: a corrupt file is refused, never half-read). */
        FULL,
        /** Check only the header, section table and attribute table: for very large snapshots written locally. */
        STRUCTURE
    }

    /**
     * Options for opening a snapshot.
     *
     * @param clock        "now" for the confidence model's recency and for staleness
     * @param model        the confidence model
     * @param verification how much to check
     * @param staleAfter   how old a snapshot may get before {@link #isStale()} says so
     */
    public record OpenOptions(Clock clock, ConfidenceModel model, Verification verification, Duration staleAfter) {
        /** The system clock, the default model, full verification, stale after 48 hours. */
        public static OpenOptions defaults() {
            return new OpenOptions(Clock.systemUTC(), ConfidenceModel.defaults(), Verification.FULL, Duration.ofHours(48));
        }

        /** These options with another clock. */
        public OpenOptions withClock(Clock c) {
            return new OpenOptions(c, model, verification, staleAfter);
        }

        /** These options with another verification level. */
        public OpenOptions withVerification(Verification v) {
            return new OpenOptions(clock, model, v, staleAfter);
        }
    }

    private static final int CHUNK_MASK = (1 << SnapshotLayout.CHUNK_ENTRY_BITS) - 1;

    private final SnapshotFile file;
    private volatile SnapshotManifest manifest; // parsed on first use: lookups never need it
    private final AttributeTable attributes;
    // The verdict of each listing set, assessed on first use: opening stays cheap however many
    // sets there are. A race computes one twice; verdicts are immutable records, safely published.
    private final Verdict[] verdicts;
    private final OpenOptions options;
    private final Instant openedAt;

    // IPv4 single addresses
    private final ByteBuffer directory;
    private final int shift;
    private final ByteBuffer[] entryChunks;
    private final int stride;
    private final boolean narrow;
    private final int entryCount;

    // IPv4 ranges, on the heap: few, and searched on every miss
    private final int[] v4First;
    private final int[] v4Last;
    private final int[] v4Set;
    private final int[] v4Prefix;
    private final int[] v4Line;
    private final int[] v4RangeDirectory; // per /16: first range whose last address is in or after it
    private final long[] v4RangeTouched;  // bit per directory bucket: does any range touch it? Most misses stop here

    // IPv6 ranges
    private final long[] v6FirstHi;
    private final long[] v6FirstLo;
    private final long[] v6LastHi;
    private final long[] v6LastLo;
    private final int[] v6Set;
    private final int[] v6Prefix;
    private final int[] v6Line;

    private ReputationIndex(SnapshotFile file, OpenOptions options) throws IOException {
        this.file = file;
        this.options = options;
        this.openedAt = options.clock().instant();
        this.attributes = AttributeTable.decode(file.section(SnapshotLayout.ATTRIBUTES).chunks(), file);
        this.verdicts = new Verdict[attributes.sets().length];

        SnapshotFile.Section dir = file.section(SnapshotLayout.V4_DIRECTORY);
        this.directory = dir.chunks()[0];
        int bits = dir.length() >= 8 ? directory.getInt(0) : -1;
        if (bits < SnapshotLayout.MIN_DIRECTORY_BITS || bits > SnapshotLayout.MAX_DIRECTORY_BITS
                || dir.length() != 8 + 4L * ((1L << bits) + 1)) {
            throw file.corrupt("ipv4 directory has a bad size or bit count " + bits);
        }
        this.shift = 32 - bits;
        SnapshotFile.Section entries = file.section(SnapshotLayout.V4_ENTRIES);
        this.narrow = (entries.flags() & SnapshotLayout.NARROW_SETS) != 0;
        this.stride = SnapshotFile.entryStride(entries.flags());
        if (entries.length() % stride != 0 || entries.length() / stride > Integer.MAX_VALUE) {
            throw file.corrupt("ipv4 entries section length " + entries.length() + " is not whole records");
        }
        this.entryChunks = entries.chunks();
        this.entryCount = (int) (entries.length() / stride);
        checkDirectory(1 << bits);
        if (file.section(SnapshotLayout.V4_LINES).length() != 4L * entryCount) {
            throw file.corrupt("ipv4 lines section does not match the entries");
        }

        ByteBuffer r4 = file.section(SnapshotLayout.V4_RANGES).chunks()[0].duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n4 = rangeCount(r4, 20, "ipv4 ranges");
        v4First = new int[n4];
        v4Last = new int[n4];
        v4Set = new int[n4];
        v4Prefix = new int[n4];
        v4Line = new int[n4];
        for (int i = 0; i < n4; i++) {
            v4First[i] = r4.getInt();
            v4Last[i] = r4.getInt();
            v4Set[i] = checkSet(r4.getInt(), "ipv4 range");
            v4Prefix[i] = r4.getInt();
            v4Line[i] = r4.getInt();
            if (Integer.compareUnsigned(v4First[i], v4Last[i]) > 0
                    || (i > 0 && Integer.compareUnsigned(v4Last[i - 1], v4First[i]) >= 0)) {
                throw file.corrupt("ipv4 ranges are not sorted and disjoint at range " + i);
            }
        }
        v4RangeDirectory = new int[(1 << 16) + 1];
        int k = 0;
        for (int b = 0; b <= 1 << 16; b++) {
            long bucketStart = (long) b << 16;
            while (k < n4 && (v4Last[k] & 0xFFFF_FFFFL) < bucketStart) {
                k++;
            }
            v4RangeDirectory[b] = k;
        }
        // Ranges are mostly small: at the directory's 2^16-2^24 buckets, most buckets touch none.
        v4RangeTouched = new long[Math.max(1, (1 << (32 - shift)) / 64)];
        for (int i = 0; i < n4; i++) {
            int from = v4First[i] >>> shift;
            int to = v4Last[i] >>> shift;
            for (int b = from; b <= to; b++) {
                v4RangeTouched[b >>> 6] |= 1L << b;
            }
        }

        ByteBuffer r6 = file.section(SnapshotLayout.V6_RANGES).chunks()[0].duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n6 = rangeCount(r6, 48, "ipv6 ranges");
        v6FirstHi = new long[n6];
        v6FirstLo = new long[n6];
        v6LastHi = new long[n6];
        v6LastLo = new long[n6];
        v6Set = new int[n6];
        v6Prefix = new int[n6];
        v6Line = new int[n6];
        for (int i = 0; i < n6; i++) {
            v6FirstHi[i] = r6.getLong();
            v6FirstLo[i] = r6.getLong();
            v6LastHi[i] = r6.getLong();
            v6LastLo[i] = r6.getLong();
            v6Set[i] = checkSet(r6.getInt(), "ipv6 range");
            v6Prefix[i] = r6.getInt();
            v6Line[i] = r6.getInt();
            r6.getInt();
            if (compare(v6FirstHi[i], v6FirstLo[i], v6LastHi[i], v6LastLo[i]) > 0 || (i > 0
                    && compare(v6LastHi[i - 1], v6LastLo[i - 1], v6FirstHi[i], v6FirstLo[i]) >= 0)) {
                throw file.corrupt("ipv6 ranges are not sorted and disjoint at range " + i);
            }
        }
    }

    /**
     * Opens a snapshot with the default options.
     *
     * @throws InvalidSnapshotException when the file is missing, truncated, corrupt or of another version
     */
    public static ReputationIndex open(Path snapshot) throws IOException {
        return open(snapshot, OpenOptions.defaults());
    }

    /**
     * Opens a snapshot.
     *
     * @throws InvalidSnapshotException when the file is missing, truncated, corrupt or of another version
     */
    public static ReputationIndex open(Path snapshot, OpenOptions options) throws IOException {
        SnapshotFile file = SnapshotFile.open(snapshot, options.verification() == Verification.FULL);
        return new ReputationIndex(file, options);
    }

    private void checkDirectory(int buckets) {
        int previous = 0;
        for (int b = 0; b <= buckets; b++) {
            int v = directory.getInt(8 + 4 * b);
            if (v < previous || v > entryCount) {
                throw file.corrupt("ipv4 directory is not monotonic at bucket " + b);
            }
            previous = v;
        }
        if (previous != entryCount) {
            throw file.corrupt("ipv4 directory ends at " + previous + " but there are " + entryCount + " entries");
        }
        if (attributes.sets().length == 0 && entryCount > 0) {
            throw file.corrupt("ipv4 entries exist but the attribute table has no listing sets");
        }
    }

    private int checkSet(int set, String where) {
        if (set < 0 || set >= verdicts.length) {
            throw file.corrupt(where + " points at listing set " + set + " of " + verdicts.length);
        }
        return set;
    }

    private int rangeCount(ByteBuffer b, int recordBytes, String what) {
        if (b.remaining() < 4) {
            throw file.corrupt(what + " section is truncated");
        }
        int n = b.getInt();
        if (n < 0 || (long) n * recordBytes != b.remaining()) {
            throw file.corrupt(what + " section length does not match its count " + n);
        }
        return n;
    }

    /** The verdict for an address; never null, allocation-free. */
    public Verdict lookup(IpAddress address) {
        return lookup(address.hi(), address.lo());
    }

    /** The verdict for an address given as its 128-bit value (IPv4 as IPv4-mapped); allocation-free. */
    public Verdict lookup(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return lookupIpv4((int) lo);
        }
        int r = findIpv6(hi, lo);
        return r < 0 ? Verdict.clean() : verdictOf(v6Set[r]);
    }

    /** The verdict for an IPv4 address given as its unsigned 32-bit value; allocation-free. */
    public Verdict lookupIpv4(int address) {
        int e = findEntry(address);
        if (e >= 0) {
            return verdictOf(setOf(e));
        }
        int r = findIpv4Range(address);
        return r < 0 ? Verdict.clean() : verdictOf(v4Set[r]);
    }

    /**
     * The verdict for the address written in {@code text[from, to)}; clean when the text is not
     * a strict address. For log scanners: parses and looks up without allocating (for IPv4).
     */
    public Verdict lookup(byte[] text, int from, int to) {
        long v4 = IpParser.parseIpv4(text, from, to);
        if (v4 != IpParser.INVALID) {
            return lookupIpv4((int) v4);
        }
        long[] out = new long[2];
        if (!IpParser.parseIpv6(text, from, to, out)) {
            return Verdict.clean();
        }
        return lookup(out[0], out[1]);
    }

    /** The verdict with the entry that matched and every listing behind it, weighed. */
    public IntelMatch explain(IpAddress address) {
        int set;
        Cidr matched;
        long line;
        if (address.isIpv4()) {
            int ip = address.ipv4();
            int e = findEntry(ip);
            int r = findIpv4Range(ip);
            if (e >= 0) {
                set = setOf(e);
                matched = Cidr.of(address);
                file.verifyLines();
                ByteBuffer lines = file.section(SnapshotLayout.V4_LINES).chunks()[e >>> SnapshotLayout.CHUNK_ENTRY_BITS];
                line = lines.getInt((e & CHUNK_MASK) * 4) & 0xFFFF_FFFFL;
            } else if (r >= 0) {
                set = v4Set[r];
                matched = new Cidr(address, v4Prefix[r]);
                line = v4Line[r];
            } else {
                return new IntelMatch(address, Verdict.clean(), null, 0, List.of());
            }
        } else {
            int r = findIpv6(address.hi(), address.lo());
            if (r < 0) {
                return new IntelMatch(address, Verdict.clean(), null, 0, List.of());
            }
            set = v6Set[r];
            matched = new Cidr(address, v6Prefix[r]);
            line = v6Line[r];
        }
        List<ConfidenceModel.WeighedListing> weighed = new ArrayList<>();
        for (Listing l : attributes.listingsOf(set)) {
            weighed.add(options.model().weigh(l, openedAt));
        }
        return new IntelMatch(address, verdictOf(set), matched, line, weighed);
    }

    private int findEntry(int address) {
        int bucket = address >>> shift;
        int base = directory.getInt(8 + 4 * bucket);
        int n = directory.getInt(12 + 4 * bucket) - base;
        int key = address & 0xFFFF;
        // Branch-free lower bound over the bucket's ~16 sorted keys: random keys would mispredict
        // a classic binary search's branches about once per step.
        while (n > 1) {
            int half = n >>> 1;
            base = keyAt(base + half - 1) < key ? base + half : base;
            n -= half;
        }
        return n == 1 && keyAt(base) == key ? base : -1;
    }

    private int keyAt(int entry) {
        return entryChunks[entry >>> SnapshotLayout.CHUNK_ENTRY_BITS].getShort((entry & CHUNK_MASK) * stride) & 0xFFFF;
    }

    private int setOf(int entry) {
        ByteBuffer chunk = entryChunks[entry >>> SnapshotLayout.CHUNK_ENTRY_BITS];
        int at = (entry & CHUNK_MASK) * stride + 2;
        int set = narrow ? chunk.getShort(at) & 0xFFFF : chunk.getInt(at);
        // A crafted file with valid checksums could still point outside the table: answer clean, never throw.
        return set < verdicts.length ? set : verdicts.length - 1;
    }

    private int findIpv4Range(int address) {
        int touched = address >>> shift;
        if ((v4RangeTouched[touched >>> 6] & (1L << touched)) == 0) {
            return -1;
        }
        int b = address >>> 16;
        int lo = v4RangeDirectory[b];
        int hi = Math.min(v4First.length, v4RangeDirectory[b + 1] + 1) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.compareUnsigned(v4Last[mid], address) < 0) {
                lo = mid + 1;
            } else if (Integer.compareUnsigned(v4First[mid], address) > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private int findIpv6(long hi, long lo) {
        int a = 0;
        int b = v6FirstHi.length - 1;
        while (a <= b) {
            int mid = (a + b) >>> 1;
            if (compare(v6LastHi[mid], v6LastLo[mid], hi, lo) < 0) {
                a = mid + 1;
            } else if (compare(v6FirstHi[mid], v6FirstLo[mid], hi, lo) > 0) {
                b = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /**
     * What the snapshot holds and how each feed fared.
     *
     * @throws InvalidSnapshotException when the manifest section is not valid JSON
     */
    public SnapshotManifest manifest() {
        SnapshotManifest m = manifest;
        if (m == null) {
            SnapshotFile.Section section = file.section(SnapshotLayout.MANIFEST);
            byte[] json = new byte[(int) section.length()];
            section.chunks()[0].duplicate().get(json);
            try {
                m = SnapshotManifest.fromJson(json);
            } catch (IOException e) {
                throw file.corrupt("manifest is not valid JSON: " + e.getMessage());
            }
            manifest = m;
        }
        return m;
    }

    private Verdict verdictOf(int set) {
        Verdict v = verdicts[set];
        if (v == null) {
            v = options.model().assess(attributes.listingsOf(set), openedAt);
            verdicts[set] = v;
        }
        return v;
    }

    /** Where the snapshot was opened from. */
    public Path path() {
        return file.path();
    }

    /** When the snapshot was compiled. */
    public Instant compiledAt() {
        return Instant.ofEpochMilli(file.compiledAtMillis());
    }

    /** Whether the snapshot is older than the stale threshold it was opened with. */
    public boolean isStale() {
        return compiledAt().plus(options.staleAfter()).isBefore(options.clock().instant());
    }

    /** Distinct single IPv4 addresses. */
    public long ipv4Addresses() {
        return entryCount;
    }

    /** Disjoint IPv4 ranges. */
    public long ipv4Ranges() {
        return v4First.length;
    }

    /** Disjoint IPv6 ranges. */
    public long ipv6Ranges() {
        return v6FirstHi.length;
    }

    /** Bytes of the structures a lookup reads (directory, entries, ranges, attribute table), not the line provenance. */
    public long hotBytes() {
        return file.totalBytes(SnapshotLayout.V4_DIRECTORY) + file.totalBytes(SnapshotLayout.V4_ENTRIES)
                + file.totalBytes(SnapshotLayout.V4_RANGES) + file.totalBytes(SnapshotLayout.V6_RANGES)
                + file.totalBytes(SnapshotLayout.ATTRIBUTES);
    }
}
