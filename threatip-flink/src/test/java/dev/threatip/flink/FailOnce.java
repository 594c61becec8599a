package dev.threatip.flink;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * A pass-through that crashes its task once, mid-stream: after {@code after} lines and a
 * completed checkpoint (it slows down until one completes, so the crash happens with work both
 * before and after the last checkpoint). Static flags, because the MiniCluster runs the restarted
 * task in the same JVM; {@link #restored} tells the test the restart resumed from a checkpoint.
 */
final class FailOnce implements MapFunction<RawLine, RawLine>, CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean RESTORED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();
    private final int after;
    private transient boolean checkpointed;

    FailOnce(int after) {
        this.after = after;
    }

    static void reset() {
        FAILED.set(false);
        RESTORED.set(false);
        SEEN.set(0);
    }

    @Override
    public RawLine map(RawLine line) throws Exception {
        if (SEEN.incrementAndGet() >= after && !FAILED.get()) {
            if (checkpointed) {
                FAILED.set(true);
                throw new IllegalStateException("planned task failure after " + SEEN.get() + " lines");
            }
            Thread.sleep(2); // let a checkpoint complete before the crash
        }
        return line;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (SEEN.get() >= after) {
            checkpointed = true;
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        if (context.isRestored()) {
            RESTORED.set(true);
        }
    }
}
