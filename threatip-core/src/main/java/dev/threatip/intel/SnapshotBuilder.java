package dev.threatip.intel;

import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Merges the entries of many feeds into one snapshot.
 *
 * <p>Single IPv4 addresses, the bulk of any feed, are packed as {@code (address, arrival)}
 * longs and sorted in place; side arrays indexed by arrival hold each entry's listing and line.
 * Networks (and all IPv6 entries) are few; since CIDRs are either nested or disjoint they are
 * flattened with a stack into disjoint ranges, each carrying the listings of every network that
 * covers it, the most specific entry of each feed winning. Single addresses inside a network
 * then take that range's listings of the other feeds too. Every distinct combination of listings
 * is interned once as a listing set.
 */
final class SnapshotBuilder {
    /** A summary of what was built, for the manifest. */
    record Counts(long ipv4Addresses, long ipv4Ranges, long ipv6Ranges, long listingSets) {
    }

    private record Net(IpAddress first, IpAddress last, int prefix, int listing, int line) {
    }

    private record Interval(IpAddress first, IpAddress last, int set, int prefix, int line) {
    }

    private record ListingKey(int feed, Evidence evidence) {
    }

    private final List<CompiledFeed> feeds = new ArrayList<>();
    private final List<Evidence> evidence = new ArrayList<>();
    private final Map<Evidence, Integer> evidenceIds = new HashMap<>();
    private final List<int[]> listings = new ArrayList<>();
    private final Map<ListingKey, Integer> listingIds = new HashMap<>();
    private final Map<Evidence, Integer> lastListingOfEvidence = new IdentityHashMap<>();
    private int lastListingFeed = -1;

    private long[] keys = new long[1 << 16];
    private int[] listingOf = new int[1 << 16];
    private int[] lineOf = new int[1 << 16];
    private int singles;

    private final List<Net> v4Nets = new ArrayList<>();
    private final List<Net> v6Nets = new ArrayList<>();

    private final SetInterner sets = new SetInterner();

    /** A point to roll back to when a feed turns out to be refused after its entries were added. */
    record Mark(int singles, int v4Nets, int v6Nets) {
    }

    Mark mark() {
        return new Mark(singles, v4Nets.size(), v6Nets.size());
    }

    /** Forgets every entry added since {@code mark}; their listings stay, unreferenced. */
    void rollback(Mark mark) {
        singles = mark.singles;
        v4Nets.subList(mark.v4Nets, v4Nets.size()).clear();
        v6Nets.subList(mark.v6Nets, v6Nets.size()).clear();
    }

    /** Replaces a feed's record once its header has been read; its listings keep pointing at it. */
    void updateFeed(int index, CompiledFeed feed) {
        feeds.set(index, feed);
    }

    int addFeed(CompiledFeed feed) {
        feeds.add(feed);
        lastListingOfEvidence.clear();
        lastListingFeed = feeds.size() - 1;
        return feeds.size() - 1;
    }

    CompiledFeed feed(int index) {
        return feeds.get(index);
    }

    /** Adds one entry of feed {@code feed}; the caller has already left out special-purpose space. */
    void add(int feed, FeedEntry entry) {
        int listing = listingId(feed, entry.evidence());
        int line = (int) Math.min(Integer.MAX_VALUE, entry.line());
        var cidr = entry.network();
        if (cidr.isIpv4() && cidr.isSingleAddress()) {
            addIpv4(cidr.network().ipv4(), listing, line);
        } else {
            Net net = new Net(cidr.network(), cidr.last(), cidr.prefix(), listing, line);
            (cidr.isIpv4() ? v4Nets : v6Nets).add(net);
        }
    }

    private void addIpv4(int address, int listing, int line) {
        if (singles == keys.length) {
            int grown = (int) Math.min(Integer.MAX_VALUE - 16, keys.length * 3L / 2);
            if (grown <= singles) {
                throw new IllegalStateException("more than " + singles + " single IPv4 entries");
            }
            keys = Arrays.copyOf(keys, grown);
            listingOf = Arrays.copyOf(listingOf, grown);
            lineOf = Arrays.copyOf(lineOf, grown);
        }
        // Sign-flipped address in the high half so signed sort order is unsigned address order.
        keys[singles] = ((long) (address ^ Integer.MIN_VALUE) << 32) | singles;
        listingOf[singles] = listing;
        lineOf[singles] = line;
        singles++;
    }

    private int listingId(int feed, Evidence e) {
        if (feed == lastListingFeed) {
            Integer cached = lastListingOfEvidence.get(e);
            if (cached != null) {
                return cached;
            }
        }
        int evidenceId = evidenceIds.computeIfAbsent(e, k -> {
            evidence.add(k);
            return evidence.size() - 1;
        });
        int id = listingIds.computeIfAbsent(new ListingKey(feed, e), k -> {
            listings.add(new int[] {feed, evidenceId});
            return listings.size() - 1;
        });
        if (feed == lastListingFeed && lastListingOfEvidence.size() < 4096) {
            lastListingOfEvidence.put(e, id);
        }
        return id;
    }

