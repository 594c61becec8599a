package dev.threatip.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.AddressClass;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.gateway.HeadlessChromium;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import dev.threatip.store.EventStore;
import dev.threatip.store.GatewayHit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium against a real {@link WebServer} on a loopback port,
 * over a real DuckDB store seeded with {@link SiteTraffic} and a compiled intel snapshot. What
 * the browser shows is compared with what the API answers to a plain HTTP client.
 */
class DashboardBrowserTest {
    private static final String TOKEN = "dashboard-test-admin-token-7f3a9c";
    /** A public address to block: the guard rails refuse the fixtures' documentation space. */
    private static final String BLOCKABLE = "185.180.246.23";
    /** A scanner the gate's own snapshot lists: its requests reach serve only through the gate's hit log. */
    private static final String EDGE_SCANNER = "203.0.113.45";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static EventStore store;
    private static WebServer server;
    private static HeadlessChromium chromium;
    private static WebDriver driver;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled();
        // the browser starts while the store is seeded: both take seconds
        CompletableFuture<HeadlessChromium> browser = CompletableFuture.supplyAsync(() -> {
            try {
                return HeadlessChromium.start(dir.resolve("chromium-profile"), 1366, 768);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            store = EventStore.open(dir.resolve("data"), Clock.systemUTC());
            SiteTraffic.writeTo(store, Instant.now().truncatedTo(ChronoUnit.SECONDS));
            store.appendEvents(List.of(SiteTraffic.visit(BLOCKABLE, "/.env"), SiteTraffic.visit(BLOCKABLE, "/.git/config")),
                    SiteTraffic.SOURCE);
            gateHits(Instant.now().truncatedTo(ChronoUnit.SECONDS));
            server = WebServer.builder().port(0).store(store).reputation(snapshot())
                    .tokens(ApiTokens.of(TOKEN, List.of())).build().start();
            base = server.url();
        } finally {
            chromium = browser.get(60, TimeUnit.SECONDS);
        }
        driver = chromium.driver();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ sign-in

    @Test
    void signIn_wrongTokenRefused_rightTokenKeptInSessionStorageOnly() {
        driver.get(base);
        js("sessionStorage.clear(); localStorage.clear();");
        driver.get(base);
        WebElement token = waitVisible(By.id("token"));
        token.sendKeys("not-the-admin-token-000000");
        driver.findElement(By.id("login-submit")).click();
        waitUntil(() -> driver.findElement(By.id("login-message")).getText().contains("refused"));
        assertTrue(driver.findElement(By.id("login")).isDisplayed());
        assertFalse(driver.findElement(By.id("topbar")).isDisplayed());

        token.clear();
        token.sendKeys(TOKEN, Keys.ENTER);
        waitVisible(By.cssSelector(".kpis"));
        assertEquals(TOKEN, js("return sessionStorage.getItem('threatip.token')"));
        assertEquals(0L, js("return localStorage.length"));
    }

    @Test
    void tokenRefusedMidSession_returnsToLoginWithMessage() {
        open("#/");
        waitVisible(By.cssSelector(".kpis"));
        js("sessionStorage.setItem('threatip.token', 'a-token-the-server-no-longer-takes')");
        driver.get(base + "#/feeds");
        waitUntil(() -> driver.findElement(By.id("login")).isDisplayed());
        assertTrue(driver.findElement(By.id("login-message")).getText().contains("401"));
        assertNull(js("return sessionStorage.getItem('threatip.token')"));
    }

    // ------------------------------------------------------------------ overview

    @Test
    void overview_countsMatchStatsAndEveryChartDraws() throws Exception {
        open("#/");
        JsonNode stats = api("/api/v1/stats");
        waitUntil(() -> kpi(0).equals(Long.toString(stats.get("requests").asLong())));
        assertEquals(stats.get("flagged_ips").asText(), kpi(1));
        assertEquals(stats.get("flagged_requests").asText(), kpi(2));
        assertEquals(6, stats.get("flagged_ips").asLong());

        List<WebElement> charts = driver.findElements(By.cssSelector("#view .chart-canvas"));
        assertEquals(4, charts.size(), "trend, category, confidence, country");
        for (WebElement chart : charts) {
            waitUntil(() -> paintedPixels(chart) > 400);
        }
        screenshot("overview");
    }

    @Test
    void autoRefresh_showsNewRequestsWithinSeconds_andPauseHoldsThem() throws Exception {
        open("#/");
        long before = api("/api/v1/stats").get("requests").asLong();
        waitUntil(() -> kpi(0).equals(Long.toString(before)));

        driver.findElement(By.id("refresh-toggle")).click();
        assertEquals("true", driver.findElement(By.id("refresh-toggle")).getAttribute("aria-pressed"));
        store.appendEvents(List.of(SiteTraffic.visit("198.51.100.77", "/products/moka-pot"),
                SiteTraffic.visit("198.51.100.77", "/cart")), "/var/log/nginx/access.log");
        Thread.sleep(5_500); // more than one refresh period
        assertEquals(Long.toString(before), kpi(0), "paused: the counts hold still");

        driver.findElement(By.id("refresh-toggle")).click(); // resume refreshes at once
        waitUntil(() -> kpi(0).equals(Long.toString(before + 2)));

        store.appendEvents(List.of(SiteTraffic.visit("198.51.100.78", "/")), "/var/log/nginx/access.log");
        waitUntil(() -> kpi(0).equals(Long.toString(before + 3))); // the next 5 s tick
    }

    @Test
    void rangeSelector_lastHour_countsOnlyThatHour() throws Exception {
        open("#/");
        long day = api("/api/v1/stats").get("requests").asLong();
        waitUntil(() -> kpi(0).equals(Long.toString(day)));
        long hourBefore = lastHourRequests();
        driver.findElement(By.cssSelector("#range button[data-range='1h']")).click();
        waitUntil(() -> text(".page-sub").startsWith("Last hour"));
        waitUntil(() -> !kpi(0).equals(Long.toString(day)));
        long shown = Long.parseLong(kpi(0));
        long hourAfter = lastHourRequests();
        // events only leave a sliding hour as time passes: the browser's window lies between ours
        assertTrue(hourAfter <= shown && shown <= hourBefore, hourAfter + " <= " + shown + " <= " + hourBefore);
        assertTrue(shown < day);
        driver.findElement(By.cssSelector("#range button[data-range='24h']")).click();
        waitUntil(() -> kpi(0).equals(Long.toString(day)) || text(".page-sub").startsWith("Last 24"));
    }

    @Test
    void overview_tableRowsAreTheApisIps_andFiltersNarrowThem() throws Exception {
        open("#/");
        List<String> all = ips(api("/api/v1/ips?limit=25&offset=0"));
        assertEquals(6, all.size());
        waitUntil(() -> rowKeys("#detected-ips").equals(all));

        new Select(driver.findElement(By.id("f-category"))).selectByValue("brute_force");
        waitUntil(() -> rowKeys("#detected-ips").equals(List.of(SiteTraffic.BRUTE)));
        assertEquals(ips(api("/api/v1/ips?category=brute_force&limit=25")), rowKeys("#detected-ips"));

        new Select(driver.findElement(By.id("f-category"))).selectByValue("web_attack");
        List<String> webAttack = ips(api("/api/v1/ips?category=web_attack&limit=25"));
        assertEquals(Set.of(SiteTraffic.SCANNER, SiteTraffic.XSS), Set.copyOf(webAttack));
        waitUntil(() -> rowKeys("#detected-ips").equals(webAttack));

        new Select(driver.findElement(By.id("f-confidence"))).selectByValue("high");
        waitUntil(() -> rowKeys("#detected-ips").equals(List.of(SiteTraffic.XSS)));

        new Select(driver.findElement(By.id("f-category"))).selectByValue("");
        new Select(driver.findElement(By.id("f-confidence"))).selectByValue("");
        new Select(driver.findElement(By.id("f-level"))).selectByValue("low");
        waitUntil(() -> rowKeys("#detected-ips").equals(List.of(SiteTraffic.BOT)));

        new Select(driver.findElement(By.id("f-level"))).selectByValue("");
        driver.findElement(By.id("f-search")).sendKeys("203.0.113.");
        List<String> prefix = ips(api("/api/v1/ips?q=203.0.113.&limit=25"));
        assertEquals(3, prefix.size());
        waitUntil(() -> rowKeys("#detected-ips").equals(prefix));
    }

    @Test
    void overview_sortingIsTheApisOrderOverAllPages() throws Exception {
        open("#/");
        waitUntil(() -> rowKeys("#detected-ips").size() == 6);
        driver.findElement(By.cssSelector("#detected-ips th:nth-child(5) button")).click(); // Hits
        List<String> byHits = ips(api("/api/v1/ips?sort=hits&order=desc&limit=25"));
        assertEquals(SiteTraffic.SCANNER, byHits.get(0));
        waitUntil(() -> rowKeys("#detected-ips").equals(byHits));
        assertEquals("descending", driver.findElement(By.cssSelector("#detected-ips th:nth-child(5)")).getAttribute("aria-sort"));

        driver.findElement(By.cssSelector("#detected-ips th:nth-child(5) button")).click();
        List<String> byHitsAscending = ips(api("/api/v1/ips?sort=hits&order=asc&limit=25"));
        waitUntil(() -> rowKeys("#detected-ips").equals(byHitsAscending));
    }

    @Test
    void overview_enterOnFocusedRow_opensThatIpsProfile() {
        open("#/");
        waitUntil(() -> rowKeys("#detected-ips").contains(SiteTraffic.BRUTE));
        WebElement row = driver.findElement(By.cssSelector("#detected-ips tr[data-key='" + SiteTraffic.BRUTE + "']"));
        assertEquals("0", row.getAttribute("tabindex"));
        js("arguments[0].focus()", row);
        assertEquals(row, driver.switchTo().activeElement());
        row.sendKeys(Keys.ENTER);
        waitUntil(() -> driver.getCurrentUrl().endsWith("#/ip/" + SiteTraffic.BRUTE));
        waitUntil(() -> text(".profile-ip").equals(SiteTraffic.BRUTE));
        waitUntil(() -> text("#view").contains("Frankfurt am Main"));
    }

    // ------------------------------------------------------------------ profile

    @Test
    void profile_showsVerdictEvidenceGeoAndPagesTheLinkedLogs() throws Exception {
        open("#/ip/" + SiteTraffic.SCANNER);
        waitUntil(() -> text(".profile-ip").equals(SiteTraffic.SCANNER));
        waitUntil(() -> text("#view").contains("Amsterdam"));
        String page = text("#view");
        for (String expected : List.of("malicious", "scanner", "web_attack", "probing-4xx", "path-traversal",
                "AS64496", "Example Hosting B.V.", "52.3740, 4.8897", "/.env", "Mozilla/5.0 zgrab/0.x")) {
            assertTrue(page.contains(expected), "profile shows " + expected);
        }
        assertEquals(1, driver.findElements(By.cssSelector("svg.map circle.map-dot")).size());
        waitUntil(() -> text("#view").contains("48")); // probing-4xx's peak count, from the hits API
        for (WebElement action : driver.findElements(By.cssSelector(".actions button"))) {
            waitUntil(action::isEnabled); // signed in with the admin token: the actions are offered
            assertEquals("", action.getAttribute("title"), action.getText() + " has no read-only tooltip");
        }
        WebElement statuses = driver.findElement(By.cssSelector(".profile-statuses .chart-canvas"));
        waitUntil(() -> paintedPixels(statuses) > 200);

        JsonNode firstPage = api("/api/v1/ips/" + SiteTraffic.SCANNER + "/logs?limit=25&offset=0");
        assertEquals(SiteTraffic.SCANNER_REQUESTS, firstPage.get("total").asInt());
        waitUntil(() -> rowKeys("#access-logs").size() == 25);
        assertEquals("1–25 of 60", text("#access-logs .pager-status"));
        screenshot("profile");

        List<String> first = rowKeys("#access-logs");
        driver.findElement(By.xpath("//section[@id='access-logs']//button[contains(., 'Next')]")).click();
        waitUntil(() -> text("#access-logs .pager-status").equals("26–50 of 60"));
        List<String> second = rowKeys("#access-logs");
        assertEquals(25, second.size());
        Set<String> overlap = new HashSet<>(first);
        overlap.retainAll(second);
        assertTrue(overlap.isEmpty(), "the next page shows other records: " + overlap);
        JsonNode secondPage = api("/api/v1/ips/" + SiteTraffic.SCANNER + "/logs?limit=25&offset=25");
        assertEquals(secondPage.get("items").get(0).get("raw").asText(),
                driver.findElement(By.cssSelector("#access-logs tbody tr td:nth-child(2) span")).getAttribute("title"));
    }

    @Test
    void profile_xssInUserAgentAndLogLine_isShownAsTextNeverRun() {
        open("#/ip/" + SiteTraffic.XSS);
        waitUntil(() -> text(".ua-list").contains(SiteTraffic.XSS_AGENT));
        waitUntil(() -> rowKeys("#access-logs").size() == 8);
        assertTrue(text("pre.samples").contains(SiteTraffic.XSS_QUERY), "the raw line shows the script as text");
        assertTrue(text("#access-logs").contains("/search?" + SiteTraffic.XSS_QUERY));
        assertNull(js("return window.__xss === undefined ? null : String(window.__xss)"));
        assertEquals(0L, js("return document.querySelectorAll('#view img, #view script').length"));
    }

    @Test
    void profile_ipv6AddressFromItsRowLink_showsItsProfile() {
        open("#/");
        waitUntil(() -> rowKeys("#detected-ips").contains(SiteTraffic.EXPLOIT));
        WebElement link = driver.findElement(By.cssSelector("#detected-ips tr[data-key='" + SiteTraffic.EXPLOIT + "'] a.ip"));
        assertEquals(base + "#/ip/2001%3Adb8%3A%3A5", link.getAttribute("href"));
        link.click();
        waitUntil(() -> text(".profile-ip").equals(SiteTraffic.EXPLOIT));
        waitUntil(() -> text("#view").contains("São Paulo") && text("#view").contains("log4shell"));
        assertTrue(text(".ua-list").contains("${jndi:ldap://"), "the Log4Shell agent is shown as it was sent");
    }

    @Test
    void profile_unknownIp_saysNothingIsKnown() {
        open("#/ip/192.0.2.250");
        waitUntil(() -> text("#view").contains("knows nothing about 192.0.2.250"));
    }

    @Test
    void profile_blockButton_createsABanShownOnTheProfile_andAllowLiftsIt() throws Exception {
        String ip = BLOCKABLE;
        open("#/ip/" + ip);
        waitUntil(() -> text(".profile-ip").equals(ip));
        waitUntil(() -> driver.findElement(By.cssSelector("button.action-block")).isEnabled());
        new Select(driver.findElement(By.cssSelector(".action-duration"))).selectByValue("4h");
        driver.findElement(By.cssSelector("button.action-block")).click();
        waitUntil(() -> !driver.findElements(By.cssSelector(".decisions li[data-status='active']")).isEmpty());

        JsonNode listed = api("/api/v1/decisions?ip=" + ip);
        assertEquals(1, listed.get("total").asInt());
        JsonNode d = listed.get("items").get(0);
        assertEquals("ban", d.get("type").asText());
        assertEquals("manual", d.get("origin").asText());
        assertEquals(4 * 3600, d.get("duration_seconds").asInt());
        assertEquals(d.get("id").asText(), driver.findElement(By.cssSelector(".decisions li")).getAttribute("data-decision"));
        assertTrue(text("#actions-note").startsWith("Banned " + ip + " until "), text("#actions-note"));

        driver.findElement(By.cssSelector("button.action-allow")).click();
        waitUntil(() -> !driver.findElements(By.cssSelector(".decisions li[data-status='deleted']")).isEmpty());
        assertEquals(0, api("/api/v1/decisions?active=true&ip=" + ip).get("total").asInt());
        waitUntil(() -> text("#actions-note").startsWith("Allowed: 1 decision deleted"));

        driver.findElement(By.cssSelector("button.action-block")).click();
        waitUntil(() -> text("#actions-note").startsWith("Block refused: " + ip + "/32 overlaps " + ip + "/32, allowed by an operator"));
    }

    @Test
    void profile_blockOnDocumentationSpace_showsTheGuardRailsRefusal() {
        open("#/ip/" + SiteTraffic.SCANNER);
        waitUntil(() -> text(".profile-ip").equals(SiteTraffic.SCANNER));
        waitUntil(() -> driver.findElement(By.cssSelector("button.action-block")).isEnabled());
        driver.findElement(By.cssSelector("button.action-block")).click();
        waitUntil(() -> text("#actions-note").equals("Block refused: " + SiteTraffic.SCANNER
                + "/32 is documentation space (special-purpose, RFC 6890): never decided"));
        assertTrue(driver.findElements(By.cssSelector(".decisions li")).isEmpty());
    }

    // ------------------------------------------------------------------ hits and feeds

    @Test
    void hits_showTrendAndDetail_filteredByRule() throws Exception {
        open("#/hits");
        String window = "&from=" + enc(Instant.now().minus(Duration.ofHours(24))) + "&to=" + enc(Instant.now().plusSeconds(60));
        JsonNode all = api("/api/v1/hits?limit=25" + window);
        assertTrue(all.get("total").asInt() >= 6, "six detections and the intel hits");
        waitUntil(() -> rowKeys("#hits-detail").size() == Math.min(25, all.get("total").asInt()));
        waitUntil(() -> paintedPixels(driver.findElement(By.cssSelector("#view .chart-canvas"))) > 400);
        screenshot("hits");

        driver.findElement(By.id("f-rule")).sendKeys("login-failures");
        waitUntil(() -> rowKeys("#hits-detail").size() == 1);
        assertTrue(text("#hits-detail tbody").contains(SiteTraffic.BRUTE));
        assertTrue(text("#hits-detail tbody").contains("brute_force"));

        driver.findElement(By.id("f-rule")).clear();
        driver.findElement(By.id("f-rule")).sendKeys(" ", Keys.BACK_SPACE);
        new Select(driver.findElement(By.id("f-category"))).selectByValue("exploit");
        JsonNode exploit = api("/api/v1/hits?category=exploit&limit=25" + window);
        waitUntil(() -> rowKeys("#hits-detail").size() == exploit.get("total").asInt());
        assertTrue(text("#hits-detail tbody").contains("log4shell"));
    }

    @Test
    void hits_gatewayActionsShownMarkedAndFilteredByAction_profileAndOverviewCountThem() throws Exception {
        open("#/hits");
        String window = "&from=" + enc(Instant.now().minus(Duration.ofHours(24))) + "&to=" + enc(Instant.now().plusSeconds(60));
        new Select(driver.findElement(By.id("f-action"))).selectByValue("block");
        JsonNode blocks = api("/api/v1/hits?action=block&limit=25" + window);
        assertEquals(2, blocks.get("total").asInt(), blocks.toString());
        waitUntil(() -> rowKeys("#hits-detail").size() == 2);
        List<WebElement> rows = driver.findElements(By.cssSelector("#hits-detail tbody tr[data-key]"));
        for (WebElement row : rows) {
            assertEquals("row-gateway", row.getAttribute("class"), "gateway rows are marked");
            assertTrue(row.getText().contains("gateway") && row.getText().contains("block"), row.getText());
        }
        assertTrue(text("#hits-detail tbody").contains("not enforced"), "the monitor-mode hit says so");
        assertTrue(text("#hits-detail tbody").contains("GET shop.example/.env → 403"), text("#hits-detail tbody"));

        new Select(driver.findElement(By.id("f-action"))).selectByValue("js_challenge");
        waitUntil(() -> rowKeys("#hits-detail").size() == 1);
        assertTrue(text("#hits-detail tbody").contains(SiteTraffic.BOT), text("#hits-detail tbody"));
        assertEquals(1, driver.findElements(By.cssSelector("#hits-detail tbody .act-js_challenge")).size());
        screenshot("hits-gateway");

        new Select(driver.findElement(By.id("f-action"))).selectByValue("");
        new Select(driver.findElement(By.id("f-source"))).selectByValue("gateway");
        waitUntil(() -> rowKeys("#hits-detail").size() == 3);

        open("#/ip/" + EDGE_SCANNER);
        waitUntil(() -> text("#profile-gateway").contains("Last:"));
        assertTrue(text("#profile-gateway").contains("block 2"), text("#profile-gateway"));
        assertTrue(text("#profile-gateway").contains("1 not enforced"), text("#profile-gateway"));

        open("#/");
        waitUntil(() -> text("#kpi-edge").contains("1 blocked · 1 challenged"));
        assertTrue(text("#kpi-edge").contains("1 not enforced (monitor mode)"), text("#kpi-edge"));
    }

    @Test
    void feeds_listEachFeedWithEntriesAndFreshness() throws Exception {
        open("#/feeds");
        JsonNode feeds = api("/api/v1/feeds");
        List<String> names = new ArrayList<>();
        feeds.get("items").forEach(f -> names.add(f.get("name").asText()));
        assertEquals(List.of("firehol_level1", "tor_exits"), names.stream().sorted().toList());
        waitUntil(() -> rowKeys("#feeds-table").size() == 2);
        String table = text("#feeds-table");
        assertTrue(table.contains("tor_exits") && table.contains("fresh"), table);
        assertTrue(text("#feeds-snapshot").contains("intel.tis"));
        screenshot("feeds");
    }

    @Test
    void alerts_showOwedAndFailedDeliveriesWithTheirErrors() throws Exception {
        dev.threatip.store.AlertOutbox outbox = new dev.threatip.store.AlertOutbox(store);
        List<Long> ids = outbox.enqueue(List.of(
                new dev.threatip.store.AlertOutbox.Owed("high-threats", "ops-webhook", "{\"ip\":\"185.220.101.37\"}"),
                new dev.threatip.store.AlertOutbox.Owed("high-threats", "mail", "{\"ip\":\"185.220.101.37\"}")));
        outbox.markAttemptFailed(ids.get(0), "HTTP 503 from https://hooks.example.net/threatip", null);
        outbox.markAttemptFailed(ids.get(1), "connection refused", java.time.Instant.now().plusSeconds(60));
        open("#/alerts");
        waitUntil(() -> rowKeys("#alerts-table").size() == 2);
        String table = text("#alerts-table");
        assertTrue(table.contains("failed") && table.contains("HTTP 503") && table.contains("pending"), table);
        new Select(driver.findElement(By.id("alerts-state"))).selectByValue("failed");
        waitUntil(() -> rowKeys("#alerts-table").size() == 1);
        assertTrue(text("#alerts-table").contains("ops-webhook"));
    }

    // ------------------------------------------------------------------ the page itself

    @Test
    void dashboard_loadsOnlyFromItsOwnOrigin_withoutConsoleErrors() {
        driver.manage().logs().get(LogType.BROWSER); // drop what earlier tests logged
        open("#/");
        waitUntil(() -> paintedPixels(driver.findElement(By.cssSelector("#view .chart-canvas"))) > 400);
        assertEquals("function", js("return typeof echarts.init"));
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        assertFalse(resources.isEmpty());
        for (String url : resources) {
            assertTrue(url.startsWith(base), "loaded from the server itself: " + url);
        }
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                errors.add(e.getMessage());
            }
        }
        assertEquals(List.of(), errors);
    }

