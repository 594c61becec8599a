package dev.threatip.ingest;

import dev.threatip.detect.Detection;
import dev.threatip.detect.DetectionResults;
import dev.threatip.detect.DetectionState;
import dev.threatip.detect.Detector;
import dev.threatip.geo.GeoLookup;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.log.BadLine;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatChoice;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormats;
import dev.threatip.log.LogInput;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventSpan;
import dev.threatip.store.EventStore;
import dev.threatip.store.GatewayHit;
import dev.threatip.store.ProfileUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The continuous half of {@code serve}: every input (tailed files, syslog, HTTP ingest, stdin)
 * hands its lines here, and they flow parse → store → detect, the same engine {@code scan} runs.
 *
 * <p>Per batch: the lines are parsed with the input's format (detected from its first lines,
 * unless given) outside any lock, so inputs parse in parallel. Then, under the pipeline lock, the
 * events are appended to the store in one transaction — when {@link #accept} returns they are
 * committed, which is what acknowledges the batch to a tailer or an HTTP client — and only then
 * offered to the behaviour rules and counted into per-IP aggregates. A batch the store refuses is
 * thrown back before detection saw it, so its redelivery is counted once.
 *
 * <p>{@link #flush()} (every second in {@code serve}) turns what accumulated into the store's
 * detections and IP profiles: a detection is stored when its rule and group first fire and again
 * when its confidence rises; every flagged IP's profile gets the hits since the last flush, and an
 * IP flagged for the first time starts from all of its stored events. Store appends and flushes
 * share the lock, so an event is either in the store before a first profile counted it from
 * there, or in the aggregates after — never both.
 *
 * <p>Waiting for the lock is bounded ({@link Builder#busyTimeout}): a caller that cannot get in
 * gets {@link PipelineBusyException}, which HTTP ingest answers with 503 and tailers retry — that
 * is the back-pressure; nothing queues without bound.
 */
public final class IngestPipeline implements LineBatchConsumer {
    /** Bad lines kept per input for {@code /metrics} and the feeds-and-inputs view. */
    public static final int BAD_LINE_SAMPLES = 5;

    private final EventStore store;
    private final LiveReputation reputation;
    private final Detector detector;
    private final DetectionState detection;
    private final FormatSelector defaultSelector;
    private final Map<String, FormatSelector> selectors;
    private final ClientIpResolver resolver;
    private final GeoLookup geo;
    private final Clock clock;
    private final long busyTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, InputState> inputs = new ConcurrentHashMap<>();
    private final Map<String, Confidence> storedDetections = new HashMap<>();
    private final Set<IpAddress> profiled = new HashSet<>();
    private Map<IpAddress, Pending> pending = new HashMap<>();
    private long lineRefs;
    private final List<FlushListener> listeners;
    private final java.util.concurrent.atomic.AtomicLong listenerFailures = new java.util.concurrent.atomic.AtomicLong();

    private IngestPipeline(Builder b) {
        this.store = b.store;
        this.reputation = b.reputation;
        this.detector = b.detector;
        this.detection = b.detector == null ? null : b.detector.newState();
        this.defaultSelector = b.selector;
        this.selectors = Map.copyOf(b.selectors);
        this.resolver = b.resolver;
        this.geo = b.geo;
        this.clock = b.clock;
        this.busyTimeoutNanos = b.busyTimeout.toNanos();
        this.listeners = List.copyOf(b.listeners);
    }

    /** A pipeline into {@code store}, matching against {@code reputation}. */
    public static Builder builder(EventStore store, LiveReputation reputation) {
        return new Builder(store, reputation);
    }

    /**
     * Parses, stores and detects one batch of one input; returns once the events are committed.
     *
     * @throws PipelineBusyException when the pipeline stayed busy past the busy timeout; nothing of
     *     the batch was taken
     * @throws dev.threatip.store.StoreException when the store refused the batch; nothing of it was taken
     */
    @Override
    public void accept(String source, List<byte[]> lines, long firstLineNumber) throws InterruptedException {
        ingest(source, lines, firstLineNumber);
    }

    /**
     * Like {@link #accept}, and says how many of the lines were events (stored); the rest were
     * directives or bad lines, counted in {@link #stats()}.
     */
    public int ingest(String source, List<byte[]> lines, long firstLineNumber) throws InterruptedException {
        return ingest(source, null, lines, firstLineNumber);
    }

    /**
     * Like {@link #ingest(String, List, long)}, choosing the format of a new input with
     * {@code selector} instead of the configured one (HTTP ingest of NDJSON); an input whose
     * format is already chosen keeps it.
     */
    public int ingest(String source, FormatSelector selector, List<byte[]> lines, long firstLineNumber)
            throws InterruptedException {
        Objects.requireNonNull(source, "source");
        InputState in = inputs.computeIfAbsent(source, InputState::new);
        Parsed parsed;
        synchronized (in) {
            if (in.parser == null && selector != null) {
                choose(in, selector, lines);
            }
            parsed = parse(in, lines, firstLineNumber);
        }
        if (!lock.tryLock(busyTimeoutNanos, TimeUnit.NANOSECONDS)) {
            throw new PipelineBusyException("the pipeline is busy; retry later");
        }
        try {
            parsed.ingestTime = clock.instant();
            store.appendEvents(parsed.events, source, parsed.lineNumbers(), parsed.gatewayHits);
            synchronized (in) {
                in.committed(lines.size(), parsed.events, parsed.ingestTime);
                in.gatewayCommitted(parsed.gatewayHits.size(), parsed.gatewayRefused);
            }
            detect(in, parsed);
        } finally {
            lock.unlock();
        }
        return parsed.events.size();
    }

    /** Parses a batch into events; counts directives and bad lines on the input right away. */
    private Parsed parse(InputState in, List<byte[]> lines, long firstLineNumber) {
        if (in.parser == null) {
            choose(in, selectors.getOrDefault(in.source, defaultSelector), lines);
        }
        Parsed p = new Parsed(lines.size());
        LineFields f = in.fields;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            long lineNumber = firstLineNumber < 0 ? -1 : firstLineNumber + i;
            if (in.parser == null) {
                in.bad(lineNumber, in.formatProblem, line);
                continue;
            }
            f.reset();
            LineParser.Outcome o;
            try {
                o = in.parser.parse(line, 0, line.length, f);
            } catch (RuntimeException e) {
                in.bad(lineNumber, "parser " + in.format + " failed (" + e.getClass().getSimpleName() + ")", line);
                continue;
            }
            if (o == LineParser.Outcome.DIRECTIVE) {
                in.directives++;
            } else if (o == LineParser.Outcome.MALFORMED) {
                in.bad(lineNumber, "does not match format " + in.format, line);
            } else if (!resolver.resolve(f)) {
                in.bad(lineNumber, "no valid client address", line);
            } else {
                p.add(AccessEvent.of(f, line, 0, line.length), line, lineNumber);
                if (!f.hitAction.isEmpty()) {
                    GatewayHitReader.Result g = GatewayHitReader.read(f);
                    if (g.hit() != null) {
                        p.gatewayHits.add(g.hit());
                    } else if (g.problem() != null) {
                        p.refuseGateway(BadLine.of(in.source, lineNumber, g.problem(), line, 0, line.length));
                    }
                }
            }
        }
        return p;
    }

    /** Picks the input's format from its first lines; an input no format fits stays undecided. */
    private void choose(InputState in, FormatSelector selector, List<byte[]> lines) {
        List<String> sample = new ArrayList<>();
        for (int i = 0; i < lines.size() && sample.size() < FormatSelector.SAMPLE_LINES; i++) {
            sample.add(new String(lines.get(i), StandardCharsets.UTF_8));
        }
        FormatChoice choice = selector.select(new LogInput(null, in.source), sample);
        if (choice.format() == null) {
            in.formatProblem = "no known format fits (" + choice.reason() + ")";
            return;
        }
        in.format = choice.format().name();
        in.formatReason = choice.reason();
        in.parser = choice.format().newParser();
        in.detectParser = choice.format().newParser();
    }

    /** Offers the committed events to the rules and counts them per IP; holds the lock. */
    private void detect(InputState in, Parsed p) {
        LineFields f = p.fields;
        for (int i = 0; i < p.events.size(); i++) {
            AccessEvent e = p.events.get(i);
            long ref = ++lineRefs;
            if (detection != null) {
                // re-parse: the first pass's fields are gone, and keeping a LineFields per line costs more than parsing again
                byte[] line = p.lines.get(i);
                f.reset();
                if (in.detectParser.parse(line, 0, line.length, f) == LineParser.Outcome.EVENT && resolver.resolve(f)) {
                    detection.offer(f, ref);
                }
            }
            Instant t = e.time() != null ? e.time() : p.ingestTime;
            pending.computeIfAbsent(e.client(), ip -> new Pending()).add(t);
        }
    }

    /**
     * Stores new detections and brings the profiles of flagged IPs up to date; see the class
     * comment. Called by one thread at a time.
     *
     * @return what was written
     */
    public FlushResult flush() {
        Map<IpAddress, Pending> window;
        DetectionResults results;
        Map<IpAddress, EventSpan> firstSpans = Map.of();
        Map<IpAddress, List<Detection>> byIp;
        List<Detection> newDetections = new ArrayList<>();
        Map<IpAddress, Verdict> verdicts = new LinkedHashMap<>();
        lock.lock();
        try {
            window = pending;
            pending = new HashMap<>();
            results = detection == null ? null : detection.results();
            byIp = results == null ? Map.of() : results.byIp();
            if (results != null) {
                for (Detection d : results.detections()) {
                    String key = d.ruleId() + '\0' + d.groupKey() + '\0' + d.ip();
                    Confidence before = storedDetections.get(key);
                    if (before == null || d.confidence().compareTo(before) > 0) {
                        storedDetections.put(key, d.confidence());
                        newDetections.add(d);
                    }
                }
            }
            Set<IpAddress> candidates = new HashSet<>(window.keySet());
            byIp.keySet().forEach(candidates::add);
            List<IpAddress> firstTime = new ArrayList<>();
            for (IpAddress ip : candidates) {
                Verdict intel = reputation.lookup(ip);
                List<Detection> dets = byIp.getOrDefault(ip, List.of());
                Verdict v = detector == null ? intel : detector.verdict(intel, dets);
                if (v.isFlagged() || profiled.contains(ip)) {
                    verdicts.put(ip, v);
                    if (profiled.add(ip)) {
                        firstTime.add(ip);
                    }
                }
            }
            if (!firstTime.isEmpty()) {
                // under the lock, so the span holds exactly the events committed before this flush
                firstSpans = store.eventSpans(firstTime);
            }
        } finally {
            lock.unlock();
        }
        List<ProfileUpdate> updates = new ArrayList<>(verdicts.size());
        for (Map.Entry<IpAddress, Verdict> e : verdicts.entrySet()) {
            IpAddress ip = e.getKey();
            EventSpan span = firstSpans.get(ip);
            Pending p = window.get(ip);
            ProfileUpdate u;
            if (span != null) {
                u = new ProfileUpdate(ip, e.getValue(), span.events(), span.firstSeen(), span.lastSeen());
            } else if (p != null) {
                u = new ProfileUpdate(ip, e.getValue(), p.hits, p.first, p.last);
            } else {
                u = detectionOnly(ip, e.getValue(), byIp.getOrDefault(ip, List.of()));
                if (u == null) {
                    continue;
                }
            }
            updates.add(withGeo(u));
        }
        store.appendDetections(newDetections);
        store.upsertProfiles(updates);
        FlushResult flushed = new FlushResult(newDetections, updates, results == null ? 0 : results.evictedKeys());
        for (FlushListener l : listeners) {
            try {
                l.flushed(flushed);
            } catch (RuntimeException e) {
                // a listener (alerts, auto-block) must not stop profiles from being written next time
                listenerFailures.incrementAndGet();
            }
        }
        return flushed;
    }

    /**
     * A profile update for an IP whose verdict changed without new events (a rule caught up),
     * from its detections (looked up in the flush's by-IP map: a scan of all detections per
     * profiled IP made flushes quadratic).
     */
    private static ProfileUpdate detectionOnly(IpAddress ip, Verdict v, List<Detection> detections) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Detection d : detections) {
            if (d.firstMillis() >= 0) {
                first = Math.min(first, d.firstMillis());
            }
            last = Math.max(last, d.lastMillis());
        }
        if (first == Long.MAX_VALUE || last < first) {
            return null;
        }
        return new ProfileUpdate(ip, v, 0, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last));
    }

    private ProfileUpdate withGeo(ProfileUpdate u) {
        return geo == null ? u : u.withGeo(geo.geo(u.ip()), geo.asn(u.ip()));
    }

    /** Per-input counters, by source name, for {@code /metrics}. */
    public Map<String, InputStats> stats() {
        Instant now = clock.instant();
        Map<String, InputStats> out = new LinkedHashMap<>();
        for (InputState in : inputs.values()) {
            synchronized (in) {
                out.put(in.source, in.snapshot(now));
            }
        }
        return out;
    }

    /** Behaviour keys the rules track now, and how many were evicted at the memory cap. */
    public long trackedKeys() {
        lock.lock();
        try {
            return detection == null ? 0 : detection.trackedKeys();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What one flush wrote, as listeners see it.
     *
     * @param detections  detections stored (new, or risen in confidence)
     * @param profiles    profile updates written: each flagged (or once flagged) IP with new requests
     *                    or a new verdict, its hits since the last flush (all stored hits when first
     *                    flagged), and its current verdict
     * @param evictedKeys behaviour keys evicted at the memory cap so far
     */
    public record FlushResult(List<Detection> detections, List<ProfileUpdate> profiles, long evictedKeys) {
        public FlushResult {
            detections = List.copyOf(detections);
            profiles = List.copyOf(profiles);
        }
    }

    /**
     * Told after every flush, on the flushing thread, once its detections and profiles are
     * committed: where alert policies and auto-block policies look at what changed. Must be
     * quick; a listener that throws is counted ({@link #listenerFailures()}) and skipped.
     */
    @FunctionalInterface
    public interface FlushListener {
        void flushed(FlushResult result);
    }

    /** Listener calls that threw. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** Hits and event-time span of one IP since the last flush. */
    private static final class Pending {
        long hits;
        Instant first;
        Instant last;

        void add(Instant t) {
            hits++;
            if (first == null || t.isBefore(first)) {
                first = t;
            }
            if (last == null || t.isAfter(last)) {
                last = t;
            }
        }
    }

    /** One batch after parsing: its events, their lines and line numbers. */
    private static final class Parsed {
        final List<AccessEvent> events;
        final List<byte[]> lines;
        final LineFields fields = new LineFields();
        final long[] lineNumbers;
        /** The decisions of gate hit-log lines among the events. */
        final List<GatewayHit> gatewayHits = new ArrayList<>();
        /** Gate lines whose decision could not be read (their events are stored): counted once committed. */
        final List<BadLine> gatewayRefused = new ArrayList<>();
        Instant ingestTime;

        void refuseGateway(BadLine b) {
            gatewayRefused.add(b);
        }

        Parsed(int capacity) {
            events = new ArrayList<>(capacity);
            lines = new ArrayList<>(capacity);
            lineNumbers = new long[capacity];
        }

        void add(AccessEvent e, byte[] line, long lineNumber) {
            lineNumbers[events.size()] = lineNumber;
            events.add(e);
            lines.add(line);
        }

        long[] lineNumbers() {
            return Arrays.copyOf(lineNumbers, events.size());
        }
    }

    /** Builds an {@link IngestPipeline}; every setting but the store and the reputation is optional. */
    public static final class Builder {
        private final EventStore store;
        private final LiveReputation reputation;
        private Detector detector;
        private FormatSelector selector = LogFormats.selector("auto", null, null);
        private final Map<String, FormatSelector> selectors = new HashMap<>();
        private ClientIpResolver resolver = ClientIpResolver.direct();
        private GeoLookup geo;
        private Clock clock = Clock.systemUTC();
        private Duration busyTimeout = Duration.ofSeconds(10);
        private final List<FlushListener> listeners = new ArrayList<>();

        private Builder(EventStore store, LiveReputation reputation) {
            this.store = Objects.requireNonNull(store, "store");
            this.reputation = Objects.requireNonNull(reputation, "reputation");
        }

        /** The behaviour rules; without them only intel flags IPs. */
        public Builder detector(Detector d) {
            this.detector = d;
            return this;
        }

        /** How inputs without their own selector get their format; default {@code auto} per input. */
        public Builder formats(FormatSelector s) {
            this.selector = Objects.requireNonNull(s, "selector");
            return this;
        }

        /** The format of one input, by source name (e.g. {@code syslog}). */
        public Builder format(String source, FormatSelector s) {
            selectors.put(Objects.requireNonNull(source, "source"), Objects.requireNonNull(s, "selector"));
            return this;
        }

        /** How the client address is found (trusted proxies); default the peer address as logged. */
        public Builder clientIps(ClientIpResolver r) {
            this.resolver = Objects.requireNonNull(r, "resolver");
            return this;
        }

        /** Geo and ASN for profiles; null leaves them empty. */
        public Builder geo(GeoLookup g) {
            this.geo = g;
            return this;
        }

        /** The clock behind ingest times, rates and lag. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** How long a batch waits for the pipeline before {@link PipelineBusyException}: 1 ms to 10 min. */
        public Builder busyTimeout(Duration d) {
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("busy timeout must be 1 ms to 10 min: " + d);
            }
            this.busyTimeout = d;
            return this;
        }

        /** Told after every flush; see {@link FlushListener}. */
        public Builder flushListener(FlushListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        public IngestPipeline build() {
            return new IngestPipeline(this);
        }
    }
}
