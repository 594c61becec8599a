package dev.threatip.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deciding realistic requests with the built-in and with operator policies. */
class PolicyTest {
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36";
    static final IpAddress SCANNER = IpAddress.parse("203.0.113.7");
    static final IpAddress SHOPPER = IpAddress.parse("198.51.100.23");

    @TempDir
    Path dir;

    static Verdict verdict(Category c, Confidence f, String... tags) {
        Verdict.Kind kind = f == Confidence.GENERAL ? Verdict.Kind.SUSPICIOUS : Verdict.Kind.MALICIOUS;
        ThreatLevel level = f == Confidence.HIGH ? ThreatLevel.HIGH : f == Confidence.MODERATE ? ThreatLevel.MEDIUM : ThreatLevel.LOW;
        return new Verdict(kind, level, List.of(new CategoryVerdict(c, f, "intel", List.of(), List.of("firehol_level1"))),
                List.of(tags), null, null, false, List.of());
    }

    static RequestView get(IpAddress client, String host, String path, String ua) {
        return RequestView.of(client, "GET", host, path, Map.of("User-Agent", ua, "Accept", "text/html"));
    }

    Policy policy(String yaml) throws Exception {
        return policy(yaml, System::nanoTime);
    }

    Policy policy(String yaml, java.util.function.LongSupplier ticker) throws Exception {
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, yaml);
        return Policy.load(f, ticker);
    }

    @Test
    void defaults_highScanner_blocksWith403FromReputation() {
        PolicyDecision d = Policy.defaults().decide(get(SCANNER, "shop.example", "/.env", "zgrab/0.x"),
                verdict(Category.SCANNER, Confidence.HIGH));
        assertEquals(Action.BLOCK, d.action());
        assertEquals("reputation", d.ruleId());
        assertEquals(Category.SCANNER, d.category());
        assertEquals(Confidence.HIGH, d.confidence());
        assertEquals(403, d.status());
        assertTrue(d.isHit());
    }

    @Test
    void defaults_matrixCells_moderateChallengesGeneralMonitorsProxyHighIsChallenged() {
        Policy p = Policy.defaults();
        RequestView r = get(SCANNER, "shop.example", "/", CHROME);
        assertEquals(Action.JS_CHALLENGE, p.decide(r, verdict(Category.SCANNER, Confidence.MODERATE)).action());
        assertEquals(Action.MONITOR, p.decide(r, verdict(Category.MALICIOUS_BOT, Confidence.GENERAL)).action());
        assertEquals(Action.MANAGED_CHALLENGE, p.decide(r, verdict(Category.NETWORK_PROXY, Confidence.HIGH)).action());
        assertEquals(Action.MANAGED_CHALLENGE, p.decide(r, verdict(Category.ACCOUNT_TAKEOVER, Confidence.MODERATE)).action());
    }

    @Test
    void defaults_cleanClient_passesWithoutHit() {
        PolicyDecision d = Policy.defaults().decide(get(SHOPPER, "shop.example", "/cart", CHROME), Verdict.clean());
        assertEquals(Action.ALLOW, d.action());
        assertFalse(d.isHit());
    }

    @Test
    void decide_strongestCategoryWins_whateverTheOrder() {
        Verdict v = new Verdict(Verdict.Kind.MALICIOUS, ThreatLevel.HIGH, List.of(
                new CategoryVerdict(Category.NETWORK_PROXY, Confidence.HIGH, "intel", List.of(), List.of("tor")),
                new CategoryVerdict(Category.BRUTE_FORCE, Confidence.HIGH, "intel", List.of(), List.of("blocklist_de_ssh"))),
                List.of(), null, null, false, List.of());
        PolicyDecision d = Policy.defaults().decide(get(SCANNER, "shop.example", "/login", CHROME), v);
        assertEquals(Action.BLOCK, d.action());
        assertEquals(Category.BRUTE_FORCE, d.category());
    }

    @Test
    void decide_sharedAddress_getsChallengeInsteadOfBlock() {
        PolicyDecision d = Policy.defaults().decide(get(SCANNER, "shop.example", "/", CHROME),
                verdict(Category.NETWORK_ATTACK, Confidence.HIGH, "shared"));
        assertEquals(Action.MANAGED_CHALLENGE, d.action());
        assertTrue(d.shared());
        assertEquals(0, d.status());
    }

    @Test
    void decide_liveDecisions_banBlocksCaptchaChallenges() {
        RequestView r = get(SHOPPER, "shop.example", "/", CHROME);
        PolicyDecision ban = Policy.defaults().decide(r, Verdict.clean(), LiveDecision.BAN);
        assertEquals(Action.BLOCK, ban.action());
        assertEquals("decision", ban.ruleId());
        assertEquals(Action.MANAGED_CHALLENGE, Policy.defaults().decide(r, Verdict.clean(), LiveDecision.CAPTCHA).action());
    }

    @Test
    void exceptions_healthCheckSkipsAll_officeSkipsOnlyReputation() throws Exception {
        Policy p = policy("""
                exceptions:
                  - id: health-checks
                    path: /healthz
                    method: [GET, HEAD]
                    skip: all
                  - id: office
                    ip: [192.0.2.0/24, 2001:db8:10::/48]
                    skip: [reputation]
                """);
        PolicyDecision health = p.decide(get(SCANNER, "shop.example", "/healthz", "kube-probe/1.29"),
                verdict(Category.SCANNER, Confidence.HIGH), LiveDecision.BAN);
        assertEquals(Action.ALLOW, health.action());
        assertEquals("health-checks", health.ruleId());
        // a POST to /healthz is not the health check
        assertEquals(Action.BLOCK, p.decide(RequestView.of(SCANNER, "POST", "shop.example", "/healthz", Map.of()),
                verdict(Category.SCANNER, Confidence.HIGH)).action());

        IpAddress office = IpAddress.parse("192.0.2.44");
        assertEquals(Action.ALLOW, p.decide(get(office, "shop.example", "/", CHROME),
                verdict(Category.NETWORK_PROXY, Confidence.HIGH)).action());
        assertEquals(Action.BLOCK, p.decide(get(office, "shop.example", "/", CHROME), Verdict.clean(), LiveDecision.BAN).action(),
                "the office exception skips reputation only, not the operator's own ban");
        assertEquals(Action.ALLOW, p.decide(get(IpAddress.parse("2001:db8:10::5"), "shop.example", "/", CHROME),
                verdict(Category.SCANNER, Confidence.HIGH)).action());
    }

    @Test
    void exceptions_partnerHeaderValue_skipsNamedRuleOnly() throws Exception {
        Policy p = policy("""
                rules:
                  - id: no-scripts
                    user_agent: [python-requests, curl/]
                    action: block
                exceptions:
                  - id: partner-api
                    host: api.shop.example
                    headers: {X-Partner-Key: [k-7f3a91, k-22c0de]}
                    skip: [no-scripts]
                """);
        RequestView partner = RequestView.of(SHOPPER, "GET", "api.shop.example:443", "/v1/orders",
                Map.of("User-Agent", "python-requests/2.31.0", "X-Partner-Key", "k-7f3a91"));
        assertEquals(Action.ALLOW, p.decide(partner, Verdict.clean()).action());
        RequestView forged = RequestView.of(SHOPPER, "GET", "api.shop.example", "/v1/orders",
                Map.of("User-Agent", "python-requests/2.31.0", "X-Partner-Key", "guess"));
        PolicyDecision d = p.decide(forged, Verdict.clean());
        assertEquals(Action.BLOCK, d.action());
        assertEquals("no-scripts", d.ruleId());
        // skipping the rule does not skip reputation
        assertEquals(Action.BLOCK, p.decide(partner, verdict(Category.SCANNER, Confidence.HIGH)).action());
    }

    @Test
    void overrides_hostAndPathPrefix_layerOverBaseAndResistPathTricks() throws Exception {
        Policy p = policy("""
                matrix:
                  scanner: {moderate: monitor}
                paths:
                  /login: {matrix: {all: {moderate: managed_challenge, general: js_challenge}}}
                hosts:
                  "*.static.example": {matrix: {all: monitor}}
                  api.shop.example:
                    matrix: {scanner: {high: managed_challenge}}
                    paths:
                      /v1/login: {matrix: {scanner: {high: block}}}
                """);
        Verdict modScanner = verdict(Category.SCANNER, Confidence.MODERATE);
        assertEquals(Action.MONITOR, p.decide(get(SCANNER, "shop.example", "/products", CHROME), modScanner).action());
        PolicyDecision login = p.decide(get(SCANNER, "shop.example", "/login", CHROME), modScanner);
        assertEquals(Action.MANAGED_CHALLENGE, login.action());
        assertEquals("reputation@/login", login.ruleId());
        for (String trick : List.of("//login", "/./login", "/%6Cogin", "/static/../login", "/login/")) {
            assertEquals(Action.MANAGED_CHALLENGE, p.decide(get(SCANNER, "shop.example", trick, CHROME), modScanner).action(), trick);
        }
        Verdict highScanner = verdict(Category.SCANNER, Confidence.HIGH);
        assertEquals(Action.MONITOR, p.decide(get(SCANNER, "img.static.example", "/a.png", CHROME), highScanner).action());
        assertEquals(Action.BLOCK, p.decide(get(SCANNER, "static.example", "/a.png", CHROME), highScanner).action(),
                "*.static.example does not cover static.example itself");
        PolicyDecision api = p.decide(get(SCANNER, "API.shop.example:8443", "/v1/items", CHROME), highScanner);
        assertEquals(Action.MANAGED_CHALLENGE, api.action());
        assertEquals("reputation@api.shop.example", api.ruleId());
        PolicyDecision apiLogin = p.decide(get(SCANNER, "api.shop.example", "/v1/login", CHROME), highScanner);
        assertEquals(Action.BLOCK, apiLogin.action());
        assertEquals("reputation@api.shop.example/v1/login", apiLogin.ruleId());
    }

    @Test
    void rules_userAgentListRegexMissingAndHeaders_matchTheirBots() throws Exception {
        Policy p = policy("""
                rules:
                  - id: scrapers
                    user_agent_regex: '(scrapy|httpclient|go-http-client)/\\d'
                    action: block
                  - id: headless
                    user_agent: [HeadlessChrome, PhantomJS]
                    action: managed_challenge
                  - id: no-agent-post
                    user_agent_missing: true
                    method: POST
                    action: js_challenge
                  - id: fake-browser
                    user_agent: Mozilla/
                    header_absent: [Accept-Language]
                    path: /checkout
                    action: monitor
                """);
        assertEquals("scrapers", p.decide(get(SHOPPER, "shop.example", "/p/1", "Scrapy/2.11.0 (+https://scrapy.org)"),
                Verdict.clean()).ruleId());
        assertEquals(Action.MANAGED_CHALLENGE, p.decide(get(SHOPPER, "shop.example", "/",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0.0.0 Safari/537.36"), Verdict.clean()).action());
        assertEquals(Action.JS_CHALLENGE, p.decide(RequestView.of(SHOPPER, "POST", "shop.example", "/api/cart", Map.of()),
                Verdict.clean()).action());
        assertEquals(Action.ALLOW, p.decide(RequestView.of(SHOPPER, "GET", "shop.example", "/api/cart", Map.of()),
                Verdict.clean()).action());
        assertEquals("fake-browser", p.decide(get(SHOPPER, "shop.example", "/checkout/pay", CHROME), Verdict.clean()).ruleId());
        RequestView real = RequestView.of(SHOPPER, "GET", "shop.example", "/checkout/pay",
                Map.of("User-Agent", CHROME, "Accept-Language", "en-GB,en;q=0.9"));
        assertFalse(p.decide(real, Verdict.clean()).isHit());
    }

    @Test
    void rules_reputationCondition_andStrongestActionWins() throws Exception {
        Policy p = policy("""
                rules:
                  - id: proxies-on-login
                    category: [network_proxy]
                    min_confidence: moderate
                    path: /login
                    action: block
                  - id: canary-monitor
                    path: /
                    action: monitor
                """);
        PolicyDecision d = p.decide(get(SCANNER, "shop.example", "/login", CHROME), verdict(Category.NETWORK_PROXY, Confidence.MODERATE));
        assertEquals(Action.BLOCK, d.action());
        assertEquals("proxies-on-login", d.ruleId());
        // general confidence is below the rule's minimum: the next rule and the matrix decide
        PolicyDecision g = p.decide(get(SCANNER, "shop.example", "/login", CHROME), verdict(Category.NETWORK_PROXY, Confidence.GENERAL));
        assertEquals(Action.MONITOR, g.action());
        assertEquals("canary-monitor", g.ruleId());
        // a monitor rule never lets a high-confidence scanner through
        assertEquals(Action.BLOCK, p.decide(get(SCANNER, "shop.example", "/", CHROME), verdict(Category.SCANNER, Confidence.HIGH)).action());
    }

    @Test
    void rules_rate_tokenBucketPerClientAnswers429BeyondTheRateAndRefills() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Policy p = policy("""
                rules:
                  - id: login-flood
                    path: /login
                    method: POST
                    rate: {requests: 5, per: 10s}
                    action: block
                    status: 429
                """, now::get);
        RequestView login = RequestView.of(SCANNER, "POST", "shop.example", "/login", Map.of("User-Agent", CHROME));
        for (int i = 0; i < 5; i++) {
            assertFalse(p.decide(login, Verdict.clean()).isHit(), "request " + (i + 1) + " is within the rate");
        }
        PolicyDecision sixth = p.decide(login, Verdict.clean());
        assertEquals(Action.BLOCK, sixth.action());
        assertEquals(429, sixth.status());
        assertEquals("login-flood", sixth.ruleId());
        // another client has its own bucket
        RequestView other = RequestView.of(SHOPPER, "POST", "shop.example", "/login", Map.of("User-Agent", CHROME));
        assertFalse(p.decide(other, Verdict.clean()).isHit());
        now.addAndGet(2_000_000_000L); // 2 s refill one token (5 per 10 s)
        assertFalse(p.decide(login, Verdict.clean()).isHit());
        assertTrue(p.decide(login, Verdict.clean()).isHit());
    }

    @Test
    void rules_weightedActions_drawEveryActionInProportion() throws Exception {
        Policy p = policy("""
                rules:
                  - id: canary-block
                    user_agent: python-requests
                    actions: {block: 1, monitor: 3}
                """);
        Map<Action, Integer> seen = new EnumMap<>(Action.class);
        RequestView r = get(SHOPPER, "shop.example", "/", "python-requests/2.31.0");
        for (int i = 0; i < 4000; i++) {
            seen.merge(p.decide(r, Verdict.clean()).action(), 1, Integer::sum);
        }
        assertEquals(2, seen.size(), seen.toString());
        int blocks = seen.get(Action.BLOCK);
        assertTrue(blocks > 800 && blocks < 1200, "about a quarter blocked: " + seen);
    }

    @Test
    void responses_blockPageTtlAndDifficulty_areRead() throws Exception {
        Files.writeString(dir.resolve("blocked.html"), "<h1>Nope</h1><p>Quote {{request_id}}</p>");
        Policy p = policy("""
                responses:
                  block_page: blocked.html
                  clearance_ttl: 30m
                  pow_difficulty: 12
                shared_action: js_challenge
                """);
        assertTrue(p.responses().blockPage().contains("{{request_id}}"));
        assertEquals(java.time.Duration.ofMinutes(30), p.responses().clearanceTtl());
        assertEquals(12, p.responses().powDifficulty());
        assertEquals(Action.JS_CHALLENGE, p.decide(get(SCANNER, "shop.example", "/", CHROME),
                verdict(Category.SCANNER, Confidence.HIGH, "shared")).action());
        assertNull(Policy.defaults().responses().blockPage());
    }
}
