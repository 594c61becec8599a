package dev.threatip.flink;

import dev.threatip.detect.Detection;
import dev.threatip.detect.Detector;
import dev.threatip.detect.KeyWindow;
import dev.threatip.detect.RuleHit;
import java.nio.file.Path;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The behaviour windows: keyed by (rule, group key), one core {@link KeyWindow} per key in
 * checkpointed state. Each hit is counted by {@link Detector#count}, the same code a scan's
 * {@code DetectionState} runs, and every detection it raises that flags an address (the key's
 * own for ip and ip+host rules, each participant of a distributed one) goes on to
 * {@link IpVerdictFunction}. Endpoint and site detections themselves are counted
 * ({@code endpointDetections}), not emitted: the output is per address.
 *
 * <p>When the watermark passes the key's last bucket plus the rule's window, no window that
 * holds an on-time event can change any more and the state is dropped; a later event for the
 * key (a late line, counted in {@code lateHits}) starts afresh.
 */
final class KeyWindowFunction extends KeyedProcessFunction<Tuple4<Integer, Long, Long, Long>, RuleHit, RuleDetection> {
    private static final long serialVersionUID = 1L;

    private final JobOptions options;
    private transient Detector detector;
    private transient ValueState<KeyWindow> window;
    private transient Counter late;
    private transient Counter endpoints;

    KeyWindowFunction(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(Configuration parameters) {
        detector = Detector.load(options.rules().stream().map(Path::of).toList());
        window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", KeyWindowSerializer.INSTANCE));
        late = getRuntimeContext().getMetricGroup().counter("lateHits");
        endpoints = getRuntimeContext().getMetricGroup().counter("endpointDetections");
    }

    @Override
    public void processElement(RuleHit hit, Context ctx, Collector<RuleDetection> out) throws Exception {
        KeyWindow w = window.value();
        if (w == null) {
            w = detector.newWindow(hit);
        }
        for (Detection d : detector.count(w, hit)) {
            if (d.ip() != null) {
                out.collect(RuleDetection.of(d));
            } else {
                endpoints.inc();
            }
        }
        window.update(w);
        if (hit.timeMillis() >= 0) {
            if (hit.timeMillis() < ctx.timerService().currentWatermark()) {
                late.inc();
            }
            ctx.timerService().registerEventTimeTimer(expiry(w));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RuleDetection> out) throws Exception {
        KeyWindow w = window.value();
        if (w != null && w.lastMillis() >= 0 && expiry(w) <= timestamp) {
            window.clear();
        }
    }

    /** The end of the last window that holds the key's newest bucket, rounded to buckets so a key has few timers. */
    private long expiry(KeyWindow w) {
        long windowMillis = detector.window(w.rule()).toMillis();
        long bucket = Math.max(1, windowMillis / 8);
        return (w.lastMillis() / bucket + 1) * bucket + windowMillis;
    }
}
