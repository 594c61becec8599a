package dev.threatip.flink;

import dev.threatip.detect.Detector;
import dev.threatip.detect.RuleHit;
import dev.threatip.detect.RuleMatcher;
import dev.threatip.intel.Verdict;
import dev.threatip.log.LineFields;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateless first stage, run where the lines are read: parse each line with the core's
 * formats, resolve its client, look the client up in the task manager's intel snapshot, and run
 * the rule filters. Every rule hit goes to the {@link #HITS} side output (to be keyed by rule and
 * group key); a request that matters for its client's profile (listed client, or a profiling
 * rule matched) goes out as a {@link ProfileEvent} (to be keyed by client). A clean request no
 * rule matches leaves nothing.
 *
 * <p>Bad lines (no format fits, no valid client, longer than {@value #MAX_LINE} bytes) are
 * counted in the metrics and accumulators {@code linesMalformed}, the first few logged with a
 * reason and an excerpt, and skipped: hostile input never stops the job.
 */
final class LineAnalyzer extends ProcessFunction<RawLine, ProfileEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LineAnalyzer.class);
    /** The longest line parsed, as {@code scan}'s reader: longer ones are bad lines. */
    static final int MAX_LINE = 64 * 1024;
    /** Bad lines logged per task; the rest are only counted. */
    private static final int LOGGED_BAD_LINES = 5;

    /** Rule hits, to be keyed by rule and group key. */
    static final OutputTag<RuleHit> HITS = new OutputTag<>("rule-hits", TypeInformation.of(RuleHit.class));

    private final JobOptions options;
    private transient LineParsing parsing;
    private transient LineFields fields;
    private transient RuleMatcher matcher;
    private transient IntelSnapshots.Handle intel;
    private transient Counter read;
    private transient Counter parsed;
    private transient Counter malformed;
    private transient LongCounter malformedTotal;
    private transient LongCounter parsedTotal;
    private transient long logged;

    LineAnalyzer(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        parsing = new LineParsing(options);
        fields = new LineFields();
        matcher = Detector.load(options.rules().stream().map(Path::of).toList()).newMatcher();
        if (options.intel() != null) {
            intel = IntelSnapshots.acquire(Path.of(options.intel()), options.intelCheckInterval());
        }
        MetricGroup m = getRuntimeContext().getMetricGroup();
        read = m.counter("linesRead");
        parsed = m.counter("linesParsed");
        malformed = m.counter("linesMalformed");
        if (intel != null) {
            IntelSnapshots.Handle h = intel;
            m.gauge("intelReloads", h::reloads);
        }
        malformedTotal = getRuntimeContext().getLongCounter("linesMalformed");
        parsedTotal = getRuntimeContext().getLongCounter("linesParsed");
    }

    @Override
    public void close() throws Exception {
        if (intel != null) {
            intel.close();
        }
    }

    @Override
    public void processElement(RawLine raw, Context ctx, Collector<ProfileEvent> out) {
        read.inc();
        byte[] b = raw.bytes;
        if (b.length > MAX_LINE) {
            bad(raw, "longer than " + MAX_LINE + " bytes");
            return;
        }
        LineFields f = fields;
        switch (parsing.parse(b, f)) {
            case DIRECTIVE -> {
                return;
            }
            case MALFORMED -> {
                bad(raw, "no log format fits");
                return;
            }
            case NO_CLIENT -> {
                bad(raw, "no valid client address");
                return;
            }
            case EVENT -> {
            }
        }
        parsed.inc();
        parsedTotal.add(1);
        Verdict v = intel == null ? Verdict.clean() : intel.lookup(f.clientHi, f.clientLo);
        boolean profiled = matcher.match(f, raw.ref, hit -> ctx.output(HITS, hit));
        if (v.isFlagged() || profiled) {
            out.collect(profileEvent(f, raw));
        }
    }

    private static ProfileEvent profileEvent(LineFields f, RawLine raw) {
        ProfileEvent e = new ProfileEvent();
        e.hi = f.clientHi;
        e.lo = f.clientLo;
        e.timeMillis = f.timeMillis < 0 ? -1 : f.timeMillis;
        e.ref = raw.ref;
        e.path = f.path.isEmpty() ? "" : f.path.asString();
        e.status = f.status < 0 ? -1 : f.status;
        e.userAgent = f.userAgent.isEmpty() ? null : f.userAgent.asString();
        e.line = new String(raw.bytes, StandardCharsets.UTF_8);
        return e;
    }

    private void bad(RawLine raw, String why) {
        malformed.inc();
        malformedTotal.add(1);
        if (logged < LOGGED_BAD_LINES) {
            logged++;
            int n = Math.min(raw.bytes.length, 120);
            LOG.warn("bad line skipped ({}): {}{}", why, new String(raw.bytes, 0, n, StandardCharsets.UTF_8)
                    .replaceAll("\\p{Cntrl}", "?"), raw.bytes.length > n ? "..." : "");
        }
    }
}
