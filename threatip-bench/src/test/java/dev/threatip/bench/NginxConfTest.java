package dev.threatip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nginx configurations gate-bench.sh runs: accepted by {@code nginx -t}, and doing what they claim. */
class NginxConfTest {
    /** Networks as a feed lists them (documentation ranges), a single address written bare. */
    static final List<String> DENIED = List.of("203.0.113.7", "198.51.100.0/24", "192.0.2.128/25");

    @TempDir
    Path dir;

    static boolean nginxInstalled() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nginx"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void originAndProxyConfigs_passNginxTest() throws Exception {
        assumeTrue(nginxInstalled(), "nginx is not installed (apt-get install -y nginx-light)");
        Path origin = NginxConf.writeOrigin(dir.resolve("origin"), 18080, 1);
        Path proxy = NginxConf.writeProxy(dir.resolve("proxy"), 18081, 18080, 1, DENIED, "127.0.0.1");
        NginxConf.check("nginx", origin);
        NginxConf.check("nginx", proxy);
        assertEquals(List.of("203.0.113.7 1;", "198.51.100.0/24 1;", "192.0.2.128/25 1;"),
                Files.readAllLines(dir.resolve("proxy/deny.conf")));
        assertEquals(NginxConf.LARGE_BODY_BYTES, Files.size(dir.resolve("origin/www/10k.html")));
    }

    @Test
    void check_configNginxRefuses_reportsNginxsOwnMessage() throws Exception {
        assumeTrue(nginxInstalled(), "nginx is not installed");
        Path proxy = NginxConf.writeProxy(dir.resolve("proxy"), 18081, 18080, 1, List.of("203.0.113.300"), "127.0.0.1");
        IOException e = assertThrows(IOException.class, () -> NginxConf.check("nginx", proxy));
        assertTrue(e.getMessage().contains("203.0.113.300"), e.getMessage());
    }

    @Test
    void runningProxy_deniesListedForwardedClients_andForwardsCleanOnesToTheOrigin() throws Exception {
        assumeTrue(nginxInstalled(), "nginx is not installed");
        int originPort = GateBenchRunner.freePort();
        int proxyPort = GateBenchRunner.freePort();
        Path origin = NginxConf.writeOrigin(dir.resolve("origin"), originPort, 1);
        Path proxy = NginxConf.writeProxy(dir.resolve("proxy"), proxyPort, originPort, 1, DENIED, "127.0.0.1");
        String cpu = "0";
        try (PinnedProcess o = PinnedProcess.start("origin", cpu, NginxConf.command("nginx", origin), dir.resolve("o.log"), originPort, 30);
             PinnedProcess p = PinnedProcess.start("proxy", cpu, NginxConf.command("nginx", proxy), dir.resolve("p.log"), proxyPort, 30)) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + proxyPort;
            assertEquals(403, status(http, base + "/", "203.0.113.7"));
            assertEquals(403, status(http, base + "/", "198.51.100.23"));
            assertEquals(403, status(http, base + "/", "192.0.2.200"));
            HttpResponse<String> clean = http.send(HttpRequest.newBuilder(URI.create(base + "/")).header("X-Forwarded-For", "192.0.2.10")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, clean.statusCode());
            assertEquals(NginxConf.SMALL_BODY, clean.body());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + NginxConf.LARGE_PATH)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(NginxConf.largeBody(), page.body());
            assertTrue(p.children() >= 1, "nginx runs its worker process");
        }
    }

    private static int status(HttpClient http, String url, String client) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", client).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
