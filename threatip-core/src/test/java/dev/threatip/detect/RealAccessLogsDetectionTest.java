package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.FileSummary;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogFormats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real access logs in {@code shared/data/logs}, each scanned as {@code threatip scan --format
 * auto} would: detection per file, the built-in rules, a tiny unrelated intel snapshot. Prints per
 * file the lines, the share parsed and the flagged IPs by category (what is flagged in real
 * traffic is for people to judge; the table makes a change in it visible), and asserts that
 * every file whose format is registered is detected as that format and parsed to at least
 * 99.9%. Files of formats not yet in {@link LogFormats#names()} are skipped with a message;
 * error and syslog files must not be misread as access logs.
 */
class RealAccessLogsDetectionTest {
    /** File under the logs folder → the format it is written in; null: not an access log. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("apache/elastic_apache_logs.log.gz", "combined");
        FILES.put("apache/hackers-access.log.gz", "combined");
        FILES.put("nginx/zanbil_shop_access_1000.log", "combined");
        FILES.put("cloudflare/lnav_cloudflare_logpush_sample.jsonl", "cloudflare");
        FILES.put("iis/w3c_iis_big.log", "w3c");
        FILES.put("zeek/zeek_http.log", "zeek");
        FILES.put("aws/aws_alb_nlb_sample.log", "aws-alb");
        FILES.put("aws/aws_cloudfront_sample.log", "aws-cloudfront");
        FILES.put("loghub/Apache_2k.log", null);
        FILES.put("loghub/OpenSSH_2k.log", null);
    }

    @TempDir
    Path work;

    @Test
    void scan_realAccessLogs_detectedParsedAndFlagsReported() throws IOException {
        Path logs = RealLogs.dir();
        assumeTrue(logs != null, "shared data folder absent");
        ReputationIndex index = RealLogs.tinyIndex(work);
        FormatSelector auto = LogFormats.selector("auto", null, null);
        StringBuilder table = new StringBuilder(String.format("%n%-48s %-11s %7s %8s %7s  %s%n", "file", "format", "lines",
                "parsed%", "flagged", "flagged IPs by category (high/moderate/general)"));
        List<String> failures = new ArrayList<>();
        int scanned = 0;
        for (Map.Entry<String, String> e : FILES.entrySet()) {
            Path file = logs.resolve(e.getKey());
            String expected = e.getValue();
            if (!Files.exists(file)) {
                table.append(String.format("%-48s skipped: file absent%n", e.getKey()));
                continue;
            }
            if (expected != null && !LogFormats.names().contains(expected)) {
                table.append(String.format("%-48s skipped: format '%s' is not registered in LogFormats (known: %s)%n",
                        e.getKey(), expected, String.join(", ", LogFormats.names())));
                continue;
            }
            RealLogs.Scan scan = RealLogs.scan(file, auto, index, false);
            FileSummary f = scan.file();
            scanned++;
            if (expected == null) {
                table.append(String.format("%-48s %-11s %7s %8s %7s  not an access log: %s%n", e.getKey(), f.format(), "-", "-", "-",
                        f.problem()));
                if (f.problem() == null) {
                    failures.add(e.getKey() + " is not an access log but was read as " + f.format());
                }
                continue;
            }
            double share = f.lines() == 0 ? 0 : (double) f.parsed() / f.lines();
            table.append(String.format("%-48s %-11s %7d %7.2f%% %7d  %s%n", e.getKey(), f.format(), f.lines(), 100 * share,
                    scan.report().ips().size(), byCategory(scan.report())));
            if (!expected.equals(f.format())) {
                failures.add(e.getKey() + ": detected as " + f.format() + " (" + f.formatReason() + "), expected " + expected);
            } else if (f.lines() == 0 || share < 0.999) {
                failures.add(e.getKey() + ": only " + f.parsed() + " of " + f.lines() + " lines parsed");
            }
        }
        System.out.println(table);
        assumeTrue(scanned > 0, "no real log files present");
        assertTrue(failures.isEmpty(), failures + table.toString());
    }

    /** {@code scanner 12 (3/5/4), web_attack 2 (0/2/0)}: IPs per category, split by confidence. */
    private static String byCategory(ScanReport report) {
        Map<String, int[]> counts = new TreeMap<>();
        for (ScanReport.FlaggedIp ip : report.ips()) {
            for (CategoryVerdict c : ip.verdict().categories()) {
                int[] n = counts.computeIfAbsent(c.category().wireName(), k -> new int[3]);
                n[2 - c.confidence().ordinal()]++;
            }
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((cat, n) -> parts.add(cat + " " + (n[0] + n[1] + n[2]) + " (" + n[0] + "/" + n[1] + "/" + n[2] + ")"));
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }
}
