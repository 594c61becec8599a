package dev.threatip.flink;

import dev.threatip.detect.Detection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the job keeps per client address (keyed state of {@link IpVerdictFunction}): the profile
 * of its requests that matter, the strongest detection per rule and group key, and the verdict
 * last emitted. Bounded: at most {@value #MAX_PATHS} paths, {@value #MAX_AGENTS} agents and
 * {@value #SAMPLES} samples (the earliest, by event time then line reference: order-independent).
 * Saved by {@link IpStateSerializer}.
 */
final class IpState {
    static final int MAX_PATHS = 64;
    static final int MAX_AGENTS = 5;
    static final int SAMPLES = 5;
    static final String OTHER_PATH = "(other)";

    long hits;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    /** Newest event time seen for the address, by request or detection: what retention counts from. */
    long activity = Long.MIN_VALUE;
    final Map<String, Long> paths = new LinkedHashMap<>();
    long otherPaths;
    final Map<Integer, Long> statuses = new TreeMap<>();
    final List<String> agents = new ArrayList<>();
    final long[] sampleTimes = new long[SAMPLES];
    final long[] sampleRefs = new long[SAMPLES];
    final String[] sampleLines = new String[SAMPLES];
    int samples;
    /** Strongest detection per {@code rule|group key}. */
    final Map<String, RuleDetection> detections = new TreeMap<>();
    /** The categories and confidences last emitted, or null before the first emission. */
    String emitted;

    /** Adds one request to the profile. */
    void add(ProfileEvent e) {
        hits++;
        if (e.timeMillis >= 0) {
            first = Math.min(first, e.timeMillis);
            last = Math.max(last, e.timeMillis);
            activity = Math.max(activity, e.timeMillis);
        }
        Long n = paths.get(e.path);
        if (n != null) {
            paths.put(e.path, n + 1);
        } else if (paths.size() < MAX_PATHS) {
            paths.put(e.path, 1L);
        } else {
            otherPaths++;
        }
        if (e.status >= 0) {
            statuses.merge(e.status, 1L, Long::sum);
        }
        if (e.userAgent != null && agents.size() < MAX_AGENTS && !agents.contains(e.userAgent)) {
            agents.add(e.userAgent);
        }
        sample(e.timeMillis, e.ref, e.line);
    }

    /** Keeps the stronger (then the larger count) of this and the known detection of the same rule and group key. */
    void add(RuleDetection d) {
        if (d.lastMillis >= 0) {
            activity = Math.max(activity, d.lastMillis);
        }
        String key = d.ruleId + "|" + d.groupKey;
        RuleDetection known = detections.get(key);
        if (known == null || rank(d.confidence) > rank(known.confidence)) {
            if (known != null) {
                d.count = Math.max(d.count, known.count);
            }
            detections.put(key, d);
        } else {
            known.count = Math.max(known.count, d.count);
            known.lastMillis = Math.max(known.lastMillis, d.lastMillis);
        }
    }

    private static int rank(String confidence) {
        return dev.threatip.intel.Confidence.fromWire(confidence).ordinal();
    }

    /** The detections in core form, for {@code VerdictMerger}. */
    List<Detection> coreDetections() {
        List<Detection> out = new ArrayList<>(detections.size());
        for (RuleDetection d : detections.values()) {
            out.add(d.toDetection());
        }
        return out;
    }

    /** The samples, earliest first. */
    List<String> sampleLines() {
        List<String> out = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            out.add(sampleLines[i]);
        }
        return out;
    }

    void sample(long time, long ref, String line) {
        if (samples == SAMPLES && !before(time, ref, sampleTimes[SAMPLES - 1], sampleRefs[SAMPLES - 1])) {
            return;
        }
        int i = samples < SAMPLES ? samples++ : SAMPLES - 1;
        while (i > 0 && before(time, ref, sampleTimes[i - 1], sampleRefs[i - 1])) {
            sampleTimes[i] = sampleTimes[i - 1];
            sampleRefs[i] = sampleRefs[i - 1];
            sampleLines[i] = sampleLines[i - 1];
            i--;
        }
        sampleTimes[i] = time;
        sampleRefs[i] = ref;
        sampleLines[i] = line;
    }

    private static boolean before(long t1, long r1, long t2, long r2) {
        return t1 < t2 || (t1 == t2 && r1 < r2);
    }
}
