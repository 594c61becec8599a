package dev.threatip.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a sample workspace: threat feeds in five real formats, 24 hours of a web shop's traffic
 * logged by three services in three formats, with attackers of every behaviour category planted
 * among ordinary shoppers, and the geo and ASN databases that place every client. The same seed
 * and start give the same bytes. {@link LiveTraffic} keeps the logs growing afterwards.
 *
 * <p>Addresses lie in ordinary public space (45.x, 91.x, 185.x ...), not in the documentation
 * ranges, because the compiler leaves documentation space out of snapshots; they are fixtures
 * only, run by invented operators (documentation AS numbers) apart from the crawlers' Google and
 * Microsoft. Shoppers, the proxy pool, feed filler and each attacker role draw from disjoint
 * networks, so no shopper is listed by accident.
 *
 * <pre>
 * feeds/blocklist_de_ssh.ipset        FireHOL ipset with header    brute-forcers
 * feeds/ipsum.txt                     IP&lt;TAB&gt;count                 scanners, web attackers (counts 1-9)
 * feeds/tor-exit-nodes.lst            TorDNSEL ExitAddress          Tor exits
 * feeds/stix-webattack-bundle.json    STIX 2.1 indicators           web attackers (sqli, xss)
 * feeds/crawlers-googlebot-bingbot.json  MISP warninglist (cidr)    verified crawler ranges: known good
 * logs/access.log                     nginx combined                storefront, ~20,000 lines
 * logs/api-gateway.json               JSON lines (nginx style)      the storefront's API, ~8,000 lines
 * logs/alb.log                        AWS ALB access log            checkout and account, ~2,000 lines
 * geo/city.mmdb                       GeoLite2-City layout          country, city, coordinates of every client
 * geo/asn.mmdb                        GeoLite2-ASN layout           AS number and operator of every client
 * </pre>
 *
 * <p>Planted clients, each there to exercise one part of detection (see the package README):
 * brute-forcers (listed, and guessing passwords), scanners (listed, probing paths and CVEs), web
 * attackers (listed, injecting), exploiters (Log4Shell, CVE payloads; behaviour only), a
 * credential-stuffing proxy pool (account takeover; behaviour only), scrapers and a fake
 * Googlebot (behaviour only), open-proxy probers (behaviour only), Tor exits (listed, browsing
 * politely), verified crawlers (listed once by mistake, allowlisted) and 450 shoppers.
 */
public final class SampleWorkspace {
    /** What was planted, for the demo's printout and for tests. */
    public enum Role {
        /** Guesses passwords at a login (listed in blocklist_de_ssh). */
        BRUTE_FORCE,
        /** Probes paths for secrets, admin panels and CVEs (listed in ipsum). */
        SCANNER,
        /** Injects SQL, script and traversal payloads (listed in ipsum and STIX). */
        WEB_ATTACK,
        /** Sends exploit payloads: Log4Shell, CVE probes, Shellshock (caught by behaviour). */
        EXPLOIT,
        /** One of a residential proxy pool trying leaked credentials once or twice each (account takeover). */
        CREDENTIAL_STUFFING,
        /** Scrapes the catalogue with Scrapy or a fake Googlebot user agent (caught by behaviour). */
        SCRAPER,
        /** Probes for an open proxy with CONNECT and absolute URIs (caught by behaviour). */
        PROXY_PROBE,
        /** A Tor exit relaying an ordinary shopper (listed in the Tor exit list). */
        TOR,
        /** A verified search-engine crawler: known good. */
        CRAWLER,
        /** An ordinary shopper. */
        VISITOR
    }

    /**
     * One log file of the workspace.
     *
     * @param path   the file
     * @param format its format's name in the format registry ({@code combined}, {@code json}, {@code aws-alb})
     * @param lines  lines written
     */
    public record LogFile(Path path, String format, long lines) {
    }

