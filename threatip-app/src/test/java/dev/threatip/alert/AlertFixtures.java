package dev.threatip.alert;

import dev.threatip.ingest.IngestPipeline;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Realistic verdicts, events and flush results for the alert tests. */
final class AlertFixtures {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final String SECRET = "3f1c5e0a9b7d4e2f8a6c1b0d9e7f5a3c";

    private AlertFixtures() {
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static Verdict scanner(Confidence c) {
        ThreatLevel level = c == Confidence.HIGH ? ThreatLevel.HIGH : c == Confidence.MODERATE ? ThreatLevel.MEDIUM : ThreatLevel.LOW;
        Verdict.Kind kind = c == Confidence.GENERAL ? Verdict.Kind.SUSPICIOUS : Verdict.Kind.MALICIOUS;
        return new Verdict(kind, level, List.of(new CategoryVerdict(Category.SCANNER, c, "behavior", List.of("probing-4xx"), List.of())),
                List.of(), null, null, false, List.of());
    }

    static Verdict listedBruteForce() {
        return new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.HIGH, List.of(new CategoryVerdict(Category.BRUTE_FORCE, Confidence.HIGH,
                CategoryVerdict.INTEL, List.of(), List.of("blocklist_de_ssh"))), List.of(), null, null, false, List.of());
    }

    /** A scanner's requests stored as events: {@code n} probes of {@code paths} one second apart, ending at {@code end}. */
    static List<AccessEvent> probes(IpAddress ip, Instant end, int n, String... paths) {
        List<AccessEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String path = paths[i % paths.length];
            Instant t = end.minusSeconds(n - 1 - i);
            out.add(new AccessEvent(t, ip, "GET", "shop.example.com", path, null, 404, 153, "Mozilla/5.0 zgrab/0.x", "-",
                    ip + " - - [01/Nov/2026:00:00:00 +0000] \"GET " + path + " HTTP/1.1\" 404 153 \"-\" \"Mozilla/5.0 zgrab/0.x\""));
        }
        return out;
    }

    static ProfileUpdate update(IpAddress ip, Verdict v, long hits, Instant last) {
        return new ProfileUpdate(ip, v, hits, last.minusSeconds(Math.max(0, hits - 1)), last);
    }

    static IngestPipeline.FlushResult flush(List<ProfileUpdate> updates) {
        return new IngestPipeline.FlushResult(List.of(), updates, 0);
    }

    /** Stores the events and upserts their profile, as the pipeline does before telling listeners. */
    static ProfileUpdate seen(EventStore store, IpAddress ip, Verdict v, List<AccessEvent> events, String source) {
        store.appendEvents(events, source);
        ProfileUpdate u = new ProfileUpdate(ip, v, events.size(), events.get(0).time(), events.get(events.size() - 1).time());
        store.upsertProfiles(List.of(u));
        return u;
    }

    static AlertSettings webhookSettings(java.net.URI url, AlertPolicy.Grouping group, Duration suppress, AlertPolicy.Condition when,
                                         DeliverySettings delivery) {
        ChannelSpec.Webhook hook = new ChannelSpec.Webhook("ops-webhook", url, SECRET, Map.of("X-Env", "prod"));
        AlertPolicy p = new AlertPolicy("scanners", when, group, suppress, List.of("ops-webhook"));
        return new AlertSettings(List.of(p), Map.of("ops-webhook", hook), delivery);
    }

    static DeliverySettings fastRetries(int maxAttempts) {
        return new DeliverySettings(maxAttempts, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    static Set<Verdict.Kind> flagged() {
        return Set.of(Verdict.Kind.MALICIOUS, Verdict.Kind.SUSPICIOUS);
    }
}
