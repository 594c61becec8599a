package dev.threatip.detect;

import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.FileSummary;
import dev.threatip.log.LinePosition;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code threatip scan} (DESIGN.md §4): the summary and every flagged client with
 * its verdict and what it did, strongest first (level, then hits).
 *
 * @param summary the counts
 * @param ips     the flagged clients
 * @param endpoints behaviour detections of an endpoint or the whole site rather than one client
 *                  (the target of distributed account takeover)
 * @param files   what the read made of each input
 * @param notes   limits that were hit, e.g. the cap on profiled clients
 */
public record ScanReport(Summary summary, List<FlaggedIp> ips, List<Detection> endpoints, List<FileSummary> files,
                         List<String> notes) {
    public ScanReport {
        ips = List.copyOf(ips);
        endpoints = List.copyOf(endpoints);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /**
     * The summary object of §4.
     *
     * @param files           inputs read
     * @param lines           event lines ({@code parsed + unparsed})
     * @param parsed          lines parsed with a valid client
     * @param unparsed        lines that were not
     * @param flaggedIps      distinct flagged clients (profiled; see {@link ScanReport#notes} when capped)
     * @param flaggedRequests requests from flagged clients
     * @param elapsedMillis   wall time of the scan
     */
    public record Summary(int files, long lines, long parsed, long unparsed, long flaggedIps, long flaggedRequests,
                          long elapsedMillis) {
    }

    /**
     * One flagged client: the "threat profile" of §4.
     *
     * @param ip         the client
     * @param verdict    the verdict: intel and behaviour merged
     * @param hits       its requests
     * @param firstSeen  event time of its first request, or null when the log has no times
     * @param lastSeen   event time of its last request, or null
     * @param topPaths   its most requested paths, most first (at most {@value #TOP_PATHS})
     * @param statuses   responses by status code, in code order
     * @param userAgents up to 5 distinct user agents
     * @param samples    up to 5 raw lines
     * @param firstHits  where its first requests are: the linked access logs
     * @param detections the behaviour rules that fired for it, with counts, windows and times
     */
    public record FlaggedIp(IpAddress ip, Verdict verdict, long hits, Instant firstSeen, Instant lastSeen,
                            List<PathCount> topPaths, Map<Integer, Long> statuses, List<String> userAgents,
                            List<String> samples, List<LinePosition> firstHits, List<Detection> detections) {
        /** How many paths {@link #topPaths} lists. */
        public static final int TOP_PATHS = 10;

        public FlaggedIp {
            topPaths = List.copyOf(topPaths);
            userAgents = List.copyOf(userAgents);
            samples = List.copyOf(samples);
            firstHits = List.copyOf(firstHits);
            detections = List.copyOf(detections);
        }

        /** The verdict's level; never null for a flagged client. */
        public ThreatLevel level() {
            return verdict.level();
        }
    }

    /**
     * A path and how often the client asked for it.
     *
     * @param path  the path as logged ({@code (other)} for paths beyond the first 64 distinct)
     * @param count requests
     */
    public record PathCount(String path, long count) {
    }

    /**
     * This report with only the clients at or above {@code min}. The summary still counts the
     * whole scan.
     */
    public ScanReport atLeast(ThreatLevel min) {
        return new ScanReport(summary, ips.stream().filter(ip -> ip.level().compareTo(min) >= 0).toList(), endpoints,
                files, notes);
    }

    /** Whether any client is at or above {@code level}. */
    public boolean anyAtLeast(ThreatLevel level) {
        return ips.stream().anyMatch(ip -> ip.level().compareTo(level) >= 0);
    }
}
