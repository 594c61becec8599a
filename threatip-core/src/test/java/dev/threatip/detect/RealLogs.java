package dev.threatip.detect;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.EventSink;
import dev.threatip.log.FileSummary;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogInput;
import dev.threatip.log.LogReader;
import dev.threatip.log.ScanSummary;
import dev.threatip.net.AddressClass;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The real logs of the shared data folder, read through the production pipeline: {@link LogReader},
 * a {@link FormatSelector} over {@code LogFormats}, {@link ThreatScan} with the built-in rules.
 * Nothing is copied into the project; tests skip when the folder is absent.
 */
final class RealLogs {
    private RealLogs() {
    }

    /** {@code shared/data/logs} beside the checkout (main or a worktree), or {@code /work/shared}; null when absent. */
    static Path dir() {
        for (Path p : List.of(Path.of("../../shared/data"), Path.of("../../../shared/data"), Path.of("/work/shared/data"))) {
            if (Files.isDirectory(p.resolve("logs"))) {
                return p.resolve("logs");
            }
        }
        return null;
    }

    /**
     * A one-entry snapshot (203.0.113.254, found in none of the real logs), so every flag in a
     * report comes from the rules while the intel path still runs.
     */
    static ReputationIndex tinyIndex(Path work) throws IOException {
        Path feed = work.resolve("tiny-ipsum.txt");
        Files.writeString(feed, "203.0.113.254\t8\n");
        Clock clock = Clock.systemUTC();
        Path out = work.resolve("tiny.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withClock(clock).withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(new FeedSource(work.resolve("cache"), clock, FeedSource.FetchSettings.defaults())
                        .resolve(FeedSpec.parse(feed.toString())), out);
        return ReputationIndex.open(out);
    }

    /**
     * What one scan of one file found.
     *
     * @param clients the resolved client of every parsed line, by line number (only when asked for)
     */
    record Scan(FileSummary file, ScanReport report, Map<Long, IpAddress> clients) {
    }

    /** Scans one file with one reader thread (the machine is shared; the files are small). */
    static Scan scan(Path file, FormatSelector selector, ReputationIndex index, boolean recordClients) throws IOException {
        ThreatScan scan = new ThreatScan(index, Detector.builtin(), ThreatScan.DEFAULT_MAX_TRACKED_IPS);
        Map<Long, IpAddress> refs = Collections.synchronizedMap(new TreeMap<>());
        ScanSummary summary = new LogReader(LogReader.Options.defaults().withThreads(1)).read(List.of(LogInput.of(file)),
                selector, ClientIpResolver.direct(), () -> {
                    EventSink inner = scan.newSink();
                    if (!recordClients) {
                        return inner;
                    }
                    return (f, line, start, end, ref) -> {
                        refs.put(ref, new IpAddress(f.clientHi, f.clientLo));
                        inner.accept(f, line, start, end, ref);
                    };
                });
        Map<Long, IpAddress> clients = new TreeMap<>();
        refs.forEach((ref, ip) -> clients.put(summary.position(ref).line(), ip));
        return new Scan(summary.fileSummaries().get(0), scan.report(summary), clients);
    }
}