    /**
     * A written workspace.
     *
     * @param root    the workspace directory
     * @param feeds   its feed folder (one spec compiles it all)
     * @param log     the storefront's access log (nginx combined), the first of {@code logs}
     * @param lines   lines in that access log
     * @param clients every client address of the logs with the role it plays, in planting order
     * @param logs    every log file with its format: {@code access.log}, {@code api-gateway.json}, {@code alb.log}
     * @param cityDb  the geo database (GeoLite2-City layout)
     * @param asnDb   the ASN database (GeoLite2-ASN layout)
     * @param dormant addresses the feeds list that the logs have not seen yet, with the role they
     *                will play when {@link LiveTraffic} brings them in
     * @param origins where every client and dormant address is and who runs it, as the databases answer
     */
    public record Written(Path root, Path feeds, Path log, long lines, Map<String, Role> clients, List<LogFile> logs,
                          Path cityDb, Path asnDb, Map<String, Role> dormant, Map<String, Origin> origins) {
        /** The logs folder (what {@code threatip scan} and {@code serve --watch} are pointed at). */
        public Path logsDir() {
            return log.getParent();
        }

        /** The addresses planted as attackers: listed in a threat feed or caught by a behaviour rule. */
        public List<String> attackers() {
            return clients.entrySet().stream()
                    .filter(e -> e.getValue() != Role.VISITOR && e.getValue() != Role.CRAWLER)
                    .map(Map.Entry::getKey).toList();
        }

        /** The client addresses playing {@code role}, in planting order. */
        public List<String> clients(Role role) {
            return clients.entrySet().stream().filter(e -> e.getValue() == role).map(Map.Entry::getKey).toList();
        }
    }

    private static final DateTimeFormatter FIREHOL_DATE = DateTimeFormatter
            .ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TOR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IPSUM_DATE = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final long DAY_MILLIS = 24 * 3_600_000L;
    private static final List<String> CRAWLERS = List.of("66.249.66.1", "66.249.66.87", "66.249.79.140",
            "157.55.39.12", "207.46.13.77");

    private final Random rnd;
    private final Instant start;
    private final Set<String> used = new HashSet<>();
    private final Map<Service, List<Line>> lines = new EnumMap<>(Service.class);
    private final Map<String, Role> clients = new LinkedHashMap<>();
    private final Map<String, Role> dormant = new LinkedHashMap<>();
    private final Behaviors traffic;

    private record Line(long epochMillis, int seq, String text) {
    }

    private SampleWorkspace(long seed, Instant start) {
        this.rnd = new Random(seed);
        this.start = start;
        for (Service s : Service.values()) {
            lines.put(s, new ArrayList<>());
        }
        this.traffic = new Behaviors(rnd, this::add);
    }

    /**
     * Writes the workspace under {@code root} (created when missing; files of earlier runs are replaced).
     *
     * @param seed  the random seed
     * @param start the first moment of the 24 hours of logs; the feeds are dated at its end
     */
    public static Written write(Path root, long seed, Instant start) throws IOException {
        return new SampleWorkspace(seed, start).writeAll(root);
    }

