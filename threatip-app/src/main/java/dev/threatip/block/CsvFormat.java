package dev.threatip.block;

/**
 * Every decision as an RFC 4180 row (CRLF), with a header:
 * {@value #HEADER}. Reasons are attacker-influenced: cells are quoted as needed, line breaks
 * become spaces and a cell a spreadsheet would run as a formula is prefixed with {@code '}.
 */
final class CsvFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.records(
            "csv",
            "CSV: one row per decision",
            "text/csv; charset=utf-8",
            ".csv",
            Capacity.unlimited("a CSV file has no limit"));

    /** The header row. */
    static final String HEADER = "id,scope,type,origin,created,expires,reason,policy,category,confidence,hits,offence";

    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        out.append(HEADER).append("\r\n");
        for (Selection.Entry e : s.entries()) {
            Decision d = e.decision();
            String[] row = {
                Long.toString(d.id()), d.scope().toString(), d.type().wireName(), d.origin().wireName(),
                d.created().toString(), d.expires().toString(), d.reason(), d.policy(),
                d.category() == null ? null : d.category().wireName(),
                d.confidence() == null ? null : d.confidence().wireName(), Long.toString(d.hits()),
                Integer.toString(d.offence())
            };
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(SafeText.csvCell(row[i]));
            }
            out.append("\r\n");
        }
    }
}
