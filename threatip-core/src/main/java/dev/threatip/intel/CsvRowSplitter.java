package dev.threatip.intel;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV record into fields as RFC 4180 says: a field is either bare (no quotes in it)
 * or wholly quoted, where it may hold delimiters, line breaks and quotes doubled ({@code ""}).
 * Strict, because a feed that breaks quoting is more likely broken than creative: a quote
 * inside a bare field or text after a closing quote is refused. One pass, no backtracking.
 *
 * <p>A record may span physical lines when a quoted field holds a line break; readers join
 * lines (with {@code \n}) while {@link #isComplete} says a quote is still open.
 */
final class CsvRowSplitter {
    private CsvRowSplitter() {
    }

    /**
     * The fields of {@code record}, unquoted; an empty record is one empty field.
     *
     * @throws IllegalArgumentException saying what is wrong and at which character
     */
    static List<String> split(String record, char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = record.length();
        while (true) {
            field.setLength(0);
            if (i < n && record.charAt(i) == '"') {
                int open = i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("quoted field opened at character " + (open + 1)
                                + " is not closed");
                    }
                    char c = record.charAt(i++);
                    if (c == '"') {
                        if (i < n && record.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < n && record.charAt(i) != delimiter) {
                    throw new IllegalArgumentException("text after the closing quote at character " + (i + 1));
                }
            } else {
                while (i < n && record.charAt(i) != delimiter) {
                    char c = record.charAt(i);
                    if (c == '"') {
                        throw new IllegalArgumentException("quote inside an unquoted field at character " + (i + 1));
                    }
                    field.append(c);
                    i++;
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the delimiter
        }
    }

    /** Whether {@code record} closes every quote it opens, i.e. does not continue on the next line. */
    static boolean isComplete(CharSequence record) {
        boolean inQuotes = false;
        for (int i = 0; i < record.length(); i++) {
            if (record.charAt(i) == '"') {
                inQuotes = !inQuotes; // a doubled quote toggles twice: no change, as it should
            }
        }
        return !inQuotes;
    }
}
