package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events and verdicts on documentation ranges for the store tests. */
final class StoreFixtures {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private StoreFixtures() {
    }

    /** {@code count} events starting at sequence {@code first}, one per second from T0, over 198.51.100.0/24. */
    static List<AccessEvent> events(long first, int count) {
        List<AccessEvent> out = new ArrayList<>(count);
        for (long i = first; i < first + count; i++) {
            IpAddress ip = IpAddress.parse("198.51.100." + (i % 256));
            out.add(event(T0.plusSeconds(i), ip, "/page/" + (i % 50), 200));
        }
        return out;
    }

    static AccessEvent event(Instant t, IpAddress ip, String path, int status) {
        String raw = ip + " - - [" + t + "] \"GET " + path + " HTTP/1.1\" " + status + " 512 \"-\" \"curl/8.0\"";
        return new AccessEvent(t, ip, "GET", "example.com", path, null, status, 512, "curl/8.0", null, raw);
    }

    static Verdict malicious(ThreatLevel level, Category category, Confidence confidence, String rule) {
        return new Verdict(Verdict.Kind.MALICIOUS, level,
                List.of(new CategoryVerdict(category, confidence, "behavior", List.of(rule), List.of())),
                List.of(), null, null, false, List.of());
    }

    static Verdict suspicious(Category category) {
        return new Verdict(Verdict.Kind.SUSPICIOUS, ThreatLevel.LOW,
                List.of(new CategoryVerdict(category, Confidence.GENERAL, CategoryVerdict.INTEL, List.of(), List.of("firehol_level1"))),
                List.of(), null, null, false, List.of());
    }
}
