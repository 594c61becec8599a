package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.threatip.alert.AlertPolicy;
import dev.threatip.alert.ChannelSpec;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} with an alert policy: a posted log line of a listed IP reaches a webhook, and the API and metrics show it. */
class ServeAlertsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LISTED = "45.155.205.233";

    @TempDir
    Path dir;

    @Test
    void alertsSection_isParsedStrictlyWithChannelsAndPolicies() throws Exception {
        Path pw = Files.writeString(dir.resolve("smtp.pass"), "pw\n");
        Path yaml = Files.writeString(dir.resolve("threatip.yaml"), """
                server: {public_url: "https://threatip.example.net"}
                alerts:
                  delivery: {max_attempts: 5, initial_backoff: 2s, max_backoff: 1m, timeout: 5s}
                  channels:
                    ops-webhook: {type: webhook, url: "https://hooks.example.net/threatip", secret: 3f1c5e0a9b7d4e2f8a6c, headers: {X-Env: prod}}
                    slack: {type: slack, url: "https://hooks.slack.com/services/T0/B0/XYZ"}
                    mail: {type: smtp, host: smtp.example.net, port: 587, username: threatip, password_file: smtp.pass,
                           from: threatip@example.net, to: [soc@example.net]}
                    siem: {type: syslog, host: 10.0.0.5, transport: tcp}
                  policies:
                    high-threats:
                      when: {verdict: [malicious], level: high, categories: [scanner, exploit], confidence: moderate,
                             source: [behavior], min_hits: 20, window: 10m, paths: ["/wp-login.php"], inputs: [syslog]}
                      group_by: policy
                      suppress: 5m
                      channels: [ops-webhook, slack, mail, siem]
                    everything: {channels: [siem]}
                """);
        ServeConfig c = ServeConfig.load(yaml);
        assertEquals("https://threatip.example.net/", c.server().publicUrl());
        assertEquals(5, c.alerts().delivery().maxAttempts());
        assertEquals(Duration.ofSeconds(2), c.alerts().delivery().backoffAfter(1));
        assertEquals(Duration.ofSeconds(4), c.alerts().delivery().backoffAfter(2));
        assertEquals(null, c.alerts().delivery().backoffAfter(5));
        AlertPolicy p = c.alerts().policy("high-threats").orElseThrow();
        assertEquals(AlertPolicy.Grouping.POLICY, p.groupBy());
        assertEquals(Duration.ofMinutes(5), p.suppress());
        assertEquals(20, p.when().minHits());
        assertEquals(List.of("/wp-login.php"), p.when().paths());
        assertEquals(List.of("ops-webhook", "slack", "mail", "siem"), p.channels());
        ChannelSpec.Smtp mail = (ChannelSpec.Smtp) c.alerts().channels().get("mail");
        assertEquals(pw, mail.passwordFile());
        assertTrue(mail.starttls(), "STARTTLS is the default");
        assertEquals(ChannelSpec.Transport.TCP, ((ChannelSpec.Syslog) c.alerts().channels().get("siem")).transport());
        assertEquals(514, ((ChannelSpec.Syslog) c.alerts().channels().get("siem")).port());
        AlertPolicy all = c.alerts().policy("everything").orElseThrow();
        assertEquals(AlertPolicy.Grouping.IP, all.groupBy());
        assertEquals(Duration.ofMinutes(10), all.suppress());
        assertTrue(!c.alerts().channels().get("ops-webhook").toString().contains("3f1c5e0a9b7d4e2f8a6c"), "secrets stay out of toString");
    }

    private String refusal(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), yaml);
        try {
            ServeConfig.load(f);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    private void assertRefused(String yaml, String expected) throws Exception {
        String m = refusal(yaml);
        assertTrue(m.contains(expected), m);
    }

    @Test
    void alertsSection_refusalsNameTheKeyAndWhatIsAllowed() throws Exception {
        String hook = "channels: {h: {type: webhook, url: 'https://x.example/a', secret: 0123456789abcdef0123}}";
        assertRefused("alerts: {channels: {h: {type: pager}}}", "alerts.channels.h.type: 'pager' is not allowed; allowed: slack, smtp, syslog, webhook");
        assertRefused("alerts: {channels: {h: {url: x}}}", "alerts.channels.h.type: missing");
        assertRefused("alerts: {channels: {h: {type: webhook, url: 'ftp://x', secret: 0123456789abcdef0123}}}", "alerts.channels.h.url: 'ftp://x' is not an http or https URL");
        assertRefused("alerts: {channels: {h: {type: webhook, url: 'https://x.example', secret: short}}}", "alerts.channels.h.secret: too short");
        assertRefused("alerts: {channels: {h: {type: webhook, url: 'https://x.example', secret: 0123456789abcdef0123, colour: red}}}", "alerts.channels.h.colour: unknown key");
        assertRefused("alerts: {channels: {s: {type: syslog, host: h, transport: quic}}}", "alerts.channels.s.transport: 'quic' is not allowed; allowed: udp, tcp");
        assertRefused("alerts: {channels: {m: {type: smtp, host: h, from: a@b.example, to: [c@d.example], username: u, password_file: nope.txt}}}", "alerts.channels.m.password_file:");
        assertRefused("alerts: {channels: {m: {type: smtp, host: h, from: nobody, to: [c@d.example]}}}", "alerts.channels.m.from: 'nobody' is not an e-mail address");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [pager]}}}", "alerts.policies.p.channels: 'pager' is not a channel of alerts.channels; known: h");
        assertRefused("alerts: {" + hook + ", policies: {p: {}}}", "alerts.policies.p.channels: missing");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], when: {level: severe}}}}", "alerts.policies.p.when.level: 'severe' is not allowed; allowed: low, medium, high");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], when: {verdict: [clean]}}}}", "alerts.policies.p.when.verdict: 'clean' is not allowed");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], when: {categories: [spam]}}}}", "alerts.policies.p.when.categories:");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], when: {source: [rumour]}}}}", "alerts.policies.p.when.source: 'rumour' is not allowed; allowed: intel, behavior");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], group_by: host}}}", "alerts.policies.p.group_by: 'host' is not allowed; allowed: ip, policy");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], suppress: 500ms}}}", "alerts.policies.p.suppress: '500ms' is out of range; allowed: 1s to 1d");
        assertRefused("alerts: {" + hook + ", policies: {p: {channels: [h], when: {min_hits: 0}}}}", "alerts.policies.p.when.min_hits: '0' is out of range");
        assertRefused("alerts: {delivery: {max_attempts: 0}}", "alerts.delivery.max_attempts: '0' is out of range; allowed: 1 to 1000");
        assertRefused("alerts: {delivery: {initial_backoff: 1m, max_backoff: 10s}}", "alerts.delivery.max_backoff: is shorter than initial_backoff");
        assertRefused("server: {public_url: 'ftp://x'}", "server.public_url: 'ftp://x' is not an http or https URL");
    }

    @Test
    void postedLineOfAListedIp_reachesTheWebhookWithinSeconds_andShowsInApiAndMetrics() throws Exception {
        List<String> bodies = Collections.synchronizedList(new ArrayList<>());
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                arrivals.add(System.nanoTime());
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        try {
            Path feed = Files.writeString(dir.resolve("ipsum.txt"), "# ipsum\n" + LISTED + "\t8\n");
            Path yaml = Files.writeString(dir.resolve("threatip.yaml"), """
                    feeds: {specs: [%s]}
                    server: {port: 0, data_dir: data}
                    alerts:
                      channels:
                        ops-webhook: {type: webhook, url: "http://127.0.0.1:%d/threatip", secret: 3f1c5e0a9b7d4e2f8a6c1b0d}
                      policies:
                        listed: {when: {source: [intel]}, channels: [ops-webhook]}
                    """.formatted(feed, hook.getAddress().getPort()));
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            HttpClient http = HttpClient.newHttpClient();
            try (ThreatipServer s = new ThreatipServer(ServeConfig.load(yaml), Clock.systemUTC(), log::add).start()) {
                String base = s.url();
                String line = LISTED + " - - [" + ThreatipServerTest.CLF.format(Instant.now()) + "] \"GET /.env HTTP/1.1\" 404 153 \"-\" \"zgrab/0.x\"";
                long posted = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/ingest"))
                        .header("Authorization", "Bearer " + s.adminToken()).header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString(line + "\n")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (bodies.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, bodies.size(), "log: " + log);
                double seconds = (arrivals.get(0) - posted) / 1e9;
                assertTrue(seconds < 5, "log line to webhook took " + seconds + " s");
                JsonNode body = JSON.readTree(bodies.get(0));
                assertEquals(LISTED, body.path("ip").asText());
                assertEquals("listed", body.path("policy").asText());
                assertEquals(base + "#/ip/" + LISTED, body.path("profile_url").asText());

                JsonNode alerts = null;
                for (int i = 0; i < 100; i++) {
                    alerts = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/alerts?state=delivered"))
                            .header("Authorization", "Bearer " + s.adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
                    if (alerts.path("total").asLong() == 1) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertEquals(1, alerts.path("total").asLong(), alerts.toString());
                JsonNode item = alerts.path("items").get(0);
                assertEquals("ops-webhook", item.path("channel").asText());
                assertEquals(1, item.path("attempts").asInt());
                assertEquals(LISTED, item.path("alert").path("ip").asText());
                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/alerts?state=lost"))
                        .header("Authorization", "Bearer " + s.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, bad.statusCode());
                assertTrue(bad.body().contains("state: 'lost' is not an outbox state; allowed: pending, delivered, failed"), bad.body());
                String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(metrics.contains("threatip_alert_deliveries_total{channel=\"ops-webhook\",outcome=\"delivered\"} 1.0"), metrics);
                assertTrue(metrics.contains("threatip_alerts_total{policy=\"listed\"} 1.0"), metrics);
            }
        } finally {
            hook.stop(0);
        }
    }
}
