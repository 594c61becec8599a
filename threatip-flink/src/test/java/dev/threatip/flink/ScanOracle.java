package dev.threatip.flink;

import dev.threatip.detect.Detector;
import dev.threatip.detect.ScanReport;
import dev.threatip.detect.ThreatScan;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.LogFormats;
import dev.threatip.log.LogInput;
import dev.threatip.log.LogReader;
import dev.threatip.log.ScanSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code threatip scan --output ndjson} says on the same lines, computed by the same code
 * the command runs ({@link LogReader} with the format selector, {@link ThreatScan} with the
 * built-in {@link Detector} and the snapshot), reduced to each flagged address's signature
 * (verdict kind and category=confidence pairs, as {@link IpVerdictFunction#signature}).
 */
final class ScanOracle {
    private ScanOracle() {
    }

    static Map<String, String> scan(Path dir, List<String> lines, Path intel) throws IOException {
        Path log = dir.resolve("scan-input.log");
        Files.write(log, lines, StandardCharsets.UTF_8);
        ThreatScan scan = new ThreatScan(ReputationIndex.open(intel), Detector.builtin(),
                ThreatScan.DEFAULT_MAX_TRACKED_IPS);
        ScanSummary summary = new LogReader(LogReader.Options.defaults()).read(LogInput.expand(List.of(log.toString())),
                LogFormats.selector("auto", null, null), ClientIpResolver.direct(), scan::newSink);
        ScanReport report = scan.report(summary);
        Map<String, String> out = new TreeMap<>();
        for (ScanReport.FlaggedIp ip : report.ips()) {
            out.put(ip.ip().toString(), IpVerdictFunction.signature(ip.verdict()));
        }
        return out;
    }

    /** A snapshot compiled now from a plain feed of {@code addresses}, category and confidence fixed by the spec. */
    static Path snapshot(Path dir, String name, List<String> addresses, String category, String confidence) throws IOException {
        Path feed = dir.resolve(name + ".txt");
        Files.write(feed, addresses, StandardCharsets.UTF_8);
        Path out = dir.resolve(name + ".tis");
        FeedSource source = new FeedSource(dir.resolve("cache-" + name), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        new FeedCompiler(FeedCompiler.Options.defaults()).compile(source.resolve(FeedSpec.parse(feed + ",name=" + name
                + ",category=" + category + ",confidence=" + confidence)), out);
        return out;
    }
}
