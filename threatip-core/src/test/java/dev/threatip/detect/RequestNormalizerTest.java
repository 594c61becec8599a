package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestNormalizerTest {
    private final RequestNormalizer n = new RequestNormalizer();

    private String norm(String path, String query) {
        byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        byte[] q = query == null ? null : query.getBytes(StandardCharsets.ISO_8859_1);
        n.normalize(p, 0, p.length, q, 0, q == null ? 0 : q.length);
        return n.target();
    }

    private boolean has(int flag) {
        return (n.flags() & flag) != 0;
    }

    @ParameterizedTest(name = "{0}?{1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/index.html|NULL|/index.html",
        "/A/B.HTML|NULL|/a/b.html",
        "//a///b|NULL|/a/b",
        "/a/./b/|NULL|/a/b/",
        "/a/b/..|NULL|/a/",
        "/static/../../../../etc/passwd|NULL|/etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd|NULL|/etc/passwd",
        "/%252e%252e%252fetc%252fpasswd|NULL|/etc/passwd",
        "/%25252e%25252e%25252fetc|NULL|/etc",
        "/a%5c..%5c..%5cwin.ini|NULL|/win.ini",
        "/%u002e%u002e/%u002e%u002e/boot.ini|NULL|/boot.ini",
        "/%c0%ae%c0%ae%c0%afetc/passwd|NULL|/etc/passwd",
        "/search|q=red+dress|/search?q=red dress",
        "/search|q=1%2B1|/search?q=1+1",
        "/products|id=1%27%20OR%20%271%27=%271|/products?id=1' or '1'='1",
        "/x|a=%253Cscript%253E|/x?a=<script>",
        "/x|a=%3CSCRIPT%3E|/x?a=<script>",
        "/|NULL|/",
        "http://example.com/x|NULL|http://example.com/x",
        "/a%zz|b=%4|/a%zz?b=%4",
    })
    void normalize_decodesAndResolves(String path, String query, String expected) {
        assertEquals(expected, norm(path, query));
    }

    @Test
    void normalize_dotSegments_setTraversalAndEscape() {
        norm("/static/../../etc/passwd", null);
        assertTrue(has(RequestNormalizer.TRAVERSAL));
        assertTrue(has(RequestNormalizer.ESCAPES_ROOT));
        norm("/a/b/../c", null);
        assertTrue(has(RequestNormalizer.TRAVERSAL));
        assertTrue(!has(RequestNormalizer.ESCAPES_ROOT));
        norm("/a/b/c", null);
        assertEquals(0, n.flags());
    }

    @Test
    void normalize_traversalInQuery_flagged() {
        norm("/download", "file=..%2F..%2F..%2Fetc%2Fshadow");
        assertTrue(has(RequestNormalizer.TRAVERSAL));
        assertEquals("/download?file=../../../etc/shadow", n.target());
    }

    @Test
    void normalize_doubleEncoding_flagsMultiEncoded() {
        norm("/%252e%252e%252fetc", null);
        assertTrue(has(RequestNormalizer.MULTI_ENCODED));
        norm("/%2e%2e/etc", null);
        assertTrue(!has(RequestNormalizer.MULTI_ENCODED));
    }

    @Test
    void normalize_nulAndOverlong_flagged() {
        norm("/file.php%00.jpg", null);
        assertTrue(has(RequestNormalizer.NUL));
        norm("/%c0%af", null);
        assertTrue(has(RequestNormalizer.OVERLONG));
    }

    @Test
    void normalize_partsSplitAtQuestionMark() {
        norm("/a/B", "X=1");
        assertEquals(4, n.pathEnd());
        assertEquals(5, n.queryStart());
        assertEquals("x=1", new String(n.buffer(), n.queryStart(), n.end() - n.queryStart(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void normalize_hugeInput_truncatedAndBounded() {
        String big = "/" + "a".repeat(100_000);
        norm(big, null);
        assertTrue(has(RequestNormalizer.TRUNCATED));
        assertTrue(n.end() <= RequestNormalizer.MAX_INPUT + 1);
    }
}
