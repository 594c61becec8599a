package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dashboard's static files as the build packs them (no browser needed). */
class DashboardFilesTest {
    private static final Pattern ECHARTS = Pattern.compile("src=\"/webjars/echarts/([^/\"]+)/echarts\\.min\\.js\"");
    /** What would turn a string into markup or code: none of it may appear in the dashboard's scripts. */
    private static final Pattern HTML_SINKS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new Function|createContextualFragment");

    @Test
    void index_loadsEchartsFromTheWebJarOnTheClasspath() throws IOException {
        Matcher m = ECHARTS.matcher(resource("index.html"));
        assertTrue(m.find(), "index.html loads ECharts from /webjars/echarts/VERSION/echarts.min.js");
        String jar = "/META-INF/resources/webjars/echarts/" + m.group(1) + "/echarts.min.js";
        assertNotNull(DashboardFilesTest.class.getResource(jar),
                jar + " is on the classpath (the echarts WebJar version in the pom and index.html agree)");
    }

    @Test
    void index_contentSecurityPolicy_allowsScriptsAndRequestsToItsOwnOriginOnly() throws IOException {
        String index = resource("index.html");
        assertTrue(index.contains("script-src 'self'"), "no inline or foreign script");
        assertTrue(index.contains("connect-src 'self'"), "API calls to the server itself only");
        assertFalse(index.contains("http://") || index.contains("https://"), "no absolute URL: nothing from elsewhere");
        assertFalse(index.contains("<script>"), "no inline script");
    }

    @Test
    void scripts_neverTurnDataIntoMarkupOrCode() throws IOException, URISyntaxException {
        Path js = Path.of(DashboardFilesTest.class.getResource(WebServer.STATIC_DIR + "/js").toURI());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(js)) {
            for (Path f : all.filter(p -> p.toString().endsWith(".js")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (HTML_SINKS.matcher(lines.get(i)).find() && !lines.get(i).trim().startsWith("//")) {
                        found.add(js.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(files >= 10, "found the dashboard's modules: " + files);
        assertEquals(List.of(), found);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = DashboardFilesTest.class.getResourceAsStream(WebServer.STATIC_DIR + "/" + name)) {
            assertNotNull(in, name + " is packed");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
