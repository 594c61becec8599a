package dev.threatip.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A quick single-thread throughput check of this suite's parsers, not a test and not a
 * benchmark of record (those are JMH, in threatip-bench): builds a buffer of about 1M event lines
 * per format from its golden inputs, parses it a few times after warm-up, prints lines/s. Run
 * after {@code mvn -o -pl threatip-core test-compile} with
 * {@code java -cp threatip-core/target/classes:threatip-core/target/test-classes dev.threatip.log.ParserThroughputB}.
 */
final class ParserThroughputB {
    private ParserThroughputB() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("threatip-core/src/test/resources/logs/golden-b");
        for (Map.Entry<String, LogFormat> e : LogFormatGoldenBTest.FORMATS.entrySet()) {
            if (e.getKey().equals("iis")) {
                continue;
            }
            byte[] corpus = corpus(root.resolve(e.getKey()), e.getValue());
            int[] bounds = lineBounds(corpus);
            LineFields fields = new LineFields();
            long best = Long.MAX_VALUE;
            int events = 0;
            for (int round = 0; round < 8; round++) {
                LineParser parser = e.getValue().newParser();
                events = 0;
                long t0 = System.nanoTime();
                for (int i = 0; i < bounds.length; i += 2) {
                    fields.reset();
                    if (parser.parse(corpus, bounds[i], bounds[i + 1], fields) == LineParser.Outcome.EVENT) {
                        events++;
                    }
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            int lines = bounds.length / 2;
            System.out.printf("%-15s %,9d lines (%,d events) %6.1f MB  %,12.0f lines/s  %6.0f MB/s%n", e.getKey(), lines,
                    events, corpus.length / 1e6, lines / (best / 1e9), corpus.length / 1e6 / (best / 1e9));
        }
    }

    private static final Map<String, String> CASES = Map.of("aws-alb", "alb-request-types", "aws-cloudfront",
            "standard-33-fields", "w3c", "iis-default-fields", "zeek", "http-log", "tencent-clb", "layer7-access",
            "tencent-cdn", "offline-log", "tencent-cos", "bucket-access", "tencent-apigw", "service-log");

    /** One golden case's directive lines, then its event lines repeated to 1M lines. */
    private static byte[] corpus(Path dir, LogFormat format) throws IOException {
        Path input = dir.resolve(CASES.get(dir.getFileName().toString())).resolve("input.log");
        List<String> outcomes = LogFormatGoldenBTest.parseAll(format, Files.readAllBytes(input));
        List<String> lines = Files.readAllLines(input, StandardCharsets.ISO_8859_1);
        StringBuilder header = new StringBuilder();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (outcomes.get(i).equals("DIRECTIVE")) {
                header.append(lines.get(i)).append('\n');
            } else if (outcomes.get(i).startsWith("EVENT")) {
                events.add(lines.get(i));
            }
        }
        StringBuilder sb = new StringBuilder(header);
        for (int n = 0; n < 1_000_000; n++) {
            sb.append(events.get(n % events.size())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int[] lineBounds(byte[] b) {
        List<int[]> list = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                list.add(new int[] {s, i});
                s = i + 1;
            }
        }
        int[] out = new int[list.size() * 2];
        for (int i = 0; i < list.size(); i++) {
            out[2 * i] = list.get(i)[0];
            out[2 * i + 1] = list.get(i)[1];
        }
        return out;
    }
}
