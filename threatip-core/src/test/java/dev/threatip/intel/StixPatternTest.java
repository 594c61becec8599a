package dev.threatip.intel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StixPatternTest {
    private static List<String> values(String pattern) throws StixPattern.MalformedPatternException {
        return StixPattern.ipValues(pattern).stream().map(StixPattern.IpValue::value).toList();
    }

    @Test
    void ipValues_orOfAddressesAndDomain_takesOnlyAddresses() throws Exception {
        assertEquals(List.of("192.0.2.1", "192.0.2.2"),
                values("[domain-name:value = 'x.example' OR ipv4-addr:value = '192.0.2.1' OR ipv4-addr:value = '192.0.2.2']"));
    }

    @Test
    void ipValues_negatedAndInequality_areNotTaken() throws Exception {
        assertEquals(List.of(), values("[ipv4-addr:value NOT = '192.0.2.1' AND ipv4-addr:value != '192.0.2.2']"));
        assertEquals(List.of(), values("[ipv4-addr:value ISSUPERSET '192.0.2.0/24']"));
    }

    @Test
    void ipValues_qualifiersAndTypedLiterals_parse() throws Exception {
        assertEquals(List.of("198.51.100.7"), values("[network-traffic:dst_ref.value = '198.51.100.7' AND "
                + "network-traffic:dst_port = 443 AND network-traffic:extensions.'http-request-ext'.request_method = 'GET']"
                + " START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00Z'"));
        assertEquals(List.of(), values("[file:hashes.'SHA-256' = 'ab' AND file:size > 10 AND file:content_ref.payload_bin"
                + " = b'AAAA' AND file:magic_number_hex = h'ffd8' AND file:x_flag = true]"));
        assertEquals(List.of(), values("[email-message:body_multipart[*].body_raw_ref.name MATCHES '^a\\\\.exe$']"));
    }

    @Test
    void ipValues_escapedQuote_isUnescaped() throws Exception {
        assertEquals(List.of("it's"), values("[ipv4-addr:value = 'it\\'s']"));
    }

    @Test
    void ipValues_brokenPatterns_areRefusedWithOffset() {
        for (String bad : List.of("", "ipv4-addr:value = '1'", "[ipv4-addr:value = '192.0.2.1'", "[ipv4-addr:value '1']",
                "[ipv4-addr:value = '1'] AND", "[ipv4-addr:value = 'a\\x']", "[ipv4-addr:value = '1'] WITHIN SECONDS",
                "[IPV4:value = '1']", "[ipv4-addr:value = '1'] junk", "[ipv4-addr:value = 1.2.3]x")) {
            StixPattern.MalformedPatternException e = assertThrows(StixPattern.MalformedPatternException.class,
                    () -> StixPattern.ipValues(bad), bad);
            assertTrue(e.getMessage().contains(" at offset "), e.getMessage());
        }
    }

    @Test
    void ipValues_nestingBeyondBound_isRefusedNotOverflowed() {
        StixPattern.MalformedPatternException e = assertThrows(StixPattern.MalformedPatternException.class,
                () -> StixPattern.ipValues("(".repeat(10_000) + "[ipv4-addr:value = '1']" + ")".repeat(10_000)));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
    }
}
