package dev.threatip.detect;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A set of CIDR blocks as sorted, merged, disjoint 128-bit ranges (IPv4 as IPv4-mapped), looked
 * up by binary search without allocating.
 */
final class RangeSet {
    static final RangeSet EMPTY = new RangeSet(List.of());

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;

    RangeSet(List<Cidr> cidrs) {
        List<long[]> ranges = new ArrayList<>();
        for (Cidr c : cidrs) {
            IpAddress first = c.network();
            IpAddress last = c.last();
            ranges.add(new long[] {first.hi(), first.lo(), last.hi(), last.lo()});
        }
        ranges.sort(Comparator.<long[]>comparingLong(r -> r[0] ^ Long.MIN_VALUE)
                .thenComparingLong(r -> r[1] ^ Long.MIN_VALUE));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && compare(r[0], r[1], prev[2], prev[3]) <= 0) {
                if (compare(r[2], r[3], prev[2], prev[3]) > 0) {
                    prev[2] = r[2];
                    prev[3] = r[3];
                }
            } else {
                merged.add(r);
            }
        }
        int n = merged.size();
        startHi = new long[n];
        startLo = new long[n];
        endHi = new long[n];
        endLo = new long[n];
        for (int i = 0; i < n; i++) {
            long[] r = merged.get(i);
            startHi[i] = r[0];
            startLo[i] = r[1];
            endHi[i] = r[2];
            endLo[i] = r[3];
        }
    }

    boolean isEmpty() {
        return startHi.length == 0;
    }

    /** Whether the address {@code hi:lo} lies in one of the ranges. */
    boolean contains(long hi, long lo) {
        int a = 0;
        int b = startHi.length - 1;
        while (a <= b) {
            int m = (a + b) >>> 1;
            if (compare(startHi[m], startLo[m], hi, lo) <= 0) {
                a = m + 1;
            } else {
                b = m - 1;
            }
        }
        return b >= 0 && compare(hi, lo, endHi[b], endLo[b]) <= 0;
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }
}
