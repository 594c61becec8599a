package dev.threatip.alert;

import static dev.threatip.alert.AlertFixtures.T0;
import static dev.threatip.alert.AlertFixtures.listedBruteForce;
import static dev.threatip.alert.AlertFixtures.probes;
import static dev.threatip.alert.AlertFixtures.scanner;
import static dev.threatip.alert.AlertFixtures.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.IpActivity;
import dev.threatip.store.ProfileUpdate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each condition of a policy against verdicts and requests stored in a real DuckDB file. */
class PolicyConditionsTest {
    @TempDir
    Path dir;
    EventStore store;
    ProfileUpdate probingScanner;    // high scanner (behaviour), 12 probes in 12 s on nginx, incl. /wp-login.php
    ProfileUpdate slowScanner;       // moderate scanner, 12 probes one minute apart, from syslog
    ProfileUpdate listedBrute;       // high brute_force from a feed, 3 requests to /cgi-bin/luci.cgi
    ProfileUpdate generalScanner;    // suspicious (general) scanner

    @BeforeEach
    void seed() {
        store = EventStore.open(dir, Clock.systemUTC());
        IpAddress a = IpAddress.parse("45.155.205.233");
        probingScanner = seen(store, a, scanner(Confidence.HIGH), probes(a, T0, 12, "/.env", "/wp-login.php", "/.git/config"),
                "/var/log/nginx/access.log");
        IpAddress b = IpAddress.parse("91.240.118.172");
        List<AccessEvent> slow = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            slow.addAll(probes(b, T0.minus(Duration.ofMinutes(11 - i)), 1, "/phpmyadmin/index.php"));
        }
        slowScanner = seen(store, b, scanner(Confidence.MODERATE), slow, "syslog");
        IpAddress c = IpAddress.parse("185.180.246.23");
        listedBrute = seen(store, c, listedBruteForce(), probes(c, T0, 3, "/cgi-bin/luci.cgi"), "/var/log/nginx/access.log");
        IpAddress d = IpAddress.parse("103.251.167.10");
        generalScanner = seen(store, d, scanner(Confidence.GENERAL), probes(d, T0, 2, "/robots.txt"), "http");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<String> matching(AlertPolicy.Condition when) {
        AlertPolicy p = new AlertPolicy("p", when, AlertPolicy.Grouping.IP, Duration.ofMinutes(10), List.of("hook"));
        Alerter a = new Alerter(List.of(p), null, new IpActivity(store), () -> "http://127.0.0.1:8080/", Clock.systemUTC(), () -> { });
        return a.matches(p, List.of(probingScanner, slowScanner, listedBrute, generalScanner)).stream()
                .map(u -> u.ip().toString()).toList();
    }

    private static AlertPolicy.Condition when(Set<Verdict.Kind> verdicts, ThreatLevel level, Set<Category> categories, Confidence confidence,
                                             Set<AlertPolicy.Source> sources, long minHits, Duration window, List<String> paths,
                                             List<String> inputs) {
        return new AlertPolicy.Condition(verdicts, level, categories, confidence, sources, minHits, window, paths, inputs);
    }

    private static final Set<Verdict.Kind> FLAGGED = Set.of(Verdict.Kind.MALICIOUS, Verdict.Kind.SUSPICIOUS);

    @Test
    void anyFlagged_matchesEveryFlaggedIp() {
        assertEquals(List.of("45.155.205.233", "91.240.118.172", "185.180.246.23", "103.251.167.10"),
                matching(AlertPolicy.Condition.anyFlagged()));
    }

    @Test
    void verdictAndLevel_keepMaliciousAtLeastMedium() {
        assertEquals(List.of("45.155.205.233", "91.240.118.172", "185.180.246.23"),
                matching(when(Set.of(Verdict.Kind.MALICIOUS), null, Set.of(), null, Set.of(), 1, Duration.ofHours(1), List.of(), List.of())));
        assertEquals(List.of("45.155.205.233", "185.180.246.23"),
                matching(when(FLAGGED, ThreatLevel.HIGH, Set.of(), null, Set.of(), 1, Duration.ofHours(1), List.of(), List.of())));
        assertEquals(List.of("103.251.167.10"),
                matching(when(Set.of(Verdict.Kind.SUSPICIOUS), null, Set.of(), null, Set.of(), 1, Duration.ofHours(1), List.of(), List.of())));
    }

    @Test
    void categoryConfidenceAndSource_mustHoldForOneCategory() {
        assertEquals(List.of("45.155.205.233", "91.240.118.172"), matching(when(FLAGGED, null, Set.of(Category.SCANNER),
                Confidence.MODERATE, Set.of(), 1, Duration.ofHours(1), List.of(), List.of())));
        assertEquals(List.of("185.180.246.23"), matching(when(FLAGGED, null, Set.of(), null, Set.of(AlertPolicy.Source.INTEL), 1,
                Duration.ofHours(1), List.of(), List.of())));
        assertEquals(List.of(), matching(when(FLAGGED, null, Set.of(Category.SCANNER), null, Set.of(AlertPolicy.Source.INTEL), 1,
                Duration.ofHours(1), List.of(), List.of())), "a scanner seen by behaviour only is not an intel scanner");
    }

    @Test
    void minHitsInWindow_countsRequestsWithinTheWindowByEventTime() {
        assertEquals(List.of("45.155.205.233"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 10, Duration.ofMinutes(1),
                List.of(), List.of())), "12 in 12 s passes; 12 spread over 11 minutes has 2 in the last minute");
        assertEquals(List.of("45.155.205.233", "91.240.118.172"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 10,
                Duration.ofMinutes(15), List.of(), List.of())));
    }

    @Test
    void pathsAndInputs_areGlobsOverTheRequestsInTheWindow() {
        assertEquals(List.of("45.155.205.233"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 1, Duration.ofHours(1),
                List.of("/wp-login.php", "/xmlrpc.*"), List.of())));
        assertEquals(List.of("185.180.246.23"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 1, Duration.ofHours(1),
                List.of("/cgi-bin/*.cgi"), List.of())), "'.' is literal, '*' any run");
        assertEquals(List.of(), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 1, Duration.ofHours(1),
                List.of("/cgi-bin/luci?cgi("), List.of())), "regex characters in a glob are literal");
        assertEquals(List.of("45.155.205.233", "185.180.246.23"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 1,
                Duration.ofHours(1), List.of(), List.of("/var/log/nginx/*.log"))));
        assertEquals(List.of("91.240.118.172"), matching(when(FLAGGED, null, Set.of(), null, Set.of(), 1, Duration.ofHours(1),
                List.of(), List.of("syslog"))));
    }

    @Test
    void regex_ofGlobs_escapesEverythingButStarAndQuestionMark() {
        assertEquals("(?:/a\\.php)|(?:/x.*\\(1\\).)", Alerter.regex(List.of("/a.php", "/x*(1)?")));
        assertEquals(null, Alerter.regex(List.of()));
    }
}
