package dev.threatip.policy;

/**
 * A policy file that cannot be used, raised once at load: names the file, the key path, the line
 * and column when known, and why — with the offending value and the allowed values. Example:
 * {@code policy.yaml:7:14: matrix.scanner.high: unknown action 'deny'; known: allow, monitor,
 * js_challenge, managed_challenge, block}.
 */
public final class InvalidPolicyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String key;
    private final int line;
    private final int column;

    /**
     * @param file   the policy file
     * @param key    the dotted path of the offending key, or empty
     * @param why    what is wrong, with the value and the allowed values
     * @param line   1-based line, or 0 when unknown
     * @param column 1-based column, or 0 when unknown
     */
    public InvalidPolicyException(String file, String key, String why, int line, int column) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": "
                + (key == null || key.isEmpty() ? "" : key + ": ") + why);
        this.file = file;
        this.key = key == null ? "" : key;
        this.line = line;
        this.column = column;
    }

    /** The policy file. */
    public String file() {
        return file;
    }

    /** The dotted path of the offending key, or empty. */
    public String key() {
        return key;
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
