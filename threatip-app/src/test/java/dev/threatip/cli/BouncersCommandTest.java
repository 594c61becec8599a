package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.store.EventStore;
import dev.threatip.web.ApiTokens;
import dev.threatip.web.WebServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code threatip bouncers add|list|delete}: on the data dir's store, or through a running server's admin API. */
class BouncersCommandTest {
    static final String ADMIN = "admin-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void withoutServer_addListDelete_onTheDataDirsStore() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Cli.Run add = Cli.run("bouncers", "add", "fw-edge-1", "--data-dir", data.toString());
        assertEquals(0, add.exit(), add.err());
        assertTrue(add.out().startsWith("bouncer 'fw-edge-1' added. Its API key, shown only now"), add.out());
        Cli.Run raw = Cli.run("bouncers", "add", "nginx-1", "--data-dir", data.toString(), "-o", "raw");
        String key = raw.out().strip();
        assertEquals(43, key.length(), raw.out());
        Cli.Run dup = Cli.run("bouncers", "add", "nginx-1", "--data-dir", data.toString());
        assertEquals(2, dup.exit());
        assertEquals("threatip: a bouncer named 'nginx-1' already exists; delete it first or choose another name\n", dup.err());

        Cli.Run list = Cli.run("bouncers", "list", "--data-dir", data.toString());
        assertEquals(0, list.exit(), list.err());
        String[] lines = list.out().split("\n");
        assertEquals(3, lines.length, list.out());
        assertTrue(lines[1].startsWith("fw-edge-1 ") && lines[2].startsWith("nginx-1 "), list.out());
        assertTrue(!list.out().contains(key), "keys are never listed");

        assertEquals(0, Cli.run("bouncers", "delete", "fw-edge-1", "--data-dir", data.toString()).exit());
        Cli.Run gone = Cli.run("bouncers", "delete", "fw-edge-1", "--data-dir", data.toString());
        assertEquals(2, gone.exit());
        assertEquals("threatip: no bouncer named 'fw-edge-1'; 'threatip bouncers list' shows them\n", gone.err());
        JsonNode json = JSON.readTree(Cli.run("bouncers", "list", "--data-dir", data.toString(), "-o", "json").out());
        assertEquals(1, json.get("total").asInt());
        assertEquals("nginx-1", json.get("items").get(0).get("name").asText());
    }

    @Test
    void withServer_goesThroughTheAdminApi_andTheKeyWorksOnTheBouncerProtocol() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path tokenFile = dir.resolve("admin.token");
        Files.writeString(tokenFile, ADMIN + "\n");
        try (EventStore store = EventStore.open(data, Clock.systemUTC());
             WebServer web = WebServer.builder().port(0).store(store).tokens(ApiTokens.of(ADMIN, List.of())).build().start()) {
            String server = "http://127.0.0.1:" + web.port();
            Cli.Run add = Cli.run("bouncers", "add", "haproxy-1", "--server", server, "--token-file", tokenFile.toString(), "-o", "json");
            assertEquals(0, add.exit(), add.err());
            JsonNode added = JSON.readTree(add.out());
            assertEquals("haproxy-1", added.get("name").asText());
            assertTrue(added.get("key_generated").asBoolean());
            String key = added.get("key").asText();
            HttpResponse<String> lookup = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(web.url() + "v1/decisions?ip=203.0.113.7")).header("X-Api-Key", key).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, lookup.statusCode());
            assertEquals("null", lookup.body());

            Cli.Run text = Cli.run("bouncers", "add", "fw-2", "--server", server, "--token-file", tokenFile.toString());
            assertTrue(text.out().contains("api_url: " + server + "/"), text.out());
            Cli.Run list = Cli.run("bouncers", "list", "--server", server, "--token-file", tokenFile.toString());
            assertTrue(list.out().contains("haproxy-1") && list.out().contains("fw-2"), list.out());
            assertEquals(0, Cli.run("bouncers", "delete", "fw-2", "--server", server, "--token-file", tokenFile.toString()).exit());
            Cli.Run missing = Cli.run("bouncers", "delete", "fw-2", "--server", server, "--token-file", tokenFile.toString());
            assertEquals(2, missing.exit());
            assertEquals("threatip: " + server + "/: no bouncer named 'fw-2' (HTTP 404)\n", missing.err());

            Files.writeString(tokenFile, "not-the-admin-token-at-all\n");
            Cli.Run refused = Cli.run("bouncers", "list", "--server", server, "--token-file", tokenFile.toString());
            assertEquals(2, refused.exit());
            assertEquals("threatip: " + server + "/: the token is not valid (HTTP 401)\n", refused.err());
        }
    }

    @Test
    void storeHeldByAnotherProcess_saysToUseServer() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            assertTrue(first != null && first.startsWith("open "), "the holder opened the store: " + first);
            Cli.Run run = Cli.run("bouncers", "list", "--data-dir", data.toString());
            assertEquals(2, run.exit(), run.err());
            assertTrue(run.err().startsWith("threatip: " + data.resolve(EventStore.FILE_NAME) + " is in use by a running threatip serve"),
                    run.err());
            assertTrue(run.err().contains("run this with --server http://HOST:PORT"), run.err());
        } finally {
            holder.getOutputStream().close();
            if (!holder.waitFor(10, TimeUnit.SECONDS)) {
                holder.destroyForcibly();
            }
        }
    }

    @Test
    void badUsage_isExit2WithOneLine() {
        Cli.Run name = Cli.run("bouncers", "add", "fw edge", "--data-dir", dir.toString());
        assertEquals(2, name.exit());
        assertTrue(name.err().startsWith("threatip: bouncer name 'fw edge' has characters other than"), name.err());
        Cli.Run noDir = Cli.run("bouncers", "list", "--data-dir", dir.resolve("nope").toString());
        assertEquals(2, noDir.exit());
        assertEquals("threatip: " + dir.resolve("nope") + ": no such data dir; give --data-dir DIR (the one threatip serve uses)\n",
                noDir.err());
        Cli.Run url = Cli.run("bouncers", "list", "--server", "127.0.0.1:8080");
        assertEquals(2, url.exit());
        assertEquals("threatip: --server: '127.0.0.1:8080' is not a server URL such as http://127.0.0.1:8080\n", url.err());
        assertEquals(2, Cli.run("bouncers").exit());
    }
}
