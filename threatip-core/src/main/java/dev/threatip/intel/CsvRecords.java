package dev.threatip.intel;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from a character stream: fields split by one delimiter, double-quoted fields
 * that may hold delimiters, line breaks and doubled quotes, CRLF or LF. Lenient where real
 * exports are sloppy (a quote inside an unquoted field is kept as text), strict where it matters
 * for safety: a record longer than {@value #MAX_RECORD} characters or an unterminated quote is
 * returned as broken, and reading resumes at the next line break, so one stray quote cannot
 * swallow the rest of a feed into memory.
 */
final class CsvRecords {
    /** The longest record, in characters. */
    static final int MAX_RECORD = 65_536;

    /** One record: its fields, the line it starts on, and why it is broken (null when it is not). */
    record Row(List<String> fields, long line, String error) {
        /** Whether the record is an empty line. */
        boolean isBlank() {
            return error == null && fields.size() == 1 && fields.get(0).isBlank();
        }
    }

    private final Reader in;
    private final char delimiter;
    private final char[] buf = new char[1 << 14];
    private int pos;
    private int len;
    private long line = 1;

    CsvRecords(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    private int read() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /** The next record, or null at the end of the input. */
    Row next() throws IOException {
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;       // inside a quoted field
        boolean afterQuote = false;   // just read a quote inside a quoted field
        boolean wasQuoted = false;    // the current field was quoted (its blanks are kept)
        String error = null;
        int chars = 0;
        int c = read();
        if (c == -1) {
            return null;
        }
        if (start == 1 && c == '\uFEFF' && fields.isEmpty()) {
            c = read();
        }
        for (; ; c = read()) {
            if (c == -1) {
                if (quoted && !afterQuote) {
                    error = "unterminated quoted field";
                }
                fields.add(finish(field, wasQuoted));
                return new Row(fields, start, error);
            }
            if (++chars > MAX_RECORD) {
                skipLine();
                return new Row(List.of(), start, "record longer than " + MAX_RECORD + " characters");
            }
            if (c == '\n') {
                line++;
                if (!quoted || afterQuote) {
                    fields.add(finish(field, wasQuoted));
                    return new Row(fields, start, error);
                }
                field.append('\n');
                continue;
            }
            if (quoted && !afterQuote) {
                if (c == '"') {
                    afterQuote = true;
                } else {
                    field.append((char) c);
                }
                continue;
            }
            if (afterQuote) {
                if (c == '"') {
                    field.append('"');
                    afterQuote = false;
                    continue;
                }
                quoted = false;
                afterQuote = false;
                if (c != delimiter && c != '\r') {
                    error = error != null ? error : "text after a closing quote";
                }
            }
            if (c == delimiter) {
                fields.add(finish(field, wasQuoted));
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
    }

    private static String finish(StringBuilder field, boolean wasQuoted) {
        return wasQuoted ? field.toString() : field.toString().strip();
    }

    private void skipLine() throws IOException {
        for (int c = read(); c != -1; c = read()) {
            if (c == '\n') {
                line++;
                return;
            }
        }
    }
}
