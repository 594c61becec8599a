package dev.threatip.alert;

import static dev.threatip.alert.AlertFixtures.SECRET;
import static dev.threatip.alert.AlertFixtures.fastRetries;
import static dev.threatip.alert.AlertFixtures.flush;
import static dev.threatip.alert.AlertFixtures.probes;
import static dev.threatip.alert.AlertFixtures.scanner;
import static dev.threatip.alert.AlertFixtures.seen;
import static dev.threatip.alert.AlertFixtures.webhookSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import dev.threatip.store.AlertOutbox;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook channel through the outbox against a real HTTP receiver on loopback. */
class WebhookDeliveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PUBLIC = "https://threatip.example.net/";

    @TempDir
    Path dir;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** What a receiver does: recompute the HMAC over the raw body with the shared secret. */
    static String expectedSignature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<ProfileUpdate> scanners(EventStore store, int n, Instant end) {
        List<ProfileUpdate> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IpAddress ip = IpAddress.parse("45.155.205." + (10 + i));
            out.add(seen(store, ip, scanner(Confidence.HIGH), probes(ip, end, 12, "/.env", "/wp-login.php", "/.git/config"),
                    "/var/log/nginx/access.log"));
        }
        return out;
    }

    @Test
    void webhook_postsSignedSchemaBodyWithIdTimestampAndCustomHeaders() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (EventStore store = EventStore.open(dir, Clock.systemUTC()); WebhookReceiver hook = new WebhookReceiver()) {
            ProfileUpdate u = scanners(store, 1, now).get(0);
            AlertSettings s = webhookSettings(hook.url("/hooks/threatip"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(3));
            try (Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                alerts.listener().flushed(flush(List.of(u)));
                WebhookReceiver.Request r = hook.await(got -> got.size() == 1, Duration.ofSeconds(10)).get(0);

                assertEquals("/hooks/threatip", r.path());
                assertEquals(expectedSignature(r.body()), r.header("X-Threatip-Signature"));
                assertEquals("application/json", r.header("Content-Type"));
                assertEquals("prod", r.header("X-Env"));
                JsonNode body = JSON.readTree(r.body());
                assertEquals(r.header("X-Threatip-Timestamp"), body.path("sent_at").asText());
                assertTrue(Math.abs(body.path("sent_at").asLong() - Instant.now().getEpochSecond()) < 30);
                assertEquals(r.header("X-Threatip-Alert-Id"), body.path("id").asText());
                assertEquals("45.155.205.10", body.path("ip").asText());
                assertEquals("malicious", body.path("verdict").asText());
                assertEquals("high", body.path("level").asText());
                assertEquals("scanner", body.path("categories").get(0).path("category").asText());
                assertEquals("probing-4xx", body.path("categories").get(0).path("rules").get(0).asText());
                assertEquals(12, body.path("hits").asLong());
                assertEquals("/.env", body.path("top_paths").get(0).path("path").asText());
                assertEquals(4, body.path("top_paths").get(0).path("count").asLong());
                assertEquals(now.minusSeconds(11).toString(), body.path("first_seen").asText());
                assertEquals(now.toString(), body.path("last_seen").asText());
                assertEquals(PUBLIC + "#/ip/45.155.205.10", body.path("profile_url").asText());
                assertEquals("scanners", body.path("policy").asText());
                assertEquals(1, body.path("count").asInt());
                assertEquals("Mozilla/5.0 zgrab/0.x", body.path("user_agents").get(0).asText());

                AlertOutbox.Entry row = alerts.outbox().get(body.path("id").asLong()).orElseThrow();
                awaitState(alerts.outbox(), row.id(), AlertOutbox.State.DELIVERED);
                assertEquals(1, alerts.outbox().get(row.id()).orElseThrow().attempts());
            }
        }
    }

    @Test
    void webhook_answering500TwiceThenOk_isRetriedWithBackoffAndAcknowledgedOnce() throws Exception {
        try (EventStore store = EventStore.open(dir, Clock.systemUTC()); WebhookReceiver hook = new WebhookReceiver()) {
            hook.answer(500, 503);
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(5));
            try (Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                alerts.listener().flushed(flush(scanners(store, 1, Instant.now())));
                WebhookReceiver.Request r = hook.await(got -> got.size() == 1, Duration.ofSeconds(10)).get(0);
                long id = Long.parseLong(r.header("X-Threatip-Alert-Id"));
                AlertOutbox.Entry row = awaitState(alerts.outbox(), id, AlertOutbox.State.DELIVERED);
                assertEquals(3, row.attempts());
                assertTrue(row.lastError().contains("HTTP 503"), row.lastError());
                Thread.sleep(300);
                assertEquals(1, hook.received().size(), "acknowledged once, never sent again");
            }
        }
    }

    @Test
    void webhook_receiverDownThenUp_deliversEveryAlertExactlyOnce() throws Exception {
        try (EventStore store = EventStore.open(dir, Clock.systemUTC()); WebhookReceiver hook = new WebhookReceiver()) {
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(100));
            hook.stop();
            try (Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                alerts.listener().flushed(flush(scanners(store, 5, Instant.now())));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (alerts.outbox().list(AlertOutbox.State.PENDING, null, null, 10, 0).items().stream()
                        .noneMatch(e -> e.attempts() >= 2) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(hook.received().isEmpty());
                assertEquals(5, alerts.outbox().list(AlertOutbox.State.PENDING, null, null, 10, 0).total(), "owed while down");
                hook.restart();
                List<WebhookReceiver.Request> got = hook.await(r -> r.size() >= 5, Duration.ofSeconds(10));
                Thread.sleep(500);
                got = hook.received();
                Set<String> ips = new TreeSet<>();
                Set<String> ids = new TreeSet<>();
                for (WebhookReceiver.Request r : got) {
                    ips.add(JSON.readTree(r.body()).path("ip").asText());
                    ids.add(r.header("X-Threatip-Alert-Id"));
                }
                assertEquals(5, got.size(), "nothing twice");
                assertEquals(5, ids.size());
                assertEquals(Set.of("45.155.205.10", "45.155.205.11", "45.155.205.12", "45.155.205.13", "45.155.205.14"), ips);
                long deadlineDelivered = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (alerts.outbox().list(AlertOutbox.State.DELIVERED, null, null, 10, 0).total() < 5
                        && System.nanoTime() < deadlineDelivered) {
                    Thread.sleep(20);
                }
                assertEquals(5, alerts.outbox().list(AlertOutbox.State.DELIVERED, null, null, 10, 0).total());
            }
        }
    }

    @Test
    void webhook_failingEveryAttempt_isFailedForGoodWithItsLastError() throws Exception {
        try (EventStore store = EventStore.open(dir, Clock.systemUTC()); WebhookReceiver hook = new WebhookReceiver()) {
            hook.answer(500, 500, 500);
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(3));
            try (Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                alerts.listener().flushed(flush(scanners(store, 1, Instant.now())));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (alerts.outbox().list(AlertOutbox.State.FAILED, null, null, 10, 0).total() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                AlertOutbox.Entry failed = alerts.outbox().list(AlertOutbox.State.FAILED, "scanners", "ops-webhook", 10, 0).items().get(0);
                assertEquals(3, failed.attempts());
                assertTrue(failed.lastError().startsWith("IOException: HTTP 500 from 127.0.0.1"), failed.lastError());
                assertEquals(null, failed.nextAttempt());
                assertTrue(hook.received().isEmpty());
                assertTrue(log.stream().anyMatch(l -> l.contains("failed for good after 3 attempts")), log.toString());
            }
        }
    }

    @Test
    void outbox_alertsOwedWhenTheProcessDies_areDeliveredAfterReopenAndNeverAgain() throws Exception {
        try (WebhookReceiver hook = new WebhookReceiver()) {
            AlertSettings s = webhookSettings(hook.url("/"), AlertPolicy.Grouping.IP, Duration.ofMinutes(10),
                    AlertPolicy.Condition.anyFlagged(), fastRetries(5));
            try (EventStore store = EventStore.open(dir, Clock.systemUTC())) {
                Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add); // never started: dies owing
                alerts.listener().flushed(flush(scanners(store, 3, Instant.now())));
                assertEquals(3, alerts.outbox().list(AlertOutbox.State.PENDING, null, null, 10, 0).total());
            }
            assertTrue(hook.received().isEmpty());
            try (EventStore store = EventStore.open(dir, Clock.systemUTC());
                 Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                hook.await(r -> r.size() == 3, Duration.ofSeconds(10));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (alerts.outbox().list(AlertOutbox.State.DELIVERED, null, null, 10, 0).total() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(3, alerts.outbox().list(AlertOutbox.State.DELIVERED, null, null, 10, 0).total());
            }
            try (EventStore store = EventStore.open(dir, Clock.systemUTC());
                 Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                Thread.sleep(500);
                assertEquals(0, alerts.outbox().list(AlertOutbox.State.PENDING, null, null, 10, 0).total());
            }
            assertEquals(3, hook.received().size(), "a second restart sends nothing again");
            assertEquals(3, hook.received().stream().map(r -> r.header("X-Threatip-Alert-Id")).distinct().count());
        }
    }

    @Test
    void slack_bodyHasTextAndBlocksWithAttackerPathsEscaped() throws Exception {
        try (EventStore store = EventStore.open(dir, Clock.systemUTC()); WebhookReceiver hook = new WebhookReceiver()) {
            IpAddress ip = IpAddress.parse("185.220.101.37");
            ProfileUpdate u = seen(store, ip, scanner(Confidence.HIGH),
                    probes(ip, Instant.now(), 6, "/<!channel>", "/`rm -rf`*bold*", "/search?q=<https://evil.example|click>"), "syslog");
            ChannelSpec.Slack slack = new ChannelSpec.Slack("slack", hook.url("/services/T000/B000/XXXX"));
            AlertPolicy p = new AlertPolicy("scanners", AlertPolicy.Condition.anyFlagged(), AlertPolicy.Grouping.IP,
                    Duration.ofMinutes(10), List.of("slack"));
            AlertSettings s = new AlertSettings(List.of(p), java.util.Map.of("slack", slack), fastRetries(3));
            try (Alerts alerts = Alerts.open(s, store, () -> PUBLIC, Clock.systemUTC(), log::add).start()) {
                alerts.listener().flushed(flush(List.of(u)));
                WebhookReceiver.Request r = hook.await(got -> got.size() == 1, Duration.ofSeconds(10)).get(0);
                JsonNode body = JSON.readTree(r.body());
                assertTrue(body.path("text").asText().contains("185.220.101.37"), body.toString());
                assertTrue(body.path("blocks").isArray() && body.path("blocks").size() >= 3, body.toString());
                assertEquals("section", body.path("blocks").get(0).path("type").asText());
                String all = body.toString();
                assertFalse(all.contains("<!channel>"), all);
                assertFalse(all.contains("<https://evil.example|click>"), all);
                assertTrue(all.contains("&lt;!channel&gt;"), all);
                assertTrue(all.contains("`/'rm -rf'*bold*`"), all);
                assertTrue(all.contains("<" + PUBLIC + "#/ip/185.220.101.37|185.220.101.37>"), all);
                assertNotNull(r.header("X-Threatip-Alert-Id"));
            }
        }
    }

    static AlertOutbox.Entry awaitState(AlertOutbox outbox, long id, AlertOutbox.State state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        AlertOutbox.Entry e = null;
        while (System.nanoTime() < deadline) {
            e = outbox.get(id).orElseThrow();
            if (e.state() == state) {
                return e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("alert " + id + " never became " + state + ": " + e);
    }
}
