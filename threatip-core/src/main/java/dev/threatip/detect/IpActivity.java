package dev.threatip.detect;

import dev.threatip.intel.Verdict;
import dev.threatip.log.LineFields;
import dev.threatip.log.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one flagged client did, accumulated by one thread and merged after the read. Every part
 * is bounded, so a client sending a million distinct paths costs the same as one sending 64:
 * {@value #MAX_PATHS} path counts (the rest under {@value #OTHER_PATH}), {@value #MAX_AGENTS}
 * user agents, {@value #MAX_SAMPLES} sample lines of at most {@value #MAX_SAMPLE_BYTES} bytes,
 * the {@value #MAX_FIRST_HITS} first line references.
 */
final class IpActivity {
    static final int MAX_PATHS = 64;
    static final String OTHER_PATH = "(other)";
    static final int MAX_AGENTS = 5;
    static final int MAX_SAMPLES = 5;
    static final int MAX_SAMPLE_BYTES = 4096;
    static final int MAX_FIRST_HITS = 5;

    final long hi;
    final long lo;
    final Verdict verdict;
    long hits;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;
    // Path counts: ASCII paths keyed by their bytes in an open-addressing table (no String per
    // request), the rare non-ASCII ones by their decoded String (distinct invalid UTF-8 byte runs
    // may decode alike). The two never collide: an ASCII String never equals a non-ASCII one.
    private byte[][] pathKeys;
    private long[] pathCounts;
    private int asciiPaths;
    private Map<String, long[]> otherCharsetPaths;
    long otherPaths;
    int[] statusCodes = new int[4];
    long[] statusCounts = new long[4];
    int statusesUsed;
    final List<byte[]> agents = new ArrayList<>(2);
    final List<String> samples = new ArrayList<>(2);
    final long[] firstHits = new long[MAX_FIRST_HITS];
    int firstHitsUsed;

    IpActivity(long hi, long lo, Verdict verdict) {
        this.hi = hi;
        this.lo = lo;
        this.verdict = verdict;
    }

    /** One more request of this client. */
    void add(LineFields f, byte[] line, int start, int end, long lineRef) {
        hits++;
        if (f.timeMillis != LineFields.NONE) {
            firstMillis = Math.min(firstMillis, f.timeMillis);
            lastMillis = Math.max(lastMillis, f.timeMillis);
        }
        if (f.path.isEmpty()) {
            countAscii(DASH, 0, 1, 1);
        } else if (isAscii(f.path.array(), f.path.start(), f.path.end())) {
            countAscii(f.path.array(), f.path.start(), f.path.end(), 1);
        } else {
            countPath(f.path.asString(), 1);
        }
        if (f.status >= 0) {
            countStatus(f.status, 1);
        }
        if (!f.userAgent.isEmpty() && agents.size() < MAX_AGENTS && !knownAgent(f.userAgent)) {
            agents.add(Arrays.copyOfRange(f.userAgent.array(), f.userAgent.start(), f.userAgent.end()));
        }
        if (samples.size() < MAX_SAMPLES) {
            samples.add(new String(line, start, Math.min(end - start, MAX_SAMPLE_BYTES), StandardCharsets.UTF_8));
        }
        firstHit(lineRef);
    }

    /** Adds another thread's activity of the same client. */
    void merge(IpActivity o) {
        hits += o.hits;
        firstMillis = Math.min(firstMillis, o.firstMillis);
        lastMillis = Math.max(lastMillis, o.lastMillis);
        if (o.pathKeys != null) {
            for (int i = 0; i < o.pathKeys.length; i++) {
                if (o.pathKeys[i] != null) {
                    countAscii(o.pathKeys[i], 0, o.pathKeys[i].length, o.pathCounts[i]);
                }
            }
        }
        if (o.otherCharsetPaths != null) {
            o.otherCharsetPaths.forEach((p, n) -> countPath(p, n[0]));
        }
        otherPaths += o.otherPaths;
        for (int i = 0; i < o.statusesUsed; i++) {
            countStatus(o.statusCodes[i], o.statusCounts[i]);
        }
        for (byte[] a : o.agents) {
            if (agents.size() < MAX_AGENTS && agents.stream().noneMatch(x -> Arrays.equals(x, a))) {
                agents.add(a);
            }
        }
        for (String s : o.samples) {
            if (samples.size() < MAX_SAMPLES) {
                samples.add(s);
            }
        }
        for (int i = 0; i < o.firstHitsUsed; i++) {
            firstHit(o.firstHits[i]);
        }
    }

    private static final byte[] DASH = {'-'};

    interface PathConsumer {
        void accept(String path, long count);
    }

    /** Every counted path (at most {@value #MAX_PATHS}) with its count, in no particular order. */
    void forEachPath(PathConsumer c) {
        if (pathKeys != null) {
            for (int i = 0; i < pathKeys.length; i++) {
                if (pathKeys[i] != null) {
                    c.accept(new String(pathKeys[i], StandardCharsets.UTF_8), pathCounts[i]);
                }
            }
        }
        if (otherCharsetPaths != null) {
            otherCharsetPaths.forEach((p, n) -> c.accept(p, n[0]));
        }
    }

    private int pathsUsed() {
        return asciiPaths + (otherCharsetPaths == null ? 0 : otherCharsetPaths.size());
    }

    private static boolean isAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private void countAscii(byte[] b, int from, int to, long n) {
        if (pathKeys == null) {
            pathKeys = new byte[8][];
            pathCounts = new long[8];
        }
        int h = 0x811C9DC5;
        for (int i = from; i < to; i++) {
            h = (h ^ b[i]) * 0x01000193;
        }
        h ^= h >>> 16;
        int mask = pathKeys.length - 1;
        int i = h & mask;
        for (byte[] k; (k = pathKeys[i]) != null; i = (i + 1) & mask) {
            if (Arrays.equals(k, 0, k.length, b, from, to)) {
                pathCounts[i] += n;
                return;
            }
        }
        if (pathsUsed() >= MAX_PATHS) {
            otherPaths += n;
            return;
        }
        pathKeys[i] = Arrays.copyOfRange(b, from, to);
        pathCounts[i] = n;
        asciiPaths++;
        if (2 * asciiPaths > pathKeys.length) {
            byte[][] oldKeys = pathKeys;
            long[] oldCounts = pathCounts;
            pathKeys = new byte[oldKeys.length * 2][];
            pathCounts = new long[oldKeys.length * 2];
            int m = pathKeys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                byte[] k = oldKeys[j];
                if (k != null) {
                    int g = 0x811C9DC5;
                    for (byte x : k) {
                        g = (g ^ x) * 0x01000193;
                    }
                    g ^= g >>> 16;
                    int p = g & m;
                    while (pathKeys[p] != null) {
                        p = (p + 1) & m;
                    }
                    pathKeys[p] = k;
                    pathCounts[p] = oldCounts[j];
                }
            }
        }
    }

    private void countPath(String path, long n) {
        if (otherCharsetPaths == null) {
            otherCharsetPaths = new HashMap<>();
        }
        long[] c = otherCharsetPaths.get(path);
        if (c != null) {
            c[0] += n;
        } else if (pathsUsed() < MAX_PATHS) {
            otherCharsetPaths.put(path, new long[] {n});
        } else {
            otherPaths += n;
        }
    }

    private void countStatus(int code, long n) {
        for (int i = 0; i < statusesUsed; i++) {
            if (statusCodes[i] == code) {
                statusCounts[i] += n;
                return;
            }
        }
        if (statusesUsed == statusCodes.length) {
            statusCodes = Arrays.copyOf(statusCodes, statusesUsed * 2);
            statusCounts = Arrays.copyOf(statusCounts, statusesUsed * 2);
        }
        statusCodes[statusesUsed] = code;
        statusCounts[statusesUsed++] = n;
    }

    private boolean knownAgent(Slice ua) {
        for (byte[] a : agents) {
            if (ua.contentEquals(a)) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the smallest references: they sort in reading order. */
    private void firstHit(long ref) {
        if (firstHitsUsed < MAX_FIRST_HITS) {
            firstHits[firstHitsUsed++] = ref;
            Arrays.sort(firstHits, 0, firstHitsUsed);
        } else if (ref < firstHits[MAX_FIRST_HITS - 1]) {
            firstHits[MAX_FIRST_HITS - 1] = ref;
            Arrays.sort(firstHits);
        }
    }
}
