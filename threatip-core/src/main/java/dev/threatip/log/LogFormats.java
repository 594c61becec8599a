package dev.threatip.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of log formats: every built-in format by name, user formats compiled from an
 * nginx {@code log_format} or Apache {@code LogFormat} string, and detection of a file's format
 * from its first lines.
 *
 * <p>Detection tries every built-in format on the sample, in the order listed here (specific
 * before general), and takes the one that parses the most of it as events; ties go to the
 * earlier format. A sample of which no format parses at least half is left undetected and the
 * file is reported instead of being misread.
 */
public final class LogFormats {
    /** Built-in formats in detection order; the function gets the {@code --ip-field}, or null. */
    private static final Map<String, Function<String, LogFormat>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("cloudflare", ipField -> CloudflareLogpushFormat.instance());
        // JSON lines: also Tencent EdgeOne offline logs and CDN real-time logs (their member names are candidates).
        BUILT_IN.put("json", ipField -> ipField == null ? JsonLinesFormat.defaults() : JsonLinesFormat.withIpField(ipField));
        BUILT_IN.put("aws-cloudfront", ipField -> new CloudFrontFormat());
        BUILT_IN.put("zeek", ipField -> new ZeekHttpFormat());
        BUILT_IN.put("w3c", ipField -> new W3cFormat());
        BUILT_IN.put("aws-alb", ipField -> new AwsAlbFormat());
        BUILT_IN.put("tencent-apigw", ipField -> new TencentApiGatewayFormat());
        BUILT_IN.put("tencent-clb", ipField -> new TencentClbFormat());
        BUILT_IN.put("tencent-cos", ipField -> new TencentCosFormat());
        BUILT_IN.put("tencent-cdn", ipField -> new TencentCdnFormat());
        BUILT_IN.put("combined", ipField -> CombinedFormat.combined());
        BUILT_IN.put("common", ipField -> CombinedFormat.common());
    }

    /** Other names of built-in formats: accepted by {@link #named}, never tried twice by detection. */
    private static final Map<String, String> ALIASES = Map.of("iis", "w3c");

    private LogFormats() {
    }

    private static String aliasesText() {
        StringBuilder sb = new StringBuilder();
        ALIASES.forEach((alias, name) -> sb.append(sb.length() == 0 ? "" : ", ").append(alias).append(" = ").append(name));
        return sb.toString();
    }

    /** The names of the built-in formats, in detection order (aliases such as {@code iis} excluded). */
    public static List<String> names() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /**
     * A built-in format by name.
     *
     * @param ipField the field holding the client address, for JSON formats; null for the default
     * @throws IllegalArgumentException naming the unknown format and the known ones
     */
    public static LogFormat named(String name, String ipField) {
        Function<String, LogFormat> f = BUILT_IN.get(ALIASES.getOrDefault(name, name));
        if (f == null) {
            throw new IllegalArgumentException("unknown format '" + name + "'; known: auto, "
                    + String.join(", ", BUILT_IN.keySet()) + " (aliases: " + aliasesText() + ")");
        }
        return f.apply(ipField);
    }

    /**
     * A format compiled from a user's format string: an nginx {@code log_format} (it has
     * {@code $variables}) or an Apache {@code LogFormat} (it has {@code %directives}).
     *
     * @throws IllegalArgumentException naming what in the string is not understood
     */
    public static LogFormat compile(String formatString) {
        if (formatString.indexOf('$') >= 0) {
            return NginxLogFormat.compile(formatString);
        }
        if (formatString.indexOf('%') >= 0) {
            return ApacheLogFormat.compile(formatString);
        }
        throw new IllegalArgumentException("not an nginx log_format ($variables) or Apache LogFormat (%directives): '"
                + formatString + "'");
    }

    /**
     * The selector for the command line's {@code --format}, {@code --log-format} and {@code --ip-field}.
     *
     * @param format    {@code auto} or a format name
     * @param logFormat a user format string, or null; wins over {@code format}
     * @param ipField   the client-address field of JSON logs, or null
     */
    public static FormatSelector selector(String format, String logFormat, String ipField) {
        if (logFormat != null) {
            return FormatSelector.fixed(compile(logFormat));
        }
        if (format == null || format.equals("auto")) {
            return (input, lines) -> detect(lines, ipField);
        }
        return FormatSelector.fixed(named(format, ipField));
    }

    /** Detects the format of a sample of first lines; see the class comment. */
    public static FormatChoice detect(List<String> sample, String ipField) {
        List<byte[]> lines = new ArrayList<>(sample.size());
        for (String s : sample) {
            if (!s.isBlank()) {
                lines.add(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (lines.isEmpty()) {
            return FormatChoice.none("no lines to detect a format from");
        }
        LogFormat best = null;
        int bestEvents = 0;
        int bestConsidered = 0;
        LineFields fields = new LineFields();
        for (String name : BUILT_IN.keySet()) {
            LogFormat format = named(name, ipField);
            LineParser parser = format.newParser();
            int events = 0;
            int considered = 0;
            for (byte[] line : lines) {
                fields.reset();
                LineParser.Outcome o = parser.parse(line, 0, line.length, fields);
                if (o == LineParser.Outcome.EVENT) {
                    events++;
                }
                if (o != LineParser.Outcome.DIRECTIVE) {
                    considered++;
                }
            }
            if (considered > 0 && events * 2 >= considered && events > bestEvents) {
                best = format;
                bestEvents = events;
                bestConsidered = considered;
            }
        }
        if (best == null) {
            return FormatChoice.none("no known format parses half of the first " + lines.size()
                    + " lines; name one with --format or give --log-format");
        }
        return new FormatChoice(best, "detected, " + bestEvents + " of " + bestConsidered + " lines match");
    }
}
