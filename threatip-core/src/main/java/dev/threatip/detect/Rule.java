package dev.threatip.detect;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** One compiled rule: immutable, shared by every thread's {@link DetectionState}. */
final class Rule {
    /** Window buckets per window: a bucket is a window / 8, the granularity of sliding windows. */
    static final int BUCKETS_PER_WINDOW = 8;

    enum GroupBy {
        IP("ip"), IP_HOST("ip+host"), ENDPOINT("endpoint"), SITE("site");

        final String wire;

        GroupBy(String wire) {
            this.wire = wire;
        }

        static GroupBy fromWire(String s) {
            for (GroupBy g : values()) {
                if (g.wire.equals(s)) {
                    return g;
                }
            }
            return null;
        }

        static String known() {
            return Arrays.stream(values()).map(g -> g.wire).collect(Collectors.joining(", "));
        }
    }

    enum Count {
        REQUESTS("requests"), DISTINCT_PATHS("distinct_paths"), DISTINCT_IPS("distinct_ips"),
        DISTINCT_USER_AGENTS("distinct_user_agents");

        final String wire;

        Count(String wire) {
            this.wire = wire;
        }

        boolean distinct() {
            return this != REQUESTS;
        }

        static Count fromWire(String s) {
            for (Count c : values()) {
                if (c.wire.equals(s)) {
                    return c;
                }
            }
            return null;
        }

        static String known() {
            return Arrays.stream(values()).map(c -> c.wire).collect(Collectors.joining(", "));
        }
    }

    final String id;
    final String file;
    final Category category;
    final String description;
    final Filter filter;
    final GroupBy groupBy;
    final Duration window;
    final long bucketMillis;
    final Count count;
    /** Threshold per {@link Confidence} ordinal; 0 when that level is not used. */
    final long[] thresholds;
    final List<String> tags;
    final int distinctCap;
    /** For endpoint/site rules counting distinct IPs: also flag every IP of a window that fired. */
    final boolean flagParticipants;
    /**
     * Whether a match starts a scan's full profile of the client. Volume rules that match every
     * request (floods, many user agents) say false: profiling every client would cost a scan
     * most of its time and memory, and their detections carry their own counts and samples.
     */
    final boolean profile;

    Rule(String id, String file, Category category, String description, Filter filter, GroupBy groupBy,
         Duration window, Count count, long[] thresholds, List<String> tags, int distinctCap,
         boolean flagParticipants, boolean profile) {
        this.id = id;
        this.file = file;
        this.category = category;
        this.description = description;
        this.filter = filter;
        this.groupBy = groupBy;
        this.window = window;
        this.bucketMillis = Math.max(1, window.toMillis() / BUCKETS_PER_WINDOW);
        this.count = count;
        this.thresholds = thresholds;
        this.tags = List.copyOf(tags);
        this.distinctCap = distinctCap;
        this.flagParticipants = flagParticipants;
        this.profile = profile;
    }

    /** The confidence a window count earns, or null below the lowest threshold. */
    Confidence confidenceOf(long n) {
        for (int i = thresholds.length - 1; i >= 0; i--) {
            if (thresholds[i] > 0 && n >= thresholds[i]) {
                return Confidence.values()[i];
            }
        }
        return null;
    }

    /** The lowest threshold in use. */
    long lowestThreshold() {
        for (long t : thresholds) {
            if (t > 0) {
                return t;
            }
        }
        throw new IllegalStateException("rule without thresholds: " + id);
    }

    /** The bucket of an event time; lines without time share bucket 0. */
    long bucketOf(long timeMillis) {
        return timeMillis < 0 ? 0 : timeMillis / bucketMillis;
    }
}
