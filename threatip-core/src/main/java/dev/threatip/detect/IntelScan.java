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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One scan's intel matching: every event's client is looked up in the reputation index, and
 * the clients it flags are profiled (hits, times, paths, statuses, agents, samples, first hits)
 * into a {@link ScanReport}.
 *
 * <p>Use: pass {@link #newSink} as the reader's sink supplier, then call {@link #report}. Each
 * reader thread gets its own sink and its own profile map, so nothing is shared on the hot path;
 * the maps are merged once at the end. A clean line costs one allocation-free IPv4 lookup (an
 * IPv6 client costs one small key object); only flagged lines materialise strings.
 *
 * <p>Memory is bounded by {@code maxTrackedIps}: beyond it, requests of further flagged clients
 * are still counted but not profiled, and the report says so in its notes.
 */
public final class IntelScan {
    /** The default cap on profiled clients. */
    public static final int DEFAULT_MAX_TRACKED_IPS = 1_000_000;

    private final ReputationIndex index;
    private final int maxTrackedIps;
    private final AtomicLong tracked = new AtomicLong();
    private final List<Sink> sinks = Collections.synchronizedList(new ArrayList<>());

    /** Matches against {@code index}, profiling up to {@link #DEFAULT_MAX_TRACKED_IPS} clients. */
    public IntelScan(ReputationIndex index) {
        this(index, DEFAULT_MAX_TRACKED_IPS);
    }

    public IntelScan(ReputationIndex index, int maxTrackedIps) {
        if (maxTrackedIps < 1) {
            throw new IllegalArgumentException("max tracked IPs must be at least 1: " + maxTrackedIps);
        }
        this.index = index;
        this.maxTrackedIps = maxTrackedIps;
    }

    /** A sink for one reader thread. */
    public EventSink newSink() {
        Sink s = new Sink();
        sinks.add(s);
        return s;
    }

    /** Merges the sinks' profiles into the report; call once, after the read. */
    public ScanReport report(ScanSummary summary) {
        AddressMap<IpActivity> merged = new AddressMap<>();
        long flaggedRequests = 0;
        long untrackedRequests = 0;
        for (Sink s : sinks) {
            flaggedRequests += s.flaggedRequests;
            untrackedRequests += s.untrackedRequests;
            s.profiles.forEach(a -> {
                IpActivity m = merged.get(a.hi, a.lo);
                if (m == null) {
                    merged.putNew(a.hi, a.lo, a);
                } else {
                    m.merge(a);
                }
            });
        }
        List<ScanReport.FlaggedIp> ips = new ArrayList<>(merged.size());
        merged.forEach(a -> ips.add(profile(a, summary)));
        ips.sort(Comparator.comparing((ScanReport.FlaggedIp f) -> f.level()).reversed()
                .thenComparing(Comparator.comparingLong(ScanReport.FlaggedIp::hits).reversed())
                .thenComparing(ScanReport.FlaggedIp::ip));
        List<String> notes = new ArrayList<>();
        if (untrackedRequests > 0) {
            notes.add(untrackedRequests + " requests of flagged clients beyond the cap of " + maxTrackedIps
                    + " profiled clients were counted but not profiled");
        }
        ScanReport.Summary sum = new ScanReport.Summary(summary.files(), summary.lines(), summary.parsed(),
                summary.unparsed(), ips.size(), flaggedRequests, summary.elapsedMillis());
        return new ScanReport(sum, ips, summary.fileSummaries(), notes);
    }

    private static ScanReport.FlaggedIp profile(IpActivity a, ScanSummary summary) {
        List<ScanReport.PathCount> paths = new ArrayList<>();
        a.paths.forEach((p, n) -> paths.add(new ScanReport.PathCount(p, n[0])));
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
        return new ScanReport.FlaggedIp(new IpAddress(a.hi, a.lo), a.verdict, a.hits,
                a.firstMillis == Long.MAX_VALUE ? null : Instant.ofEpochMilli(a.firstMillis),
                a.lastMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(a.lastMillis),
                paths.subList(0, Math.min(ScanReport.FlaggedIp.TOP_PATHS, paths.size())), statuses, agents,
                a.samples, firstHits);
    }

    /** One thread's matcher and profiles. */
    private final class Sink implements EventSink {
        final AddressMap<IpActivity> profiles = new AddressMap<>();
        long flaggedRequests;
        long untrackedRequests;

        @Override
        public void accept(LineFields f, byte[] line, int start, int end, long lineRef) {
            long hi = f.clientHi;
            long lo = f.clientLo;
            Verdict v = hi == 0 && (lo >>> 32) == 0xFFFFL ? index.lookupIpv4((int) lo) : index.lookup(new IpAddress(hi, lo));
            if (!v.isFlagged()) {
                return;
            }
            flaggedRequests++;
            IpActivity a = profiles.get(hi, lo);
            if (a == null) {
                if (tracked.incrementAndGet() > maxTrackedIps) {
                    tracked.decrementAndGet();
                    untrackedRequests++;
                    return;
                }
                a = new IpActivity(hi, lo, v);
                profiles.putNew(hi, lo, a);
            }
            a.add(f, line, start, end, lineRef);
        }
    }
}
