package dev.threatip.intel;

/** A feed catalog file that cannot be used: names the source, the field path and why. */
public final class InvalidCatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String field;

    /**
     * @param source the catalog's name (file path or resource)
     * @param field  the path of the offending field, e.g. {@code rules[3].reliability}, or empty
     * @param why    what is wrong, with the value and the allowed values
     */
    public InvalidCatalogException(String source, String field, String why) {
        super(source + (field.isEmpty() ? "" : ": " + field) + ": " + why);
        this.source = source;
        this.field = field;
    }

    /** The catalog's name. */
    public String source() {
        return source;
    }

    /** The path of the offending field, e.g. {@code rules[3].reliability}. */
    public String field() {
        return field;
    }
}