    /** Builds the snapshot and writes it to {@code out}; {@code manifest} is made from the final counts. */
    Counts write(Path out, Instant compiledAt, Function<Counts, SnapshotManifest> manifest) throws IOException {
        Arrays.parallelSort(keys, 0, singles);
        List<Interval> v4Ranges = flatten(v4Nets);
        List<Interval> v6Ranges = flatten(v6Nets);

        // Pass 1: one listing set per distinct address, folding in the range that covers it.
        int[] groupSet = new int[Math.max(1, singles)];
        int groups = 0;
        int r = 0;
        int[] scratch = new int[16];
        for (int i = 0; i < singles; ) {
            int address = addressAt(i);
            int j = i;
            int n = 0;
            while (j < singles && addressAt(j) == address) {
                if (n == scratch.length) {
                    scratch = Arrays.copyOf(scratch, n * 2);
                }
                scratch[n++] = listingOf[seqAt(j)];
                j++;
            }
            long unsigned = address & 0xFFFF_FFFFL;
            while (r < v4Ranges.size() && (v4Ranges.get(r).last.lo() & 0xFFFF_FFFFL) < unsigned) {
                r++;
            }
            Interval covering = r < v4Ranges.size() && (v4Ranges.get(r).first.lo() & 0xFFFF_FFFFL) <= unsigned
                    ? v4Ranges.get(r) : null;
            groupSet[groups++] = covering == null ? sets.intern(scratch, n)
                    : sets.intern(unionByFeed(scratch, n, sets.get(covering.set)));
            i = j;
        }
        int setCount = sets.size();
        boolean narrow = setCount <= 1 << 16;
        int dirBits = SnapshotLayout.directoryBits(groups);
        int shift = 32 - dirBits;

        try (SnapshotWriter w = new SnapshotWriter(out)) {
            // Entries: u16 low bits + set id; records are chunk-aligned by construction (fixed stride).
            w.begin(SnapshotLayout.V4_ENTRIES);
            int g = 0;
            for (int i = 0; i < singles; ) {
                int address = addressAt(i);
                w.putShort((short) address);
                if (narrow) {
                    w.putShort((short) groupSet[g]);
                } else {
                    w.putInt(groupSet[g]);
                }
                g++;
                i = nextGroup(i, address);
            }
            w.end(narrow ? SnapshotLayout.NARROW_SETS : 0);

            w.begin(SnapshotLayout.V4_DIRECTORY);
            w.putInt(dirBits);
            w.putInt(0);
            int bucket = 0;
            g = 0;
            for (int i = 0; i < singles; ) {
                int address = addressAt(i);
                int b = address >>> shift;
                while (bucket <= b) {
                    w.putInt(g);
                    bucket++;
                }
                g++;
                i = nextGroup(i, address);
            }
            while (bucket <= (1 << dirBits)) {
                w.putInt(g);
                bucket++;
            }
            w.end(0);

            w.begin(SnapshotLayout.V4_LINES);
            for (int i = 0; i < singles; ) {
                int address = addressAt(i);
                w.putInt(lineOf[seqAt(i)]); // the first listing in sort order: lowest arrival
                i = nextGroup(i, address);
            }
            w.end(0);

            w.begin(SnapshotLayout.V4_RANGES);
            w.putInt(v4Ranges.size());
            for (Interval iv : v4Ranges) {
                w.putInt((int) iv.first.lo());
                w.putInt((int) iv.last.lo());
                w.putInt(iv.set);
                w.putInt(iv.prefix);
                w.putInt(iv.line);
            }
            w.end(0);

            w.begin(SnapshotLayout.V6_RANGES);
            w.putInt(v6Ranges.size());
            for (Interval iv : v6Ranges) {
                w.putLong(iv.first.hi());
                w.putLong(iv.first.lo());
                w.putLong(iv.last.hi());
                w.putLong(iv.last.lo());
                w.putInt(iv.set);
                w.putInt(iv.prefix);
                w.putInt(iv.line);
                w.putInt(0);
            }
            w.end(0);

            w.begin(SnapshotLayout.ATTRIBUTES);
            int[][] listingArray = listings.toArray(new int[0][]);
            w.put(new AttributeTable(feeds, evidence, listingArray, sets.toArray()).encode());
            w.end(0);

            Counts counts = new Counts(groups, v4Ranges.size(), v6Ranges.size(), setCount);
            w.begin(SnapshotLayout.MANIFEST);
            w.put(manifest.apply(counts).toJson());
            w.end(0);
            w.finish(compiledAt.toEpochMilli());
            return counts;
        }
    }

