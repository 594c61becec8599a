package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LineParser;
import dev.threatip.log.LinePosition;
import dev.threatip.log.LogFormat;
import dev.threatip.log.LogInput;
import dev.threatip.log.LogReader;
import dev.threatip.log.ScanSummary;
import dev.threatip.log.TestCombinedFormat;
import dev.threatip.net.AddressClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Intel matching over a real read, and the profile of each flagged client. */
class ThreatScanTest {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @TempDir
    Path dir;

    ReputationIndex index;

    /** 203.0.113.8 listed by 8 lists (high), .3 by 3 (medium), .1 by one (low); 2001:db8::66 high. */
    static ReputationIndex index(Path dir) throws IOException {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "203.0.113.1\t1\n203.0.113.3\t3\n203.0.113.8\t8\n2001:db8::66\t8\n");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.fixed(NOW, ZoneOffset.UTC), FeedSource.FetchSettings.defaults());
        Path out = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                .withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION))).compile(source.resolve(FeedSpec.parse(feed.toString())), out);
        return ReputationIndex.open(out, ReputationIndex.OpenOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @BeforeEach
    void setUp() throws IOException {
        index = index(dir);
    }

    static String line(String ip, String time, String path, int status, String ua) {
        return ip + " - - [" + time + " +0000] \"GET " + path + " HTTP/1.1\" " + status + " 99 \"-\" \"" + ua + "\"";
    }

    private ScanReport scan(ThreatScan scan, int threads, Path... files) throws IOException {
        List<LogInput> in = java.util.Arrays.stream(files).map(LogInput::of).toList();
        ScanSummary s = new LogReader(new LogReader.Options(threads, 64 << 10)).read(in,
                FormatSelector.fixed(testFormat()), ClientIpResolver.direct(), scan::newSink);
        return scan.report(s);
    }

    static LogFormat testFormat() {
        return TestCombinedFormat.INSTANCE;
    }

    @Test
    void report_flaggedClients_profiledAndSortedByLevelThenHits() throws IOException {
        StringBuilder a = new StringBuilder();
        a.append(line("203.0.113.1", "01/Nov/2026:00:00:05", "/", 200, "ua-low")).append('\n');
        a.append(line("203.0.113.1", "01/Nov/2026:00:00:06", "/", 200, "ua-low")).append('\n');
        a.append(line("198.51.100.9", "01/Nov/2026:00:00:07", "/", 200, "clean")).append('\n');
        a.append(line("203.0.113.8", "01/Nov/2026:00:04:10", "/.env", 404, "zgrab")).append('\n');
        a.append(line("203.0.113.8", "01/Nov/2026:00:00:03", "/.git/config", 403, "zgrab")).append('\n');
        a.append(line("203.0.113.8", "01/Nov/2026:00:01:00", "/.env", 404, "nuclei")).append('\n');
        a.append(line("203.0.113.3", "01/Nov/2026:00:02:00", "/wp-login.php", 404, "x")).append('\n');
        a.append(line("2001:db8::66", "01/Nov/2026:00:03:00", "/", 200, "v6")).append('\n');
        Path f1 = dir.resolve("a.log");
        Files.writeString(f1, a.toString());
        Path f2 = dir.resolve("b.log");
        Files.writeString(f2, line("203.0.113.8", "01/Nov/2026:00:05:00", "/admin", 404, "zgrab") + "\n");

        ScanReport r = scan(new ThreatScan(index), 2, f1, f2);
        assertEquals(new ScanReport.Summary(2, 9, 9, 0, 4, 8, r.summary().elapsedMillis()), r.summary());
        assertEquals(List.of("203.0.113.8", "2001:db8::66", "203.0.113.3", "203.0.113.1"),
                r.ips().stream().map(ip -> ip.ip().toString()).toList());
        ScanReport.FlaggedIp top = r.ips().get(0);
        assertEquals(ThreatLevel.HIGH, top.level());
        assertEquals(4, top.hits());
        assertEquals(Instant.parse("2026-11-01T00:00:03Z"), top.firstSeen());
        assertEquals(Instant.parse("2026-11-01T00:05:00Z"), top.lastSeen());
        assertEquals(new ScanReport.PathCount("/.env", 2), top.topPaths().get(0));
        assertEquals(Map.of(403, 1L, 404, 3L), top.statuses());
        assertEquals(List.of(403, 404), List.copyOf(top.statuses().keySet()));
        assertEquals(Set.of("zgrab", "nuclei"), Set.copyOf(top.userAgents()));
        assertEquals(4, top.samples().size());
        assertEquals(List.of(new LinePosition(f1.toString(), 4), new LinePosition(f1.toString(), 5),
                new LinePosition(f1.toString(), 6), new LinePosition(f2.toString(), 1)), top.firstHits());
        assertTrue(top.verdict().confidenceOf(Category.NETWORK_ATTACK) != null, top.verdict().toString());
        assertEquals(List.of("203.0.113.8", "2001:db8::66"),
                r.atLeast(ThreatLevel.HIGH).ips().stream().map(ip -> ip.ip().toString()).toList());
        assertTrue(r.anyAtLeast(ThreatLevel.MEDIUM));
    }

    @Test
    void report_manyDistinctPaths_boundedWithOther() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append(line("203.0.113.8", "01/Nov/2026:00:00:05", "/p" + i, 404, "ua" + i)).append('\n');
        }
        for (int i = 0; i < 5; i++) {
            sb.append(line("203.0.113.8", "01/Nov/2026:00:00:05", "/p0", 404, "ua")).append('\n');
        }
        Path f = dir.resolve("paths.log");
        Files.writeString(f, sb.toString());
        ScanReport.FlaggedIp ip = scan(new ThreatScan(index), 1, f).ips().get(0);
        assertEquals(new ScanReport.PathCount("(other)", 136), ip.topPaths().get(0));
        assertEquals(new ScanReport.PathCount("/p0", 6), ip.topPaths().get(1));
        assertEquals(ScanReport.FlaggedIp.TOP_PATHS, ip.topPaths().size());
        assertEquals(5, ip.userAgents().size());
        assertEquals(5, ip.samples().size());
        assertEquals(5, ip.firstHits().size());
        assertEquals(1, ip.firstHits().get(0).line());
    }

    @Test
    void report_trackingCapReached_requestsCountedAndNoted() throws IOException {
        Path f = dir.resolve("cap.log");
        Files.writeString(f, line("203.0.113.8", "01/Nov/2026:00:00:05", "/", 404, "a") + "\n"
                + line("203.0.113.3", "01/Nov/2026:00:00:06", "/", 404, "a") + "\n"
                + line("203.0.113.3", "01/Nov/2026:00:00:07", "/", 404, "a") + "\n");
        ScanReport r = scan(new ThreatScan(index, 1), 1, f);
        assertEquals(1, r.ips().size());
        assertEquals(3, r.summary().flaggedRequests());
        assertEquals(List.of("2 requests of flagged clients beyond the cap of 1 profiled clients were counted but not profiled"), r.notes());
    }

    @Test
    void report_logWithoutTimes_seenFieldsNull() throws IOException {
        Path f = dir.resolve("ips.txt");
        Files.writeString(f, "203.0.113.8\n198.51.100.1\n");
        ThreatScan scan = new ThreatScan(index);
        ScanSummary s = new LogReader(new LogReader.Options(1, 64 << 10)).read(List.of(LogInput.of(f)),
                FormatSelector.fixed(new LogFormat() {
                    @Override
                    public String name() {
                        return "ip-only";
                    }

                    @Override
                    public LineParser newParser() {
                        return (b, st, e, fields) -> {
                            fields.remoteAddr.set(b, st, e);
                            return LineParser.Outcome.EVENT;
                        };
                    }
                }), ClientIpResolver.direct(), scan::newSink);
        ScanReport.FlaggedIp ip = scan.report(s).ips().get(0);
        assertEquals(1, ip.hits());
        assertNull(ip.firstSeen());
        assertNull(ip.lastSeen());
        assertEquals(List.of(new ScanReport.PathCount("-", 1)), ip.topPaths());
        assertEquals(Map.of(), ip.statuses());
    }

    @Test
    void constructor_capBelowOne_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ThreatScan(index, 0));
        assertEquals("max tracked IPs must be at least 1: 0", e.getMessage());
    }
}
