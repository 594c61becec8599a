package dev.threatip.detect;

import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import dev.threatip.log.EventSink;
import dev.threatip.log.LineFields;
import dev.threatip.log.LinePosition;
import dev.threatip.log.ScanSummary;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One scan: every event's client is looked up in the reputation index and, when a
 * {@link Detector} is given, every event is fed to the behaviour rules; clients either flags are
 * profiled (hits, times, paths, statuses, agents, samples, first hits) and their intel and
 * behaviour verdicts merged into a {@link ScanReport}.
 *
 * <p>Use: pass {@link #newSink} as the reader's sink supplier, then call {@link #report}. Each
 * reader thread gets its own sink, profile map and detection state, so nothing is shared on the
 * hot path; they are merged once at the end. A clean line that no rule's filter matches costs
 * one allocation-free IPv4 lookup, one probe of the profile map and the rules' byte scans; only
 * flagged lines materialise strings. A client listed by intel is profiled from its first request;
 * one that only behaviour flags is profiled from its first request that matched a rule's filter
 * (the requests that matter), which the report's hits then count.
 *
 * <p>Memory is bounded by {@code maxTrackedIps}: beyond it, requests of further flagged clients
 * are still counted but not profiled, and the report says so in its notes.
 */
public final class ThreatScan {
    /** The default cap on profiled clients. */
    public static final int DEFAULT_MAX_TRACKED_IPS = 1_000_000;

    private final ReputationIndex index;
    private final Detector detector; // null: intel only
    private final int maxTrackedIps;
    private final AtomicLong tracked = new AtomicLong();
    private final List<Sink> sinks = Collections.synchronizedList(new ArrayList<>());

    /** Intel only: matches against {@code index}, profiling up to {@link #DEFAULT_MAX_TRACKED_IPS} clients. */
    public ThreatScan(ReputationIndex index) {
        this(index, null, DEFAULT_MAX_TRACKED_IPS);
    }

    /** Intel only, with a cap on profiled clients. */
    public ThreatScan(ReputationIndex index, int maxTrackedIps) {
        this(index, null, maxTrackedIps);
    }

    /**
     * Intel and behaviour.
     *
     * @param detector the behaviour rules, or null for intel only
     */
    public ThreatScan(ReputationIndex index, Detector detector, int maxTrackedIps) {
        if (maxTrackedIps < 1) {
            throw new IllegalArgumentException("max tracked IPs must be at least 1: " + maxTrackedIps);
        }
        this.index = index;
        this.detector = detector;
        this.maxTrackedIps = maxTrackedIps;
    }

    /** A sink for one reader thread. */
    public EventSink newSink() {
        Sink s = new Sink();
        sinks.add(s);
        return s;
    }

    /** Merges the sinks' profiles and detections into the report; call once, after the read. */
    public ScanReport report(ScanSummary summary) {
        AddressMap<IpActivity> merged = new AddressMap<>();
        long untrackedRequests = 0;
        DetectionState detection = null;
        for (Sink s : sinks) {
            untrackedRequests += s.untrackedRequests;
            s.profiles.forEach(a -> {
                IpActivity m = merged.get(a.hi, a.lo);
                if (m == null) {
                    merged.putNew(a.hi, a.lo, a);
                } else {
                    m.merge(a);
                }
            });
            if (s.detection != null) {
                if (detection == null) {
                    detection = s.detection;
                } else {
                    detection.merge(s.detection);
                }
            }
        }
        DetectionResults results = detection == null ? null : detection.results();
        Map<IpAddress, List<Detection>> byIp = results == null ? Map.of() : results.byIp();
        List<ScanReport.FlaggedIp> ips = new ArrayList<>(merged.size());
        long flaggedRequests = untrackedRequests;
        Set<IpAddress> profiled = new HashSet<>();
        List<IpActivity> activities = new ArrayList<>(merged.size());
        merged.forEach(activities::add);
        for (IpActivity a : activities) {
            IpAddress ip = new IpAddress(a.hi, a.lo);
            profiled.add(ip);
            List<Detection> dets = byIp.getOrDefault(ip, List.of());
            Verdict v = detector == null ? a.verdict : detector.verdict(a.verdict, dets);
            if (v.isFlagged()) {
                ips.add(profile(a, v, dets, summary));
                flaggedRequests += a.hits;
            }
        }
        for (Map.Entry<IpAddress, List<Detection>> e : byIp.entrySet()) {
            if (!profiled.contains(e.getKey())) {
                // Flagged only by volume rules (or past the profile cap): report what the rules counted.
                Verdict v = detector.verdict(index.lookup(e.getKey()), e.getValue());
                if (v.isFlagged()) {
                    ips.add(fromDetections(e.getKey(), v, e.getValue(), summary));
                    flaggedRequests += ips.get(ips.size() - 1).hits();
                }
            }
        }
        ips.sort(Comparator.comparing((ScanReport.FlaggedIp f) -> f.level()).reversed()
                .thenComparing(Comparator.comparingLong(ScanReport.FlaggedIp::hits).reversed())
                .thenComparing(ScanReport.FlaggedIp::ip));
        List<String> notes = new ArrayList<>();
        if (untrackedRequests > 0) {
            notes.add(untrackedRequests + " requests of flagged clients beyond the cap of " + maxTrackedIps
                    + " profiled clients were counted but not profiled");
        }
        List<Detection> endpoints = new ArrayList<>();
        if (results != null) {
            results.detections().stream().filter(d -> d.ip() == null).forEach(endpoints::add);
            results.evictions().forEach((rule, n) -> notes.add("rule " + rule + ": " + n
                    + " idle keys evicted at the memory cap; counts for them may be low"));
            results.participantsDropped().forEach((rule, n) -> notes.add("rule " + rule + ": " + n
                    + " participating clients beyond the cap were not listed"));
        }
        ScanReport.Summary sum = new ScanReport.Summary(summary.files(), summary.lines(), summary.parsed(),
                summary.unparsed(), ips.size(), flaggedRequests, summary.elapsedMillis());
        return new ScanReport(sum, ips, endpoints, summary.fileSummaries(), notes);
    }

    /** A client no profile was kept for: hits, times and first lines from its detections. */
    private static ScanReport.FlaggedIp fromDetections(IpAddress ip, Verdict verdict, List<Detection> detections,
                                                       ScanSummary summary) {
        long hits = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<Long> refs = new ArrayList<>();
        for (Detection d : detections) {
            hits = Math.max(hits, d.count());
            if (d.firstMillis() >= 0) {
                first = Math.min(first, d.firstMillis());
            }
            last = Math.max(last, d.lastMillis());
            refs.addAll(d.sampleLineRefs());
        }
        List<LinePosition> firstHits = refs.stream().distinct().sorted().limit(IpActivity.MAX_FIRST_HITS)
                .map(summary::position).toList();
        return new ScanReport.FlaggedIp(ip, verdict, hits, first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(first),
                last < 0 ? null : Instant.ofEpochMilli(last), List.of(), Map.of(), List.of(), List.of(), firstHits,
                detections);
    }

    private static ScanReport.FlaggedIp profile(IpActivity a, Verdict verdict, List<Detection> detections,
                                                ScanSummary summary) {
        List<ScanReport.PathCount> paths = new ArrayList<>();
        a.pathCounts().forEach((p, n) -> paths.add(new ScanReport.PathCount(p, n)));
        if (a.otherPaths > 0) {
            paths.add(new ScanReport.PathCount(IpActivity.OTHER_PATH, a.otherPaths));
        }
        paths.sort(Comparator.comparingLong(ScanReport.PathCount::count).reversed().thenComparing(ScanReport.PathCount::path));
        Map<Integer, Long> statuses = new TreeMap<>();
        for (int i = 0; i < a.statusesUsed; i++) {
            statuses.put(a.statusCodes[i], a.statusCounts[i]);
        }
        List<String> agents = new ArrayList<>();
        for (byte[] ua : a.agents) {
            agents.add(new String(ua, java.nio.charset.StandardCharsets.UTF_8));
        }
        List<LinePosition> firstHits = new ArrayList<>();
        for (int i = 0; i < a.firstHitsUsed; i++) {
            firstHits.add(summary.position(a.firstHits[i]));
        }
        return new ScanReport.FlaggedIp(new IpAddress(a.hi, a.lo), verdict, a.hits,
                a.firstMillis == Long.MAX_VALUE ? null : Instant.ofEpochMilli(a.firstMillis),
                a.lastMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(a.lastMillis),
                paths.subList(0, Math.min(ScanReport.FlaggedIp.TOP_PATHS, paths.size())), statuses, agents,
                a.samples, firstHits, detections);
    }

    /** One thread's matcher, detection state and profiles. */
    private final class Sink implements EventSink {
        final AddressMap<IpActivity> profiles = new AddressMap<>();
        final DetectionState detection = detector == null ? null : detector.newState();
        long untrackedRequests;

        @Override
        public void accept(LineFields f, byte[] line, int start, int end, long lineRef) {
            long hi = f.clientHi;
            long lo = f.clientLo;
            Verdict v = index.lookup(hi, lo);
            boolean suspicious = detection != null && detection.offer(f, lineRef);
            IpActivity a = profiles.get(hi, lo);
            if (a == null) {
                if (!v.isFlagged() && !suspicious) {
                    return;
                }
                if (tracked.incrementAndGet() > maxTrackedIps) {
                    tracked.decrementAndGet();
                    if (v.isFlagged()) {
                        untrackedRequests++;
                    }
                    return;
                }
                a = new IpActivity(hi, lo, v);
                profiles.putNew(hi, lo, a);
            }
            a.add(f, line, start, end, lineRef);
        }
    }
}
