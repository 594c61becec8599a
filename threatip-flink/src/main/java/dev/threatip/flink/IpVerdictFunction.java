package dev.threatip.flink;

import dev.threatip.detect.VerdictMerger;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.nio.file.Path;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The verdict per address: keyed by client, it profiles the requests that matter
 * ({@link ProfileEvent}), keeps the strongest detection per rule and group key
 * ({@link RuleDetection}), and merges them with the intel verdict of the current snapshot using
 * the core's {@link VerdictMerger}, as {@code scan} does. A flagged verdict is emitted when it
 * first appears and again whenever its categories or confidences change (a new category, a
 * higher confidence, a reloaded snapshot that says more); the last record per address is the
 * verdict {@code scan} gives on the same lines.
 *
 * <p>An address idle for {@code --ip-retention} of event time (by the watermark) is forgotten;
 * if it returns, its verdict is built and emitted afresh.
 */
final class IpVerdictFunction extends KeyedCoProcessFunction<Tuple2<Long, Long>, ProfileEvent, RuleDetection, VerdictUpdate> {
    private static final long serialVersionUID = 1L;

    private final JobOptions options;
    private transient ValueState<IpState> state;
    private transient IntelSnapshots.Handle intel;
    private transient Counter emitted;

    IpVerdictFunction(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("address", IpStateSerializer.INSTANCE));
        if (options.intel() != null) {
            intel = IntelSnapshots.acquire(Path.of(options.intel()), options.intelCheckInterval());
        }
        emitted = getRuntimeContext().getMetricGroup().counter("verdictsEmitted");
    }

    @Override
    public void close() throws Exception {
        if (intel != null) {
            intel.close();
        }
    }

    @Override
    public void processElement1(ProfileEvent e, Context ctx, Collector<VerdictUpdate> out) throws Exception {
        IpState s = current();
        s.add(e);
        update(s, ctx, out);
    }

    @Override
    public void processElement2(RuleDetection d, Context ctx, Collector<VerdictUpdate> out) throws Exception {
        IpState s = current();
        s.add(d);
        update(s, ctx, out);
    }

    private IpState current() throws Exception {
        IpState s = state.value();
        return s == null ? new IpState() : s;
    }

    private void update(IpState s, Context ctx, Collector<VerdictUpdate> out) throws Exception {
        Tuple2<Long, Long> key = ctx.getCurrentKey();
        Verdict intelVerdict = intel == null ? Verdict.clean() : intel.lookup(key.f0, key.f1);
        Verdict v = VerdictMerger.merge(intelVerdict, s.coreDetections());
        if (v.isFlagged()) {
            String signature = signature(v);
            if (!signature.equals(s.emitted)) {
                s.emitted = signature;
                IpAddress ip = new IpAddress(key.f0, key.f1);
                out.collect(new VerdictUpdate(ip.toString(), DetectionJson.write(ip, v, s)));
                emitted.inc();
            }
        }
        state.update(s);
        if (s.activity != Long.MIN_VALUE) {
            long retention = options.ipRetention().toMillis();
            // rounded to the minute: one timer per address and minute of activity, not per event
            ctx.timerService().registerEventTimeTimer((s.activity / 60_000 + 1) * 60_000 + retention);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<VerdictUpdate> out) throws Exception {
        IpState s = state.value();
        if (s != null && (s.activity / 60_000 + 1) * 60_000 + options.ipRetention().toMillis() <= timestamp) {
            state.clear();
        }
    }

    /** What makes a verdict different for its consumers: the kind and each category's confidence. */
    static String signature(Verdict v) {
        StringBuilder sb = new StringBuilder(v.kind().wireName());
        for (CategoryVerdict c : v.categories()) {
            sb.append(' ').append(c.category().wireName()).append('=').append(c.confidence().wireName());
        }
        return sb.toString();
    }
}
