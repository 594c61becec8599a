package dev.threatip.flink;

import dev.threatip.detect.Detection;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import java.time.Duration;
import java.util.List;

/**
 * A core {@link Detection} that flags one address, flattened into a Flink POJO for the shuffle
 * from {@link KeyWindowFunction} to {@link IpVerdictFunction}.
 */
public final class RuleDetection {
    public long hi;
    public long lo;
    public String ruleId;
    /** The category's wire name. */
    public String category;
    /** The confidence's wire name. */
    public String confidence;
    public String groupKey;
    public long count;
    public long windowMillis;
    public long firstMillis;
    public long lastMillis;
    public String[] tags;

    public RuleDetection() {
    }

    /** The flattened form of {@code d}, which must flag an address. */
    static RuleDetection of(Detection d) {
        RuleDetection r = new RuleDetection();
        r.hi = d.ip().hi();
        r.lo = d.ip().lo();
        r.ruleId = d.ruleId();
        r.category = d.category().wireName();
        r.confidence = d.confidence().wireName();
        r.groupKey = d.groupKey();
        r.count = d.count();
        r.windowMillis = d.window().toMillis();
        r.firstMillis = d.firstMillis();
        r.lastMillis = d.lastMillis();
        r.tags = d.tags().toArray(String[]::new);
        return r;
    }

    /** Back to the core record (without sample references: the profile keeps raw samples). */
    Detection toDetection() {
        return new Detection(ruleId, Category.fromWire(category), Confidence.fromWire(confidence), groupKey,
                new IpAddress(hi, lo), count, Duration.ofMillis(windowMillis), firstMillis, lastMillis,
                List.of(tags), List.of());
    }
}