    private Written writeAll(Path root) throws IOException {
        Path feeds = Files.createDirectories(root.resolve("feeds"));
        Path logs = Files.createDirectories(root.resolve("logs"));
        Path geo = Files.createDirectories(root.resolve("geo"));
        Instant published = start.plus(Duration.ofHours(24));

        List<String> brute = attackers(10, Role.BRUTE_FORCE);
        List<String> scanners = attackers(8, Role.SCANNER);
        List<String> web = attackers(6, Role.WEB_ATTACK);
        List<String> exploiters = attackers(4, Role.EXPLOIT);
        List<String> scrapers = attackers(4, Role.SCRAPER);
        List<String> proxyProbers = attackers(3, Role.PROXY_PROBE);
        List<String> tor = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String ip = Operators.TOR_PREFIX + "." + (20 + 11 * i + rnd.nextInt(10));
            used.add(ip);
            tor.add(ip);
            clients.put(ip, Role.TOR);
        }
        CRAWLERS.forEach(ip -> {
            used.add(ip);
            clients.put(ip, Role.CRAWLER);
        });
        List<String> visitors = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            String ip = fresh(Operators.VISITOR_OCTETS);
            visitors.add(ip);
            clients.put(ip, Role.VISITOR);
        }
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String ip = fresh(Operators.PROXY_POOL_OCTETS);
            pool.add(ip);
            clients.put(ip, Role.CREDENTIAL_STUFFING);
        }
        List<String> dormantBrute = dormant(12, Role.BRUTE_FORCE);
        List<String> dormantScanners = dormant(12, Role.SCANNER);

        List<String> listedBrute = new ArrayList<>(brute);
        listedBrute.addAll(dormantBrute);
        List<String> listedScanners = new ArrayList<>(scanners);
        listedScanners.addAll(dormantScanners);
        writeIpset(feeds.resolve("blocklist_de_ssh.ipset"), listedBrute, published);
        writeIpsum(feeds.resolve("ipsum.txt"), listedScanners, web, CRAWLERS.get(0), published);
        writeTor(feeds.resolve("tor-exit-nodes.lst"), tor, published);
        writeStix(feeds.resolve("stix-webattack-bundle.json"), web.subList(0, 3), published);
        writeWarninglist(feeds.resolve("crawlers-googlebot-bingbot.json"));

        for (int v = 0; lines.get(Service.SHOP).size() < 16_000 || v < visitors.size(); v++) {
            // every shopper comes at least once, the rest of the day's sessions are drawn at random
            traffic.visit(visitors.get(v < visitors.size() ? v : rnd.nextInt(visitors.size())),
                    Behaviors.BROWSER_UAS[rnd.nextInt(Behaviors.BROWSER_UAS.length)], daytimeMillis(), 2 + rnd.nextInt(8));
        }
        for (String ip : CRAWLERS) {
            traffic.crawl(ip, ip.startsWith("66.") ? Behaviors.GOOGLEBOT_UA : Behaviors.BINGBOT_UA,
                    startMillis() + rnd.nextInt(3_600_000), 140, 330_000);
        }
        for (int i = 0; i < scanners.size(); i++) {
            traffic.scan(scanners.get(i), Behaviors.SCANNER_UAS[i % Behaviors.SCANNER_UAS.length], anyTimeMillis(),
                    120 + rnd.nextInt(60));
        }
        brute.forEach(ip -> traffic.bruteForce(ip, anyTimeMillis(), 80 + rnd.nextInt(60)));
        web.forEach(ip -> traffic.webAttack(ip, anyTimeMillis(), 40 + rnd.nextInt(30)));
        exploiters.forEach(ip -> traffic.exploit(ip, anyTimeMillis(), 12 + rnd.nextInt(12)));
        for (int i = 0; i < scrapers.size(); i++) {
            traffic.scrape(scrapers.get(i), anyTimeMillis(), 150 + rnd.nextInt(150), i % 2 == 1);
        }
        proxyProbers.forEach(ip -> traffic.proxyProbe(ip, anyTimeMillis(), 4 + rnd.nextInt(9)));
        traffic.stuffing(pool, anyTimeMillis(), 45 * 60_000);
        for (String ip : tor) {
            for (int s = 0; s < 3; s++) {
                traffic.visit(ip, Behaviors.TOR_UA, daytimeMillis(), 3 + rnd.nextInt(5));
            }
        }

        List<LogFile> files = new ArrayList<>();
        for (Service s : Service.values()) {
            files.add(writeLog(logs.resolve(s.fileName()), s));
        }
        Map<String, Origin> origins = new LinkedHashMap<>();
        clients.keySet().forEach(ip -> origins.put(ip, Operators.origin(ip)));
        dormant.keySet().forEach(ip -> origins.put(ip, Operators.origin(ip)));
        Path city = geo.resolve("city.mmdb");
        Path asn = geo.resolve("asn.mmdb");
        GeoDatabases.write(origins.keySet(), city, asn);
        return new Written(root, feeds, files.get(0).path(), files.get(0).lines(),
                Collections.unmodifiableMap(new LinkedHashMap<>(clients)), List.copyOf(files), city, asn,
                Collections.unmodifiableMap(new LinkedHashMap<>(dormant)), Collections.unmodifiableMap(origins));
    }

    /** Attackers of one role, from that role's hosting blocks. */
    private List<String> attackers(int n, Role role) {
        List<String> prefixes = Operators.HOSTING_PREFIXES.get(role);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip;
            do {
                ip = prefixes.get(i % prefixes.size()) + "." + (1 + rnd.nextInt(254)) + "." + (1 + rnd.nextInt(254));
            } while (!used.add(ip));
            out.add(ip);
            clients.put(ip, role);
        }
        return out;
    }

    /** Listed addresses from the feed-filler networks that only live traffic will bring in. */
    private List<String> dormant(int n, Role role) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip = fresh(Operators.FILLER_OCTETS);
            out.add(ip);
            dormant.put(ip, role);
        }
        return out;
    }

    private String fresh(int[] octets) {
        String ip;
        do {
            ip = octets[rnd.nextInt(octets.length)] + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "."
                    + (1 + rnd.nextInt(254));
        } while (!used.add(ip));
        return ip;
    }

    private LogFile writeLog(Path file, Service service) throws IOException {
        List<Line> log = lines.get(service);
        log.sort(Comparator.comparingLong(Line::epochMillis).thenComparingInt(Line::seq));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Line l : log) {
                w.write(l.text());
                w.write('\n');
            }
        }
        return new LogFile(file, service.format(), log.size());
    }

    // ---------------------------------------------------------------- feeds

    private void writeIpset(Path file, List<String> brute, Instant published) throws IOException {
        List<String> entries = new ArrayList<>(brute);
        for (int i = 0; i < 400; i++) {
            entries.add(fresh(Operators.FILLER_OCTETS));
        }
        entries.sort(Comparator.naturalOrder());
        StringBuilder b = new StringBuilder();
        b.append("#\n# blocklist_de_ssh\n#\n# ipv4 hash:ip ipset\n#\n")
                .append("# [Blocklist.de] (https://www.blocklist.de/) All IP addresses \n")
                .append("# which have been reported within the last 48 hours as having \n")
                .append("# run attacks on the service SSH.\n#\n")
                .append("# Maintainer      : Blocklist.de\n")
                .append("# Maintainer URL  : https://www.blocklist.de/\n")
                .append("# List source URL : http://lists.blocklist.de/lists/ssh.txt\n")
                .append("# Source File Date: ").append(FIREHOL_DATE.format(published.minusSeconds(360))).append('\n')
                .append("#\n# Category        : attacks\n# Version         : 82501\n#\n")
                .append("# This File Date  : ").append(FIREHOL_DATE.format(published)).append('\n')
                .append("# Update Frequency: 15 mins \n# Aggregation     : none\n")
                .append("# Entries         : ").append(entries.size()).append(" unique IPs\n#\n")
                .append("# Generated by FireHOL's update-ipsets.sh\n# Processed with FireHOL's iprange\n#\n");
        entries.forEach(e -> b.append(e).append('\n'));
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    private void writeIpsum(Path file, List<String> scanners, List<String> web, String crawler, Instant published)
            throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < scanners.size(); i++) {
            counts.put(scanners.get(i), i < 3 ? 6 + i : 2 + rnd.nextInt(3)); // three noisy scanners on many lists
        }
        for (String ip : web) {
            counts.put(ip, 1 + rnd.nextInt(3));
        }
        counts.put(crawler, 1); // a verified crawler some list got wrong: the warninglist must win
        for (int i = 0; i < 1200; i++) {
            int c = rnd.nextInt(100);
            counts.put(fresh(Operators.FILLER_OCTETS), c < 70 ? 1 : c < 90 ? 2 : c < 97 ? 3 : 4 + rnd.nextInt(4));
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        StringBuilder b = new StringBuilder("# IPsum Threat Intelligence Feed\n# (https://github.com/stamparm/ipsum)\n#\n")
                .append("# Last update: ").append(IPSUM_DATE.format(published)).append("\n#\n")
                .append("# IP\tnumber of (black)lists\n#\n");
        sorted.forEach(e -> b.append(e.getKey()).append('\t').append(e.getValue()).append('\n'));
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    private void writeTor(Path file, List<String> tor, Instant published) throws IOException {
        List<String> exits = new ArrayList<>(tor);
        for (int i = 0; i < 60; i++) {
            exits.add(fresh(Operators.FILLER_OCTETS));
        }
        StringBuilder b = new StringBuilder();
        for (String ip : exits) {
            Instant seen = published.minusSeconds(rnd.nextInt(6 * 3600));
            b.append("ExitNode ").append(hex(40)).append('\n')
                    .append("Published ").append(TOR_DATE.format(seen.minusSeconds(3600))).append('\n')
                    .append("LastStatus ").append(TOR_DATE.format(seen.minusSeconds(600))).append('\n')
                    .append("ExitAddress ").append(ip).append(' ').append(TOR_DATE.format(seen)).append('\n');
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    private void writeStix(Path file, List<String> web, Instant published) throws IOException {
        StringBuilder b = new StringBuilder("{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--").append(uuid())
                .append("\",\n  \"objects\": [\n");
        String[][] kinds = {{"SQL injection against e-commerce search", "sqli"},
            {"Reflected XSS probing", "xss"}, {"Path traversal and SQL injection", "webattack"}};
        String created = published.minus(Duration.ofDays(3)).toString();
        for (int i = 0; i < web.size(); i++) {
            b.append("    {\n      \"type\": \"indicator\",\n      \"spec_version\": \"2.1\",\n")
                    .append("      \"id\": \"indicator--").append(uuid()).append("\",\n")
                    .append("      \"created\": \"").append(created).append("\",\n")
                    .append("      \"modified\": \"").append(created).append("\",\n")
                    .append("      \"name\": \"").append(kinds[i % kinds.length][0]).append("\",\n")
                    .append("      \"indicator_types\": [\"malicious-activity\"],\n")
                    .append("      \"labels\": [\"").append(kinds[i % kinds.length][1]).append("\"],\n")
                    .append("      \"confidence\": ").append(70 + 10 * i).append(",\n")
                    .append("      \"pattern\": \"[ipv4-addr:value = '").append(web.get(i)).append("']\",\n")
                    .append("      \"pattern_type\": \"stix\",\n")
                    .append("      \"valid_from\": \"").append(created).append("\"\n    },\n");
        }
        // A sharing partner's internal C2 address: special-purpose space the compiler must leave out.
        b.append("    {\n      \"type\": \"indicator\",\n      \"spec_version\": \"2.1\",\n")
                .append("      \"id\": \"indicator--").append(uuid()).append("\",\n")
                .append("      \"created\": \"").append(created).append("\",\n")
                .append("      \"modified\": \"").append(created).append("\",\n")
                .append("      \"name\": \"Internal C2 relay seen by a partner\",\n")
                .append("      \"indicator_types\": [\"compromised\"],\n")
                .append("      \"pattern\": \"[ipv4-addr:value = '10.20.30.40']\",\n")
                .append("      \"pattern_type\": \"stix\",\n")
                .append("      \"valid_from\": \"").append(created).append("\"\n    }\n  ]\n}\n");
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    private static void writeWarninglist(Path file) throws IOException {
        Files.writeString(file, """
                {
                  "description": "Verified search-engine crawler ranges (Googlebot, Bingbot)",
                  "list": [
                    "66.249.64.0/19",
                    "157.55.39.0/24",
                    "207.46.13.0/24",
                    "2001:4860:4801:10::/60"
                  ],
                  "matching_attributes": ["ip-src", "ip-dst"],
                  "name": "List of known Googlebot and Bingbot crawler ranges",
                  "type": "cidr",
                  "version": 20261101
                }
                """, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- traffic

    private long startMillis() {
        return start.toEpochMilli();
    }

    /** A moment of the day weighted towards shopping hours (08-23 UTC). */
    private long daytimeMillis() {
        int hour = rnd.nextInt(10) < 8 ? 8 + rnd.nextInt(15) : rnd.nextInt(24);
        return startMillis() + hour * 3_600_000L + rnd.nextInt(3_600_000);
    }

    /** A moment in the first 22 hours, so a burst ends within the day. */
    private long anyTimeMillis() {
        return startMillis() + rnd.nextInt(22 * 3_600_000);
    }

    /** Keeps a request in the day: one that would run past the end is logged at its last millisecond. */
    private void add(Service service, Request r) {
        long clamped = Math.min(r.millis(), startMillis() + DAY_MILLIS - 1);
        Request in = clamped == r.millis() ? r : new Request(clamped, r.ip(), r.method(), r.target(), r.status(),
                r.bytes(), r.referer(), r.userAgent());
        List<Line> log = lines.get(service);
        log.add(new Line(clamped, log.size(), service.line(in)));
    }

    private String hex(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append("0123456789ABCDEF".charAt(rnd.nextInt(16)));
        }
        return b.toString();
    }

    private String uuid() {
        String h = hex(32).toLowerCase(Locale.ROOT);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-4" + h.substring(13, 16) + "-a" + h.substring(17, 20)
                + "-" + h.substring(20);
    }
}
