package dev.threatip.intel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvRecordsTest {
    @Test
    void next_quotedFieldWithDelimitersAndDoubledQuotes_isOneField() throws IOException {
        assertEquals(List.of("198.51.100.1", "say \"hi\", twice", ""),
                only(strict("198.51.100.1,\"say \"\"hi\"\", twice\",\n")).fields());
    }

    @Test
    void next_emptyFieldsAndEmptyRecord_areKept() throws IOException {
        assertEquals(List.of("", "", ""), only(strict(",,\n")).fields());
        CsvRecords.Row empty = only(strict("\n"));
        assertEquals(List.of(""), empty.fields());
        assertTrue(empty.isBlank());
        assertEquals(List.of("a", ""), only(strict("a,\"\"\n")).fields());
    }

    @Test
    void next_otherDelimiter_splitsOnlyThere() throws IOException {
        assertEquals(List.of("a,b", "c"), only(CsvRecords.strict(new StringReader("a,b;c"), ';')).fields());
    }

    @Test
    void new_quoteOrLineBreakDelimiter_isRefused() {
        for (char d : new char[] {'"', '\n', '\r'}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CsvRecords(new StringReader("a"), d));
            assertTrue(e.getMessage().contains("must not be a quote or a line break"), e.getMessage());
        }
    }

    @Test
    void next_strictQuoteInsideBareField_isBroken() throws IOException {
        CsvRecords.Row row = only(strict("a,b\"c\n"));
        assertTrue(row.error().contains("quote inside an unquoted field at character 4"), row.error());
    }

    @Test
    void next_lenientQuoteInsideBareField_isText() throws IOException {
        CsvRecords.Row row = only(new CsvRecords(new StringReader("a,b\"c\n"), ','));
        assertNull(row.error());
        assertEquals(List.of("a", "b\"c"), row.fields());
    }

    @Test
    void next_textAfterClosingQuote_isBroken() throws IOException {
        for (CsvRecords records : List.of(strict("\"a\"b,c\n"), new CsvRecords(new StringReader("\"a\"b,c\n"), ','))) {
            CsvRecords.Row row = only(records);
            assertTrue(row.error().contains("text after a closing quote"), row.error());
        }
    }

    @Test
    void next_unclosedQuote_isBroken() throws IOException {
        CsvRecords.Row row = only(strict("a,\"b"));
        assertTrue(row.error().contains("unterminated quoted field"), row.error());
    }

    @Test
    void next_quoteOpenAtEndOfLine_continuesOnNextLine() throws IOException {
        List<CsvRecords.Row> rows = all(strict("a,\"multi\nline\",b\nc,\"\"\"\"\r\nd\n"));
        assertEquals(3, rows.size());
        assertEquals(List.of("a", "multi\nline", "b"), rows.get(0).fields());
        assertEquals(1, rows.get(0).line());
        assertEquals(List.of("c", "\""), rows.get(1).fields());
        assertEquals(3, rows.get(1).line());
        assertEquals(List.of("d"), rows.get(2).fields());
        assertEquals(4, rows.get(2).line());
    }

    @Test
    void next_byteOrderMark_isSkipped() throws IOException {
        assertEquals(List.of("type", "value"), only(strict("\uFEFFtype,value\r\n")).fields());
    }

    @Test
    void next_recordLongerThanMax_isBrokenAndReadingResumesAtNextLine() throws IOException {
        List<CsvRecords.Row> rows = all(strict("x".repeat(CsvRecords.MAX_RECORD + 1) + "\nafter\n"));
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).tooLong());
        assertTrue(rows.get(0).error().contains("record longer than " + CsvRecords.MAX_RECORD), rows.get(0).error());
        assertEquals(List.of("after"), rows.get(1).fields());
        assertEquals(2, rows.get(1).line());
    }

    private static CsvRecords strict(String text) {
        return CsvRecords.strict(new StringReader(text), ',');
    }

    private static CsvRecords.Row only(CsvRecords records) throws IOException {
        List<CsvRecords.Row> rows = all(records);
        assertEquals(1, rows.size(), rows::toString);
        return rows.get(0);
    }

    private static List<CsvRecords.Row> all(CsvRecords records) throws IOException {
        List<CsvRecords.Row> rows = new ArrayList<>();
        for (CsvRecords.Row r = records.next(); r != null; r = records.next()) {
            rows.add(r);
        }
        return rows;
    }
}
