package dev.threatip.intel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvRowSplitterTest {
    @Test
    void split_quotedFieldWithDelimitersAndDoubledQuotes_isOneField() {
        assertEquals(List.of("198.51.100.1", "say \"hi\", twice", ""),
                CsvRowSplitter.split("198.51.100.1,\"say \"\"hi\"\", twice\",", ','));
    }

    @Test
    void split_emptyFieldsAndEmptyRecord_areKept() {
        assertEquals(List.of("", "", ""), CsvRowSplitter.split(",,", ','));
        assertEquals(List.of(""), CsvRowSplitter.split("", ','));
        assertEquals(List.of("a", ""), CsvRowSplitter.split("a,\"\"", ','));
    }

    @Test
    void split_otherDelimiter_splitsOnlyThere() {
        assertEquals(List.of("a,b", "c"), CsvRowSplitter.split("a,b;c", ';'));
    }

    @Test
    void split_quoteInsideBareField_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvRowSplitter.split("a,b\"c", ','));
        assertTrue(e.getMessage().contains("quote inside an unquoted field at character 4"), e.getMessage());
    }

    @Test
    void split_textAfterClosingQuote_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvRowSplitter.split("\"a\"b,c", ','));
        assertTrue(e.getMessage().contains("text after the closing quote"), e.getMessage());
    }

    @Test
    void split_unclosedQuote_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvRowSplitter.split("a,\"b", ','));
        assertTrue(e.getMessage().contains("not closed"), e.getMessage());
    }

    @Test
    void isComplete_openQuote_isNotComplete() {
        assertFalse(CsvRowSplitter.isComplete("a,\"multi"));
        assertTrue(CsvRowSplitter.isComplete("a,\"multi\nline\",b"));
        assertTrue(CsvRowSplitter.isComplete("a,\"\"\"\""));
    }
}
