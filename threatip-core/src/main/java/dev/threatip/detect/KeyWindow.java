package dev.threatip.detect;

import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one rule has seen of one group key (an IP, an IP and host, an endpoint or a site): a
 * sparse histogram of event-time buckets, each a window / 8 wide, holding a count and, for
 * distinct counts, the set of distinct values.
 *
 * <p>The verdict uses the largest count of any window of 8 consecutive buckets, a sliding window
 * exact to the bucket granularity. Because buckets are keyed by event time and merge by adding
 * counts and uniting sets, the result does not depend on the order events arrive in or on how
 * they were split between threads. Buckets are kept sorted; in-order input appends. A key holding
 * more than {@value #MAX_BUCKETS} buckets (a client active for hours) has all its windows
 * evaluated into {@link #peak} and its oldest buckets dropped: exact while the input of one thread
 * arrives in time order, a lower bound when one key's events are scattered over hours across
 * several threads.
 *
 * <p>Outside a {@link DetectionState} (the Flink job keeps one per key in keyed state), a window
 * is created, counted and read through {@link Detector#newWindow}, {@link Detector#count} and
 * {@link Detector#detections}, and saved with {@link #writeTo} / {@link #readFrom}. Not thread-safe.
 */
public final class KeyWindow {
    static final int MAX_BUCKETS = 256;
    static final int KEEP_AFTER_FOLD = 128;
    static final int SAMPLES = 5;
    /** Most participant IPs remembered per endpoint key. */
    static final int MAX_PARTICIPANTS = 100_000;

    /** Version of the {@link #writeTo} layout. */
    private static final int FORMAT = 1;

    /** The index of the rule this window counts for, in its detector's rule order. */
    final int rule;
    /** The group key: three longs (address halves, host and path hashes) compared by value. */
    final long k0;
    final long k1;
    final long k2;
    /** The label, or null when it is the address (computed on demand: most tracks never fire). */
    private final String label;
    /** Whether the key's first two longs are the client address. */
    private final boolean hasIp;
    int listIndex;

    long total;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    private long[] idx = new long[2];
    private int[] cnt = new int[2];
    private ValueSet[] sets;
    private int n;
    /** The largest window count evaluated before old buckets were dropped. */
    long peak;
    private final long[] sTime = new long[SAMPLES];
    private final long[] sRef = new long[SAMPLES];
    private int sN;
    /** Participant → {confidence ordinal, window count}; only for participant-flagging rules. */
    Map<IpAddress, long[]> participants;
    long participantsDropped;
    /** While non-null, participants that joined or rose in confidence are collected here. */
    private List<IpAddress> raised;

    KeyWindow(int rule, long k0, long k1, long k2, String label, boolean hasIp, boolean distinct) {
        this.rule = rule;
        this.k0 = k0;
        this.k1 = k1;
        this.k2 = k2;
        this.label = label;
        this.hasIp = hasIp;
        if (distinct) {
            sets = new ValueSet[2];
        }
    }

    /** The client address of an ip or ip+host key, else null. */
    public IpAddress ip() {
        return hasIp ? new IpAddress(k0, k1) : null;
    }

    /** The group key as shown: the address, address and host, endpoint or site. */
    public String label() {
        return label != null ? label : ip().toString();
    }

    /** Whether the label is given rather than derived from the address. */
    String explicitLabel() {
        return label;
    }

    boolean hasIp() {
        return hasIp;
    }

    boolean sameKey(long a, long b, long c) {
        return k0 == a && k1 == b && k2 == c;
    }

    static int hash(long a, long b, long c) {
        long h = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + c;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h ^ h >>> 32);
    }

    /** The index of the rule this window counts for. */
    public int rule() {
        return rule;
    }

    /** Events counted. */
    public long events() {
        return total;
    }

    /** Event time of the latest counted event (epoch ms), or -1 when none had a time. */
    public long lastMillis() {
        return last == Long.MIN_VALUE ? -1 : last;
    }

    /** Live event-time buckets (each a window / 8 wide). */
    public int buckets() {
        return n;
    }

    /** Counts one event in {@code bucket}, with its distinct value when the rule counts distinct values. */
    void add(Rule rule, long bucket, long time, long lineRef, long va, long vb) {
        int i = slot(bucket, rule);
        cnt[i]++;
        if (sets != null) {
            sets[i].add(va, vb);
        }
        total++;
        if (time >= 0) {
            first = Math.min(first, time);
            last = Math.max(last, time);
        }
        sample(time, lineRef);
        if (n > MAX_BUCKETS) {
            fold(rule);
        }
    }

    /** Adds everything {@code o} (same key) has seen. */
    void merge(Rule rule, KeyWindow o) {
        for (int j = 0; j < o.n; j++) {
            int i = slot(o.idx[j], rule);
            cnt[i] += o.cnt[j];
            if (sets != null) {
                sets[i].addAll(o.sets[j]);
            }
        }
        total += o.total;
        first = Math.min(first, o.first);
        last = Math.max(last, o.last);
        peak = Math.max(peak, o.peak);
        for (int j = 0; j < o.sN; j++) {
            sample(o.sTime[j], o.sRef[j]);
        }
        if (o.participants != null) {
            for (Map.Entry<IpAddress, long[]> e : o.participants.entrySet()) {
                participate(e.getKey(), (int) e.getValue()[0], e.getValue()[1]);
            }
        }
        participantsDropped += o.participantsDropped;
        if (n > MAX_BUCKETS) {
            fold(rule);
        }
    }

    /** Finds or inserts the bucket, keeping buckets sorted; returns its position. */
    private int slot(long bucket, Rule rule) {
        if (n > 0 && idx[n - 1] == bucket) {
            return n - 1;
        }
        int pos;
        if (n == 0 || idx[n - 1] < bucket) {
            pos = n;
        } else {
            pos = Arrays.binarySearch(idx, 0, n, bucket);
            if (pos >= 0) {
                return pos;
            }
            pos = -pos - 1;
        }
        if (n == idx.length) {
            int len = n * 2;
            idx = Arrays.copyOf(idx, len);
            cnt = Arrays.copyOf(cnt, len);
            if (sets != null) {
                sets = Arrays.copyOf(sets, len);
            }
        }
        System.arraycopy(idx, pos, idx, pos + 1, n - pos);
        System.arraycopy(cnt, pos, cnt, pos + 1, n - pos);
        idx[pos] = bucket;
        cnt[pos] = 0;
        if (sets != null) {
            System.arraycopy(sets, pos, sets, pos + 1, n - pos);
            sets[pos] = new ValueSet(rule.distinctCap);
        }
        n++;
        return pos;
    }

    /** Keeps the {@value #SAMPLES} earliest (time, lineRef) pairs: the same whatever the arrival order. */
    private void sample(long time, long ref) {
        if (sN == SAMPLES && !before(time, ref, sTime[SAMPLES - 1], sRef[SAMPLES - 1])) {
            return;
        }
        int i = sN < SAMPLES ? sN++ : SAMPLES - 1;
        while (i > 0 && before(time, ref, sTime[i - 1], sRef[i - 1])) {
            sTime[i] = sTime[i - 1];
            sRef[i] = sRef[i - 1];
            i--;
        }
        sTime[i] = time;
        sRef[i] = ref;
    }

    private static boolean before(long t1, long r1, long t2, long r2) {
        return t1 < t2 || (t1 == t2 && r1 < r2);
    }

    long[] samples() {
        return Arrays.copyOf(sRef, sN);
    }

    /** Evaluates every window, then drops the oldest buckets so at most {@value #KEEP_AFTER_FOLD} remain. */
    private void fold(Rule rule) {
        peak = Math.max(peak, evaluate(rule));
        int drop = n - KEEP_AFTER_FOLD;
        System.arraycopy(idx, drop, idx, 0, KEEP_AFTER_FOLD);
        System.arraycopy(cnt, drop, cnt, 0, KEEP_AFTER_FOLD);
        if (sets != null) {
            System.arraycopy(sets, drop, sets, 0, KEEP_AFTER_FOLD);
            Arrays.fill(sets, KEEP_AFTER_FOLD, n, null);
        }
        n = KEEP_AFTER_FOLD;
    }

    /**
     * The largest count over the windows that hold {@code bucket} (those ending in the 8 buckets
     * from it on), recording their participants like {@link #evaluate}. Counting an event only
     * changes these windows, so evaluating them after each event keeps {@link #peak} equal to a
     * full evaluation at a bounded cost (at most 8 windows of 8 buckets).
     */
    long evaluateAround(Rule rule, long bucket) {
        int w = Rule.BUCKETS_PER_WINDOW;
        int i = Arrays.binarySearch(idx, 0, n, bucket);
        if (i < 0) {
            i = -i - 1;
        }
        long best = 0;
        ValueSet union = sets == null ? null : new ValueSet(rule.distinctCap);
        long lowest = rule.lowestThreshold();
        for (; i < n && idx[i] < bucket + w; i++) {
            int j = i;
            while (j > 0 && idx[j - 1] > idx[i] - w) {
                j--;
            }
            if (union == null) {
                long sum = 0;
                for (int k = j; k <= i; k++) {
                    sum += cnt[k];
                }
                best = Math.max(best, sum);
                continue;
            }
            union.clear();
            for (int k = j; k <= i; k++) {
                union.addAll(sets[k]);
            }
            long c = union.count();
            best = Math.max(best, c);
            if (rule.flagParticipants && c >= lowest) {
                Confidence conf = rule.confidenceOf(c);
                union.forEach((a, b) -> participate(new IpAddress(a, b), conf.ordinal(), c));
            }
        }
        return best;
    }

    /** Starts collecting participants that join or rise in confidence; {@link #takeRaised} ends it. */
    void collectRaised() {
        raised = new ArrayList<>();
    }

    /** The participants collected since {@link #collectRaised}, and stops collecting. */
    List<IpAddress> takeRaised() {
        List<IpAddress> r = raised;
        raised = null;
        return r == null ? List.of() : r;
    }

    /** The largest count over all windows of the live buckets, also recording participants of firing windows. */
    long evaluate(Rule rule) {
        long best = 0;
        int w = Rule.BUCKETS_PER_WINDOW;
        if (sets == null) {
            long sum = 0;
            int j = 0;
            for (int i = 0; i < n; i++) {
                sum += cnt[i];
                while (idx[j] <= idx[i] - w) {
                    sum -= cnt[j++];
                }
                best = Math.max(best, sum);
            }
            return best;
        }
        ValueSet union = new ValueSet(rule.distinctCap);
        long lowest = rule.lowestThreshold();
        int j = 0;
        for (int i = 0; i < n; i++) {
            while (idx[j] <= idx[i] - w) {
                j++;
            }
            union.clear();
            for (int k = j; k <= i; k++) {
                union.addAll(sets[k]);
            }
            long c = union.count();
            best = Math.max(best, c);
            if (rule.flagParticipants && c >= lowest) {
                Confidence conf = rule.confidenceOf(c);
                union.forEach((a, b) -> participate(new IpAddress(a, b), conf.ordinal(), c));
            }
        }
        return best;
    }

    private void participate(IpAddress ip, int confidence, long count) {
        if (participants == null) {
            participants = new HashMap<>();
        }
        long[] p = participants.get(ip);
        if (p == null) {
            if (participants.size() >= MAX_PARTICIPANTS) {
                participantsDropped++;
                return;
            }
            participants.put(ip, new long[] {confidence, count});
            if (raised != null) {
                raised.add(ip);
            }
        } else {
            if (raised != null && confidence > p[0]) {
                raised.add(ip);
            }
            p[0] = Math.max(p[0], confidence);
            p[1] = Math.max(p[1], count);
        }
    }

    /**
     * Writes the whole window (key, buckets with counts and distinct sets, peak, samples,
     * participants) for {@link #readFrom}: the Flink job's keyed-state serializer.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeInt(rule);
        out.writeLong(k0);
        out.writeLong(k1);
        out.writeLong(k2);
        out.writeBoolean(label != null);
        if (label != null) {
            out.writeUTF(label);
        }
        out.writeBoolean(hasIp);
        out.writeBoolean(sets != null);
        out.writeLong(total);
        out.writeLong(first);
        out.writeLong(last);
        out.writeLong(peak);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeLong(idx[i]);
            out.writeInt(cnt[i]);
            if (sets != null) {
                sets[i].writeTo(out);
            }
        }
        out.writeByte(sN);
        for (int i = 0; i < sN; i++) {
            out.writeLong(sTime[i]);
            out.writeLong(sRef[i]);
        }
        out.writeLong(participantsDropped);
        out.writeInt(participants == null ? -1 : participants.size());
        if (participants != null) {
            for (Map.Entry<IpAddress, long[]> e : participants.entrySet()) {
                out.writeLong(e.getKey().hi());
                out.writeLong(e.getKey().lo());
                out.writeByte((int) e.getValue()[0]);
                out.writeLong(e.getValue()[1]);
            }
        }
    }

    /**
     * Reads a window {@link #writeTo} wrote.
     *
     * @throws IOException when the bytes are not such a window
     */
    public static KeyWindow readFrom(DataInput in) throws IOException {
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("not a key window of layout " + FORMAT + ": layout " + format);
        }
        int rule = in.readInt();
        long k0 = in.readLong();
        long k1 = in.readLong();
        long k2 = in.readLong();
        String label = in.readBoolean() ? in.readUTF() : null;
        boolean hasIp = in.readBoolean();
        boolean distinct = in.readBoolean();
        KeyWindow w = new KeyWindow(rule, k0, k1, k2, label, hasIp, distinct);
        w.total = in.readLong();
        w.first = in.readLong();
        w.last = in.readLong();
        w.peak = in.readLong();
        int n = in.readInt();
        if (n < 0 || n > MAX_BUCKETS + 1) {
            throw new IOException("key window with " + n + " buckets; at most " + (MAX_BUCKETS + 1));
        }
        int len = Math.max(2, n);
        w.idx = new long[len];
        w.cnt = new int[len];
        if (distinct) {
            w.sets = new ValueSet[len];
        }
        for (int i = 0; i < n; i++) {
            w.idx[i] = in.readLong();
            w.cnt[i] = in.readInt();
            if (distinct) {
                w.sets[i] = ValueSet.readFrom(in);
            }
        }
        w.n = n;
        int s = in.readByte();
        if (s < 0 || s > SAMPLES) {
            throw new IOException("key window with " + s + " samples; at most " + SAMPLES);
        }
        for (int i = 0; i < s; i++) {
            w.sTime[i] = in.readLong();
            w.sRef[i] = in.readLong();
        }
        w.sN = s;
        w.participantsDropped = in.readLong();
        int p = in.readInt();
        if (p > MAX_PARTICIPANTS) {
            throw new IOException("key window with " + p + " participants; at most " + MAX_PARTICIPANTS);
        }
        if (p >= 0) {
            w.participants = new HashMap<>();
            for (int i = 0; i < p; i++) {
                IpAddress ip = new IpAddress(in.readLong(), in.readLong());
                w.participants.put(ip, new long[] {in.readByte(), in.readLong()});
            }
        }
        return w;
    }
}
