package dev.threatip.alert;

import static dev.threatip.alert.AlertFixtures.T0;
import static dev.threatip.alert.AlertFixtures.fastRetries;
import static dev.threatip.alert.AlertFixtures.flush;
import static dev.threatip.alert.AlertFixtures.probes;
import static dev.threatip.alert.AlertFixtures.scanner;
import static dev.threatip.alert.AlertFixtures.seen;
import static dev.threatip.alert.AlertFixtures.webhookSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grouping and suppression: a flood becomes a handful of messages whose counts add up. */
class PolicyGroupingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static IpAddress nth(int i) {
        return IpAddress.parse("45.155." + (200 + i / 250) + "." + (1 + i % 250));
    }

    private List<JsonNode> deliver(Alerts alerts, WebhookReceiver hook) throws Exception {
        while (alerts.deliverDue() > 0) {
            // until nothing due is left
        }
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Request r : hook.received()) {
            out.add(JSON.readTree(r.body()));
        }
        return out;
    }

    @Test
    void digest_thousandIpsInAMinute_yieldAFewMessagesWhoseCountsAddUp() throws Exception {
        AlertFixtures.MovableClock clock = new AlertFixtures.MovableClock(T0);
        try (EventStore store = EventStore.open(dir, clock); WebhookReceiver hook = new WebhookReceiver()) {
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.POLICY, Duration.ofMinutes(1),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(3));
            Alerts alerts = Alerts.open(s, store, () -> "http://127.0.0.1:8080/", clock, m -> { });
            PrometheusRegistry registry = new PrometheusRegistry();
            alerts.registerMetrics(registry);
            List<ProfileUpdate> all = new ArrayList<>();
            List<dev.threatip.log.AccessEvent> events = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                IpAddress ip = nth(i);
                List<dev.threatip.log.AccessEvent> mine = probes(ip, T0.plusSeconds(i * 59L / 1000), 3 + i % 5, "/.env", "/wp-login.php");
                events.addAll(mine);
                all.add(new ProfileUpdate(ip, scanner(i % 10 == 0 ? Confidence.HIGH : Confidence.MODERATE), mine.size(),
                        mine.get(0).time(), mine.get(mine.size() - 1).time()));
            }
            store.appendEvents(events, "/var/log/nginx/access.log"); // one batch, as the pipeline commits them
            // no profile upserts: a message then counts the hits of the flush's updates, as for an IP not yet profiled
            // one flush a second for a minute: each IP first matches in its second and matches again in the next two
            for (int sec = 0; sec < 60; sec++) {
                List<ProfileUpdate> batch = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    long first = i * 59L / 1000;
                    if (sec >= first && sec <= first + 2) {
                        batch.add(all.get(i));
                    }
                }
                alerts.listener().flushed(flush(batch));
                clock.advance(Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(1));
            alerts.listener().flushed(flush(List.of()));   // the window ended: the digest goes out
            clock.advance(Duration.ofSeconds(61));
            alerts.listener().flushed(flush(List.of()));   // a quiet window closes without a message
            List<JsonNode> messages = deliver(alerts, hook);

            assertEquals(2, messages.size(), messages.toString());
            assertEquals(1, messages.get(0).path("count").asInt());
            assertEquals("policy", messages.get(0).path("group").asText());
            JsonNode digest = messages.get(1);
            assertEquals(999, digest.path("count").asInt());
            assertEquals(1000, messages.stream().mapToInt(m -> m.path("count").asInt()).sum());
            assertEquals(Alert.MAX_LISTED, digest.path("ips").size());
            assertEquals("high", digest.path("level").asText(), "a digest carries its highest level");
            assertEquals("high", digest.path("ips").get(0).path("level").asText(), "most severe listed first");
            Set<String> listed = new HashSet<>();
            digest.path("ips").forEach(n -> listed.add(n.path("ip").asText()));
            assertEquals(Alert.MAX_LISTED, listed.size());
            long hits = 0;
            for (int i = 1; i < 1000; i++) {
                hits += 3 + i % 5;
            }
            assertEquals(hits, digest.path("hits").asLong(), "hits summed over the IPs it stands for");
            assertEquals("/.env", digest.path("top_paths").get(0).path("path").asText());

            // later, one more scanner: sent at once, counting one
            IpAddress late = IpAddress.parse("198.51.100.77");
            alerts.listener().flushed(flush(List.of(seen(store, late, scanner(Confidence.HIGH),
                    probes(late, clock.instant(), 4, "/admin"), "syslog"))));
            messages = deliver(alerts, hook);
            assertEquals(3, messages.size());
            assertEquals("198.51.100.77", messages.get(2).path("ip").asText());
            assertEquals(1, messages.get(2).path("count").asInt());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            String metrics = out.toString(StandardCharsets.UTF_8);
            assertTrue(metrics.contains("threatip_alerts_total{policy=\"scanners\"} 1001.0"), metrics);
            assertTrue(metrics.contains("threatip_alert_messages_total{policy=\"scanners\"} 3.0"), metrics);
            assertTrue(metrics.contains("threatip_alert_deliveries_total{channel=\"ops-webhook\",outcome=\"delivered\"} 3.0"), metrics);
            assertTrue(metrics.contains("threatip_alert_outbox{channel=\"ops-webhook\",state=\"delivered\"} 3.0"), metrics);
        }
    }

    @Test
    void perIp_anIpThatStaysActive_isAlertedOncePerSuppressionWindow() throws Exception {
        AlertFixtures.MovableClock clock = new AlertFixtures.MovableClock(T0);
        try (EventStore store = EventStore.open(dir, clock); WebhookReceiver hook = new WebhookReceiver()) {
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(3));
            Alerts alerts = Alerts.open(s, store, () -> "http://127.0.0.1:8080/", clock, m -> { });
            IpAddress a = IpAddress.parse("91.240.118.172");
            IpAddress b = IpAddress.parse("185.220.101.37");
            for (int t = 0; t < 25 * 60; t += 30) {      // a flush every 30 s for 25 minutes; b joins after 5 minutes
                List<ProfileUpdate> batch = new ArrayList<>();
                batch.add(seen(store, a, scanner(Confidence.HIGH), probes(a, clock.instant(), 2, "/login"), "syslog"));
                if (t >= 300) {
                    batch.add(seen(store, b, scanner(Confidence.MODERATE), probes(b, clock.instant(), 2, "/.git/config"), "syslog"));
                }
                alerts.listener().flushed(flush(batch));
                clock.advance(Duration.ofSeconds(30));
            }
            List<JsonNode> messages = deliver(alerts, hook);
            List<String> order = messages.stream().map(m -> m.path("ip").asText() + "@" + m.path("created").asText()).toList();
            assertEquals(List.of("91.240.118.172@2026-11-01T00:00:00Z", "185.220.101.37@2026-11-01T00:05:00Z",
                    "91.240.118.172@2026-11-01T00:10:00Z", "185.220.101.37@2026-11-01T00:15:00Z",
                    "91.240.118.172@2026-11-01T00:20:00Z"), order);
            messages.forEach(m -> assertEquals(1, m.path("count").asInt()));
            assertEquals("ip", messages.get(0).path("group").asText());
        }
    }
}
