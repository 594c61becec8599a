package dev.threatip.log;

import dev.threatip.detect.ThreatScan;
import dev.threatip.detect.ScanReport;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Engine throughput on a real-shaped corpus with the test parser, in-process and warmed up:
 * {@code java -cp threatip-core/target/classes:threatip-core/target/test-classes:$(deps)
 * dev.threatip.log.ScanSpeed LOG THREADS ROUNDS FEED...}. Not a test: prints lines/s and MB/s
 * of the read alone (no-op sink) and of read plus intel matching.
 */
public final class ScanSpeed {
    private ScanSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path work = Files.createTempDirectory("scanspeed");
        FeedSource source = new FeedSource(work.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> feeds = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            feeds.addAll(source.resolve(FeedSpec.parse(args[i])));
        }
        Path snapshot = work.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults()).compile(feeds, snapshot);
        ReputationIndex index = ReputationIndex.open(snapshot);
        double mb = Files.size(log) / 1e6;
        LogReader reader = new LogReader(LogReader.Options.defaults().withThreads(threads));
        List<LogInput> in = List.of(LogInput.of(log));
        FormatSelector fmt = FormatSelector.fixed(TestCombinedFormat.INSTANCE);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long c0 = os.getProcessCpuTime();
            ScanSummary s = reader.read(in, fmt, ClientIpResolver.direct(), () -> (f, b, st, e, ref) -> { });
            double readSec = (System.nanoTime() - t0) / 1e9;
            double readCpu = (os.getProcessCpuTime() - c0) / 1e9;
            LogFormat noop = new LogFormat() {
                @Override
                public String name() {
                    return "noop";
                }

                @Override
                public LineParser newParser() {
                    return (b, st, e, f) -> LineParser.Outcome.DIRECTIVE;
                }
            };
            c0 = os.getProcessCpuTime();
            reader.read(in, FormatSelector.fixed(noop), ClientIpResolver.direct(), () -> (f, b, st, e, ref) -> { });
            System.out.printf("round %d: lines only (no parser) %.0f MB/cpu-s%n", r, mb / ((os.getProcessCpuTime() - c0) / 1e9));
            t0 = System.nanoTime();
            c0 = os.getProcessCpuTime();
            ThreatScan scan = new ThreatScan(index);
            ScanSummary s2 = reader.read(in, fmt, ClientIpResolver.direct(), scan::newSink);
            ScanReport report = scan.report(s2);
            double scanSec = (System.nanoTime() - t0) / 1e9;
            double scanCpu = (os.getProcessCpuTime() - c0) / 1e9;
            System.out.printf("round %d: read %.0f MB/s wall, %.0f MB/cpu-s, %.2fM lines/cpu-s | read+intel %.0f MB/s wall, "
                            + "%.0f MB/cpu-s, %.2fM lines/cpu-s; %d flagged ips, %d flagged requests%n",
                    r, mb / readSec, mb / readCpu, s.lines() / readCpu / 1e6, mb / scanSec, mb / scanCpu,
                    s2.lines() / scanCpu / 1e6, report.summary().flaggedIps(), report.summary().flaggedRequests());
        }
    }
}
