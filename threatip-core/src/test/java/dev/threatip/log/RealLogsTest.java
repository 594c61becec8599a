package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The parsers against the real logs in the shared data folder ({@code ../../shared/data} from
 * the module in the main checkout, or {@code /work/shared/data}); skipped when it is absent.
 * Prints per-file counts so a drop in coverage is visible before it fails the threshold.
 */
class RealLogsTest {
    static Path dataDir() {
        for (Path p : List.of(Path.of("../../shared/data"), Path.of("../../../shared/data"), Path.of("/work/shared/data"))) {
            if (Files.isDirectory(p.resolve("logs"))) {
                return p.resolve("logs");
            }
        }
        return null;
    }

    @Test
    void parse_realApacheAndNginxCombinedLogs_atLeast999PerMilleEvents() throws IOException {
        Path logs = dataDir();
        assumeTrue(logs != null, "shared data folder not present");
        List<Path> files;
        try (Stream<Path> apache = Files.list(logs.resolve("apache"))) {
            files = Stream.concat(apache.filter(p -> p.toString().endsWith(".gz")).sorted(),
                    Stream.of(logs.resolve("nginx/zanbil_shop_access_1000.log"))).filter(Files::exists).toList();
        }
        assumeTrue(!files.isEmpty(), "no apache or nginx samples");
        for (Path f : files) {
            long[] c = count(CombinedFormat.combined(), f);
            double share = (double) c[0] / c[2];
            System.out.printf("%s: %d lines, %d events, %d malformed (%.3f%%)%n", f.getFileName(), c[2], c[0], c[1], 100 * share);
            assertTrue(c[2] > 0 && share >= 0.999, f + ": only " + c[0] + " of " + c[2] + " lines parsed");
        }
    }

    @Test
    void parse_realCloudflareLogpushSample_allEvents() throws IOException {
        Path logs = dataDir();
        assumeTrue(logs != null, "shared data folder not present");
        Path f = logs.resolve("cloudflare/lnav_cloudflare_logpush_sample.jsonl");
        assumeTrue(Files.exists(f), "no cloudflare sample");
        for (LogFormat format : List.of(CloudflareLogpushFormat.instance(), JsonLinesFormat.defaults())) {
            long[] c = count(format, f);
            System.out.printf("%s as %s: %d lines, %d events%n", f.getFileName(), format, c[2], c[0]);
            assertTrue(c[2] > 0 && c[0] == c[2], f + " as " + format + ": " + c[0] + " of " + c[2] + " lines parsed");
        }
    }

    /** {events, malformed, lines} of one file, time and status required of events. */
    private static long[] count(LogFormat format, Path file) throws IOException {
        byte[] all;
        try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            all = in.readAllBytes();
        }
        LineParser parser = format.newParser();
        LineFields fields = new LineFields();
        long events = 0;
        long malformed = 0;
        long lines = 0;
        int from = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != '\n') {
                continue;
            }
            int to = i > from && all[i - 1] == '\r' ? i - 1 : i;
            fields.reset();
            LineParser.Outcome o = parser.parse(all, from, to, fields);
            lines++;
            if (o == LineParser.Outcome.EVENT && fields.timeMillis != LineFields.NONE && fields.status > 0
                    && !fields.remoteAddr.isEmpty()) {
                events++;
            } else if (o == LineParser.Outcome.MALFORMED) {
                malformed++;
                if (malformed <= 3) {
                    System.out.println("  unparsed: " + new String(all, from, Math.min(to - from, 200)));
                }
            }
            from = i + 1;
        }
        return new long[] {events, malformed, lines};
    }
}
