package dev.threatip.intel;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records from a character stream: fields split by one delimiter, double-quoted fields
 * that may hold delimiters, line breaks and doubled quotes, CRLF or LF, a leading byte-order
 * mark ignored. Each record carries the line it starts on, so a record whose quoted field spans
 * lines is reported where it begins. Unquoted fields are stripped of surrounding blanks; quoted
 * ones are kept as written.
 *
 * <p>Lenient by default where real exports are sloppy (a quote inside an unquoted field is kept
 * as text); {@linkplain #strict strict} readers refuse that too, for formats such as MISP's CSV
 * export whose writer always quotes. Strict where it matters for safety in both modes: a record
 * longer than {@value #MAX_RECORD} characters, an unterminated quote or text after a closing
 * quote is returned as broken, and reading resumes at the next line break, so one stray quote
 * cannot swallow the rest of a feed into memory.
 */
final class CsvRecords {
    /**
     * The longest record, in characters, across all its lines: 64 KiB. One record of an IOC
     * export (an address, its type, a few tags and a comment) is well under a kilobyte, so a
     * longer one is a broken or hostile file, and the bound keeps it from being read into memory.
     */
    static final int MAX_RECORD = 65_536;

    /**
     * One record: its fields, the line it starts on, and why it is broken (null when it is not).
     * A record longer than {@link #MAX_RECORD} has no fields ({@link #tooLong()}); another broken
     * one has the fields read as well as they could be.
     */
    record Row(List<String> fields, long line, String error) {
        /** Whether the record is an empty line. */
        boolean isBlank() {
            return error == null && fields.size() == 1 && fields.get(0).isBlank();
        }

        /** Whether the record was longer than {@link #MAX_RECORD} and skipped unread. */
        boolean tooLong() {
            return error != null && fields.isEmpty();
        }
    }

    private final Reader in;
    private final char delimiter;
    private final boolean strictQuotes;
    private final char[] buf = new char[1 << 14];
    private int pos;
    private int len;
    private long line = 1;

    /**
     * A lenient reader: a quote inside an unquoted field is kept as text.
     *
     * @throws IllegalArgumentException when {@code delimiter} is a quote or a line break
     */
    CsvRecords(Reader in, char delimiter) {
        this(in, delimiter, false);
    }

    private CsvRecords(Reader in, char delimiter, boolean strictQuotes) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter must not be a quote or a line break");
        }
        this.in = in;
        this.delimiter = delimiter;
        this.strictQuotes = strictQuotes;
    }

    /**
     * A strict reader: a quote inside an unquoted field makes the record broken
     * ({@code quote inside an unquoted field at character N}), as RFC 4180 says.
     *
     * @throws IllegalArgumentException when {@code delimiter} is a quote or a line break
     */
    static CsvRecords strict(Reader in, char delimiter) {
        return new CsvRecords(in, delimiter, true);
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
            } else if (c == '"' && strictQuotes && !wasQuoted) {
                error = error != null ? error : "quote inside an unquoted field at character " + chars;
                field.append('"');
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
