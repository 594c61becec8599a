package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestLineTest {
    private static LineFields split(String s, boolean expected) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        LineFields f = new LineFields();
        f.reset();
        assertEquals(expected, RequestLine.split(b, 0, b.length, f), s);
        return f;
    }

    @Test
    void split_ordinaryRequest_givesAllParts() {
        LineFields f = split("GET /search?q=1%20UNION%20SELECT HTTP/1.1", true);
        assertEquals("GET", f.method.asString());
        assertEquals("/search", f.path.asString());
        assertEquals("q=1%20UNION%20SELECT", f.query.asString());
        assertEquals("HTTP/1.1", f.protocol.asString());
    }

    @Test
    void split_absoluteUriProxyProbe_keepsTarget() {
        LineFields f = split("GET http://example.com/ HTTP/1.1", true);
        assertEquals("http://example.com/", f.path.asString());
        assertTrue(f.query.isEmpty());
    }

    @Test
    void split_noProtocol_isHttp09Style() {
        LineFields f = split("GET /", true);
        assertEquals("/", f.path.asString());
        assertTrue(f.protocol.isEmpty());
    }

    @Test
    void split_tlsGarbageOrDash_isNotARequest() {
        split("\\x16\\x03\\x01\\x00\\xF7\\x01", false);
        split("-", false);
        split("", false);
        LineFields f = split("GET ", false);
        assertFalse(f.method.isEmpty() && !f.path.isEmpty());
    }
}