    private int addressAt(int i) {
        return (int) (keys[i] >>> 32) ^ Integer.MIN_VALUE;
    }

    private int seqAt(int i) {
        return (int) keys[i];
    }

    private int nextGroup(int i, int address) {
        int j = i + 1;
        while (j < singles && addressAt(j) == address) {
            j++;
        }
        return j;
    }

    /** The listings of {@code own}, plus those of {@code covering} whose feed {@code own} does not name. */
    private int[] unionByFeed(int[] own, int n, int[] covering) {
        int[] out = Arrays.copyOf(own, n + covering.length);
        int size = n;
        for (int l : covering) {
            int feed = listings.get(l)[0];
            boolean seen = false;
            for (int k = 0; k < n && !seen; k++) {
                seen = listings.get(own[k])[0] == feed;
            }
            if (!seen) {
                out[size++] = l;
            }
        }
        return Arrays.copyOf(out, size);
    }

    /** Flattens nested-or-disjoint networks into disjoint ranges carrying their covering listings. */
    private List<Interval> flatten(List<Net> nets) {
        nets.sort(Comparator.comparing(Net::first).thenComparingInt(Net::prefix));
        List<Interval> out = new ArrayList<>();
        Deque<Net> stack = new ArrayDeque<>();
        IpAddress cursor = null; // next address not yet emitted, while the stack is not empty
        for (Net net : nets) {
            while (!stack.isEmpty() && stack.peek().last.compareTo(net.first) < 0) {
                cursor = closeTop(stack, cursor, out);
            }
            if (!stack.isEmpty() && cursor != null && cursor.compareTo(net.first) < 0) {
                emit(stack, cursor, previous(net.first), out);
            }
            stack.push(net);
            cursor = net.first;
        }
        while (!stack.isEmpty()) {
            cursor = closeTop(stack, cursor, out);
        }
        return out;
    }

    private IpAddress closeTop(Deque<Net> stack, IpAddress cursor, List<Interval> out) {
        Net top = stack.peek();
        if (cursor != null && cursor.compareTo(top.last) <= 0) {
            emit(stack, cursor, top.last, out);
        }
        stack.pop();
        return next(top.last); // null past the last address: nothing further can be emitted
    }

    private void emit(Deque<Net> stack, IpAddress first, IpAddress last, List<Interval> out) {
        int[] ids = new int[stack.size()];
        int n = 0;
        for (Net net : stack) { // most specific first
            int feed = listings.get(net.listing)[0];
            boolean seen = false;
            for (int k = 0; k < n && !seen; k++) {
                seen = listings.get(ids[k])[0] == feed;
            }
            if (!seen) {
                ids[n++] = net.listing;
            }
        }
        Net top = stack.peek();
        out.add(new Interval(first, last, sets.intern(ids, n), top.prefix, top.line));
    }

    private static IpAddress next(IpAddress a) {
        long lo = a.lo() + 1;
        long hi = lo == 0 ? a.hi() + 1 : a.hi();
        return hi == 0 && lo == 0 ? null : new IpAddress(hi, lo);
    }

    private static IpAddress previous(IpAddress a) {
        long lo = a.lo() - 1;
        long hi = a.lo() == 0 ? a.hi() - 1 : a.hi();
        return new IpAddress(hi, lo);
    }

    /** Interns listing sets as sorted, duplicate-free int arrays. */
    private static final class SetInterner {
        private final Map<IntArrayKey, Integer> ids = new HashMap<>();
        private final List<int[]> byId = new ArrayList<>();
        private int[] singleton = new int[0]; // listing id -> set id + 1; the common case, kept off the hash map

        int intern(int[] ids, int n) {
            if (n == 1 && ids[0] < singleton.length && singleton[ids[0]] != 0) {
                return singleton[ids[0]] - 1;
            }
            return intern(Arrays.copyOf(ids, n));
        }

        int intern(int[] raw) {
            int[] s = Arrays.stream(raw).sorted().distinct().toArray();
            IntArrayKey key = new IntArrayKey(s);
            Integer id = ids.get(key);
            if (id == null) {
                id = byId.size();
                ids.put(key, id);
                byId.add(s);
                if (s.length == 1) {
                    if (s[0] >= singleton.length) {
                        singleton = Arrays.copyOf(singleton, Math.max(s[0] + 1, singleton.length * 2));
                    }
                    singleton[s[0]] = id + 1;
                }
            }
            return id;
        }

        int[] get(int id) {
            return byId.get(id);
        }

        int size() {
            return byId.size();
        }

        int[][] toArray() {
            return byId.toArray(new int[0][]);
        }
    }

    private record IntArrayKey(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IntArrayKey k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }
}
