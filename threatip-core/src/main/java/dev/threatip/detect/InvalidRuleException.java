package dev.threatip.detect;

/**
 * A rule file that cannot be used, raised once at load: names the file, the rule id (when the
 * problem is inside a rule), the field path, the line and column when known, and why — with the
 * offending value and the allowed values. Example:
 * {@code rules.yaml:14:18: rule 'my-probe': field 'filter.path.contain_any': unknown operator
 * 'contain_any'; known: contains_any, …}.
 */
public final class InvalidRuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String ruleId;
    private final String field;
    private final int line;
    private final int column;

    /**
     * @param file   the rule file (path or {@code builtin:…} resource)
     * @param ruleId the rule's id, or null when the problem is outside a rule
     * @param field  the path of the offending field, e.g. {@code thresholds.high}, or empty
     * @param why    what is wrong, with the value and the allowed values
     * @param line   1-based line, or 0 when unknown
     * @param column 1-based column, or 0 when unknown
     */
    public InvalidRuleException(String file, String ruleId, String field, String why, int line, int column) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": "
                + (ruleId == null ? "" : "rule '" + ruleId + "': ")
                + (field == null || field.isEmpty() ? "" : "field '" + field + "': ") + why);
        this.file = file;
        this.ruleId = ruleId;
        this.field = field == null ? "" : field;
        this.line = line;
        this.column = column;
    }

    /** The rule file. */
    public String file() {
        return file;
    }

    /** The rule's id, or null when the problem is outside any rule. */
    public String ruleId() {
        return ruleId;
    }

    /** The path of the offending field within the rule (or file), or empty. */
    public String field() {
        return field;
    }

    /** The 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column, 0 when unknown. */
    public int column() {
        return column;
    }
}
