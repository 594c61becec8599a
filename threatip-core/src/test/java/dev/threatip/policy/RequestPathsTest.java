package dev.threatip.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Paths as prefixes see them. */
class RequestPathsTest {
    @Test
    void normalize_cleanPath_isReturnedAsIs() {
        String p = "/products/shoes/42";
        assertSame(p, RequestPaths.normalize(p));
    }

    @Test
    void normalize_dotSegmentsSlashesAndUnreservedEscapes_resolve() {
        assertEquals("/login", RequestPaths.normalize("//login"));
        assertEquals("/login", RequestPaths.normalize("/./login"));
        assertEquals("/login", RequestPaths.normalize("/a/b/../../login"));
        assertEquals("/login", RequestPaths.normalize("/../../login"));
        assertEquals("/login", RequestPaths.normalize("/%6c%6F%67in"));
        assertEquals("/admin/", RequestPaths.normalize("/admin//"));
        assertEquals("/", RequestPaths.normalize(""));
        assertEquals("/a%2Fb", RequestPaths.normalize("/a%2Fb"), "reserved escapes stay");
        assertEquals("/x%", RequestPaths.normalize("/x%"), "a truncated escape stays");
        assertEquals("/%zz", RequestPaths.normalize("/%zz"));
    }
}
