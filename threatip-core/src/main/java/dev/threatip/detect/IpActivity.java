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
    private static final byte[] DASH = {'-'};

    final long hi;
    final long lo;
    final Verdict verdict;
    long hits;
    long firstMillis = Long.MAX_VALUE;
    long lastMillis = Long.MIN_VALUE;
    // Up to MAX_PATHS distinct paths as bytes with their hashes and counts: counting a request
    // probes these without building a String, so repeated paths allocate nothing.
    byte[][] pathKeys = new byte[4][];
    int[] pathHashes = new int[4];
    long[] pathCounts = new long[4];
    int pathsUsed;
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
            countPath(DASH, 0, 1, 1);
        } else {
            countPath(f.path.array(), f.path.start(), f.path.end(), 1);
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
        for (int i = 0; i < o.pathsUsed; i++) {
            countPath(o.pathKeys[i], 0, o.pathKeys[i].length, o.pathCounts[i]);
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

    private void countPath(byte[] b, int from, int to, long n) {
        int hash = 1;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + b[i];
        }
        for (int i = 0; i < pathsUsed; i++) {
            if (pathHashes[i] == hash && Arrays.equals(pathKeys[i], 0, pathKeys[i].length, b, from, to)) {
                pathCounts[i] += n;
                return;
            }
        }
        if (pathsUsed == MAX_PATHS) {
            otherPaths += n;
            return;
        }
        if (pathsUsed == pathKeys.length) {
            pathKeys = Arrays.copyOf(pathKeys, pathsUsed * 2);
            pathHashes = Arrays.copyOf(pathHashes, pathsUsed * 2);
            pathCounts = Arrays.copyOf(pathCounts, pathsUsed * 2);
        }
        pathKeys[pathsUsed] = Arrays.copyOfRange(b, from, to);
        pathHashes[pathsUsed] = hash;
        pathCounts[pathsUsed++] = n;
    }

    /** The counted paths as text with their counts. */
    Map<String, Long> pathCounts() {
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < pathsUsed; i++) {
            out.merge(new String(pathKeys[i], StandardCharsets.UTF_8), pathCounts[i], Long::sum);
        }
        return out;
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
