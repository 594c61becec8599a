package dev.threatip.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code threatip alerts test}: a sample through each channel of a policy, one line per channel. */
class AlertsCommandTest {
    @TempDir
    Path dir;

    @Test
    void alertsTest_sendsASampleToEachChannelAndExits2WhenOneFails() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing listens there once closed
        }
        try {
            Path yaml = Files.writeString(dir.resolve("threatip.yaml"), """
                    server: {public_url: "https://threatip.example.net/"}
                    alerts:
                      channels:
                        ops-webhook: {type: webhook, url: "http://127.0.0.1:%d/hook", secret: 3f1c5e0a9b7d4e2f8a6c1b0d}
                        dead: {type: slack, url: "http://127.0.0.1:%d/services/x"}
                      policies:
                        good: {channels: [ops-webhook]}
                        mixed: {channels: [ops-webhook, dead]}
                    """.formatted(hook.getAddress().getPort(), closedPort));
            Cli.Run ok = Cli.run("alerts", "test", "--policy", "good", "--config", yaml.toString());
            assertEquals(0, ok.exit(), ok.err());
            assertEquals("ops-webhook (webhook): delivered", ok.out().strip());
            assertEquals(1, bodies.size());
            assertTrue(bodies.get(0).contains("\"profile_url\":\"https://threatip.example.net/#/ip/203.0.113.7\""), bodies.get(0));

            Cli.Run mixed = Cli.run("alerts", "test", "--policy", "mixed", "--config", yaml.toString());
            assertEquals(2, mixed.exit());
            assertTrue(mixed.out().contains("ops-webhook (webhook): delivered"), mixed.out());
            assertTrue(mixed.out().contains("dead (slack): FAILED: ConnectException"), mixed.out());
            assertTrue(mixed.err().contains("alerts test: 1 of 2 channels of policy 'mixed' failed"), mixed.err());

            Cli.Run unknown = Cli.run("alerts", "test", "--policy", "nope", "--config", yaml.toString());
            assertEquals(2, unknown.exit());
            assertTrue(unknown.err().contains("no alert policy named 'nope'; known: good, mixed"), unknown.err());
        } finally {
            hook.stop(0);
        }
    }
}
