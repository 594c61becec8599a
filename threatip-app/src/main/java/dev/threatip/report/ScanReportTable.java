package dev.threatip.report;

import dev.threatip.detect.ScanReport;
import dev.threatip.intel.CategoryVerdict;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code scan} report as a terminal table: IP, verdict, level, categories with confidence,
 * hits and top path, then a summary line. Paths and other logged text are attacker-controlled:
 * control characters are shown as {@code \xNN} so a line cannot drive the terminal.
 */
public final class ScanReportTable {
    private static final int MAX_CELL = 48;
    private static final String[] HEADER = {"IP", "VERDICT", "LEVEL", "CATEGORIES", "HITS", "TOP PATH"};

    private ScanReportTable() {
    }

    public static void write(ScanReport report, Writer out) throws IOException {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ScanReport.FlaggedIp ip : report.ips()) {
            rows.add(new String[] {
                ip.ip().toString(), ip.verdict().kind().wireName(), ip.level().wireName(),
                ip.verdict().categories().stream()
                        .map((CategoryVerdict c) -> c.category().wireName() + " (" + c.confidence().wireName() + ")")
                        .collect(Collectors.joining(", ")),
                Long.toString(ip.hits()),
                ip.topPaths().isEmpty() ? "-" : ip.topPaths().get(0).path() + " (" + ip.topPaths().get(0).count() + ")"
            });
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                r[i] = printable(r[i]);
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean number = i == 4 && r != HEADER;
                String pad = " ".repeat(width[i] - r[i].length());
                sb.append(number ? pad + r[i] : r[i] + (i == r.length - 1 ? "" : pad));
                if (i < r.length - 1) {
                    sb.append("  ");
                }
            }
            out.write(sb.toString().stripTrailing());
            out.write('\n');
        }
        ScanReport.Summary s = report.summary();
        out.write(String.format("%n%d flagged IPs, %d flagged requests; %d lines (%d parsed, %d unparsed) in %d file%s, %d ms%n",
                s.flaggedIps(), s.flaggedRequests(), s.lines(), s.parsed(), s.unparsed(), s.files(),
                s.files() == 1 ? "" : "s", s.elapsedMillis()));
        if (report.ips().size() < s.flaggedIps()) {
            out.write(String.format("(%d shown at or above --min-level)%n", report.ips().size()));
        }
    }

    /** Control characters as {@code \xNN}, long cells cut with an ellipsis. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CELL + 8));
        for (int i = 0; i < s.length() && sb.length() < MAX_CELL; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= MAX_CELL && s.length() > MAX_CELL) {
            sb.setLength(MAX_CELL - 1);
            sb.append('…');
        }
        return sb.toString();
    }
}
