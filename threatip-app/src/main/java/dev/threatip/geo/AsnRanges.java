package dev.threatip.geo;

import dev.threatip.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The ip-location-db ASN CSV ({@code range_start,range_end,asn,as_org}, no header, inclusive
 * ranges, IPv4 and IPv6 files, optionally gzipped) as a sorted table of non-overlapping ranges in
 * parallel primitive arrays: start and end as 128-bit (hi, lo) pairs with IPv4 in its mapped
 * form, the AS number as an unsigned int and the organisation as an index into a deduplicated
 * name table. A lookup is one binary search over the starts, O(log n); the ~515k ranges of the
 * two public files take about 30 bytes each plus the distinct names (~80k).
 */
final class AsnRanges {
    private static final int MAX_LINE = 4096;

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final int[] asn;
    private final int[] org;
    private final String[] orgs;
    private final int size;

    private AsnRanges(Builder b) {
        this.size = b.size;
        this.startHi = b.startHi;
        this.startLo = b.startLo;
        this.endHi = b.endHi;
        this.endLo = b.endLo;
        this.asn = b.asn;
        this.org = b.org;
        this.orgs = b.orgs.toArray(new String[0]);
    }

    /** Loads the CSV files into one table; a file ending {@code .gz} is gunzipped. */
    static AsnRanges load(List<Path> files) throws IOException {
        Builder b = new Builder();
        for (Path f : files) {
            try (InputStream raw = Files.newInputStream(f);
                 InputStream in = f.getFileName().toString().endsWith(".gz")
                         ? new GZIPInputStream(raw, 1 << 16) : raw;
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
                String line;
                long n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    if (!line.isBlank()) {
                        b.add(f, n, line);
                    }
                }
            }
        }
        b.sort();
        return new AsnRanges(b);
    }

    int size() {
        return size;
    }

    /** The AS of the range holding the address, or null. */
    Asn find(IpAddress a) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(startHi[mid], startLo[mid], a.hi(), a.lo()) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || compare(endHi[found], endLo[found], a.hi(), a.lo()) < 0) {
            return null;
        }
        int o = org[found];
        return new Asn(Integer.toUnsignedLong(asn[found]), o < 0 ? null : orgs[o]);
    }

    private static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    /** Growable parallel arrays; sorted once at the end when the files were not already in order. */
    private static final class Builder {
        long[] startHi = new long[1 << 16];
        long[] startLo = new long[1 << 16];
        long[] endHi = new long[1 << 16];
        long[] endLo = new long[1 << 16];
        int[] asn = new int[1 << 16];
        int[] org = new int[1 << 16];
        final List<String> orgs = new ArrayList<>();
        final Map<String, Integer> orgIndex = new HashMap<>();
        int size;
        boolean sorted = true;
        private final String[] fields = new String[4];

        void add(Path f, long line, String text) throws GeoDatabaseException {
            if (text.length() > MAX_LINE) {
                throw new GeoDatabaseException(f, line, "line longer than " + MAX_LINE + " characters");
            }
            if (!split(text, fields)) {
                throw new GeoDatabaseException(f, line,
                        "expected range_start,range_end,asn,as_org, got '" + text + "'");
            }
            IpAddress start;
            IpAddress end;
            long number;
            try {
                start = IpAddress.parse(fields[0]);
                end = IpAddress.parse(fields[1]);
                number = Long.parseLong(fields[2]);
            } catch (IllegalArgumentException e) {
                throw new GeoDatabaseException(f, line, e.getMessage() + " in '" + text + "'");
            }
            if (number < 0 || number > 0xFFFF_FFFFL) {
                throw new GeoDatabaseException(f, line, "AS number " + number + " outside 0..4294967295");
            }
            if (start.isIpv4() != end.isIpv4() || start.compareTo(end) > 0) {
                throw new GeoDatabaseException(f, line, "range " + start + " - " + end + " is not a range");
            }
            if (size == startHi.length) {
                grow();
            }
            if (size > 0 && compare(startHi[size - 1], startLo[size - 1], start.hi(), start.lo()) > 0) {
                sorted = false;
            }
            startHi[size] = start.hi();
            startLo[size] = start.lo();
            endHi[size] = end.hi();
            endLo[size] = end.lo();
            asn[size] = (int) number;
            org[size] = fields[3].isEmpty() ? -1 : orgIndex.computeIfAbsent(fields[3], k -> {
                orgs.add(k);
                return orgs.size() - 1;
            });
            size++;
        }

        private void grow() {
            int n = startHi.length * 2;
            startHi = Arrays.copyOf(startHi, n);
            startLo = Arrays.copyOf(startLo, n);
            endHi = Arrays.copyOf(endHi, n);
            endLo = Arrays.copyOf(endLo, n);
            asn = Arrays.copyOf(asn, n);
            org = Arrays.copyOf(org, n);
        }

        /** Puts the ranges in start order (a file list given IPv6 first, or an unsorted file). */
        void sort() {
            if (sorted) {
                return;
            }
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> compare(startHi[x], startLo[x], startHi[y], startLo[y]));
            long[] sh = new long[size];
            long[] sl = new long[size];
            long[] eh = new long[size];
            long[] el = new long[size];
            int[] as = new int[size];
            int[] or = new int[size];
            for (int i = 0; i < size; i++) {
                int j = order[i];
                sh[i] = startHi[j];
                sl[i] = startLo[j];
                eh[i] = endHi[j];
                el[i] = endLo[j];
                as[i] = asn[j];
                or[i] = org[j];
            }
            startHi = sh;
            startLo = sl;
            endHi = eh;
            endLo = el;
            asn = as;
            org = or;
        }

        /** Splits one CSV line into exactly four fields; a field may be quoted, {@code ""} is a quote. */
        private static boolean split(String s, String[] out) {
            int i = 0;
            int n = s.length();
            for (int field = 0; field < 4; field++) {
                if (i > n) {
                    return false;
                }
                if (i < n && s.charAt(i) == '"') {
                    StringBuilder b = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            return false;
                        }
                        char c = s.charAt(i++);
                        if (c == '"') {
                            if (i < n && s.charAt(i) == '"') {
                                b.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            b.append(c);
                        }
                    }
                    out[field] = b.toString();
                    if (i < n && s.charAt(i) != ',') {
                        return false;
                    }
                } else {
                    int comma = s.indexOf(',', i);
                    if (field < 3 && comma < 0) {
                        return false;
                    }
                    int stop = field == 3 ? n : comma;
                    out[field] = s.substring(i, stop).strip();
                    i = stop;
                }
                if (field < 3) {
                    i++; // the comma
                } else if (i != n) {
                    return false;
                }
            }
            return true;
        }
    }
}