    // ------------------------------------------------------------------ helpers

    /** Loads the dashboard at a route, signing in when it asks. */
    private static void open(String hash) {
        driver.get(base + hash);
        waitUntil(() -> driver.findElement(By.id("login")).isDisplayed() || driver.findElement(By.id("topbar")).isDisplayed());
        if (driver.findElement(By.id("login")).isDisplayed()) {
            driver.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
            waitUntil(() -> driver.findElement(By.id("topbar")).isDisplayed());
        }
    }

    private static JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base).resolve(pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static long lastHourRequests() throws IOException, InterruptedException {
        Instant now = Instant.now();
        return api("/api/v1/stats?from=" + enc(now.minus(Duration.ofHours(1))) + "&to=" + enc(now))
                .get("requests").asLong();
    }

    private static List<String> ips(JsonNode page) {
        List<String> ips = new ArrayList<>();
        page.get("items").forEach(i -> ips.add(i.get("ip").asText()));
        return ips;
    }

    private static String enc(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    @SuppressWarnings("unchecked")
    private static List<String> rowKeys(String container) {
        return (List<String>) js("return [...document.querySelectorAll(arguments[0] + ' tbody tr[data-key]')]"
                + ".map(r => r.dataset.key)", container);
    }

    private static String text(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** The KPI value at index, digits only. */
    private static String kpi(int index) {
        List<WebElement> values = driver.findElements(By.cssSelector(".kpi .kpi-value"));
        return values.size() <= index ? "" : values.get(index).getText().replaceAll("[^0-9]", "");
    }

    /** Pixels of the chart's canvas that are not transparent (ECharts draws on a clear canvas). */
    private static long paintedPixels(WebElement chartHost) {
        Object n = js("const c = arguments[0].querySelector('canvas');"
                + "if (!c || !c.width || !c.height) return 0;"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", chartHost);
        return ((Number) n).longValue();
    }

    private static WebElement waitVisible(By by) {
        waitUntil(() -> !driver.findElements(by).isEmpty() && driver.findElement(by).isDisplayed());
        return driver.findElement(by);
    }

    /** Waits up to 10 s; a timeout reports the route, the console and what the page shows. */
    private static void waitUntil(Supplier<Boolean> condition) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(RuntimeException.class)
                    .until(d -> condition.get());
        } catch (TimeoutException e) {
            StringBuilder console = new StringBuilder();
            driver.manage().logs().get(LogType.BROWSER).forEach(l -> console.append("\n  ").append(l.getMessage()));
            throw new AssertionError("timed out at " + driver.getCurrentUrl() + "; console:" + console
                    + "\npage:\n" + text("body"), e);
        }
    }

    /**
     * Saves what a 1366 × 768 laptop shows as {@code name}.png, and the whole page as
     * {@code name}-full.png (Chromium's capture beyond the viewport).
     */
    private static void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            long width = ((Number) js("return document.documentElement.clientWidth")).longValue();
            long height = ((Number) js("return document.documentElement.scrollHeight")).longValue();
            Map<String, Object> shot = chromium.driver().executeCdpCommand("Page.captureScreenshot", Map.of(
                    "format", "png", "captureBeyondViewport", true,
                    "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height, 5000), "scale", 1)));
            Files.write(SCREENSHOTS.resolve(name + "-full.png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What threatip gate's hit log gave serve: a block, a monitor-mode block of the scanner and a challenged bot. */
    private static void gateHits(Instant now) {
        List<AccessEvent> events = new ArrayList<>();
        List<GatewayHit> hits = new ArrayList<>();
        Object[][] lines = {
            {now.minusSeconds(300), EDGE_SCANNER, "/.env", 403, "reputation", Category.SCANNER, Action.BLOCK, true, "4c1f0a9e2b7d3e61"},
            {now.minusSeconds(200), EDGE_SCANNER, "/wp-login.php", 200, "reputation", Category.SCANNER, Action.BLOCK, false,
                "4c1f0a9e2b7d3e62"},
            {now.minusSeconds(100), SiteTraffic.BOT, "/products", 403, "scrapers", null, Action.JS_CHALLENGE, true, "00000000000000b7"},
        };
        for (Object[] l : lines) {
            Instant t = (Instant) l[0];
            IpAddress ip = IpAddress.parse((String) l[1]);
            Category c = (Category) l[5];
            Action a = (Action) l[6];
            String raw = "{\"time\":\"" + t + "\",\"client_ip\":\"" + ip + "\",\"method\":\"GET\",\"host\":\"shop.example\","
                    + "\"path\":\"" + l[2] + "\",\"status\":" + l[3] + ",\"rule\":\"" + l[4] + "\",\"action\":\"" + a.wireName()
                    + "\",\"enforced\":" + l[7] + ",\"request_id\":\"" + l[8] + "\"}";
            events.add(new AccessEvent(t, ip, "GET", "shop.example", (String) l[2], null, (Integer) l[3], -1, "zgrab/0.x", null, raw));
            hits.add(new GatewayHit(t, ip, (String) l[4], c, c == null ? null : Confidence.HIGH, a, (Boolean) l[7], (String) l[8],
                    (Integer) l[3], "GET", "shop.example", (String) l[2]));
        }
        store.appendEvents(events, "/var/log/threatip/gate-hits.log", null, hits);
    }

    /** A snapshot of two feeds (documentation ranges allowed in), as {@code serve --intel} loads it. */
    private static LiveReputation snapshot() throws IOException {
        Path feeds = Files.createDirectories(dir.resolve("feeds"));
        Files.writeString(feeds.resolve("tor_exits.txt"), "# Tor exit nodes\n" + SiteTraffic.PROXY + "\n203.0.113.67\n203.0.113.68\n");
        Files.writeString(feeds.resolve("firehol_level1.netset"), "# FireHOL level 1\n2001:db8::/48\n198.51.100.128/25\n");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> resolved = new ArrayList<>();
        resolved.addAll(source.resolve(FeedSpec.parse(feeds.resolve("tor_exits.txt") + ",name=tor_exits,category=network_proxy")));
        resolved.addAll(source.resolve(FeedSpec.parse(feeds.resolve("firehol_level1.netset") + ",name=firehol_level1")));
        Path intel = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION)))
                .compile(resolved, intel);
        return LiveReputation.open(intel, ReputationIndex.OpenOptions.defaults());
    }
}
