package dev.threatip.report;

import dev.threatip.detect.ScanReport;
import dev.threatip.intel.CategoryVerdict;
import java.io.IOException;
import java.io.Writer;
import java.util.stream.Collectors;

/**
 * The {@code scan} report as CSV (RFC 4180): a header, then one row per flagged client:
 * {@code ip,verdict,level,categories,hits,first_seen,last_seen,top_path}, categories as
 * {@code scanner:high;network_attack:moderate}. Logged paths are attacker-controlled, so a cell a
 * spreadsheet would run as a formula is prefixed with {@code '}.
 */
public final class ScanReportCsv {
    /** The header row. */
    public static final String HEADER = "ip,verdict,level,categories,hits,first_seen,last_seen,top_path";

    private ScanReportCsv() {
    }

    public static void write(ScanReport report, Writer out) throws IOException {
        out.write(HEADER);
        out.write("\r\n");
        for (ScanReport.FlaggedIp ip : report.ips()) {
            String categories = ip.verdict().categories().stream()
                    .map((CategoryVerdict c) -> c.category().wireName() + ":" + c.confidence().wireName())
                    .collect(Collectors.joining(";"));
            String[] row = {
                ip.ip().toString(), ip.verdict().kind().wireName(), ip.level().wireName(), categories,
                Long.toString(ip.hits()), ip.firstSeen() == null ? "" : ip.firstSeen().toString(),
                ip.lastSeen() == null ? "" : ip.lastSeen().toString(),
                ip.topPaths().isEmpty() ? "" : ip.topPaths().get(0).path()
            };
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(cell(row[i]));
            }
            out.write("\r\n");
        }
    }

    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !v.equals("-")) {
            v = "'" + v;
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
