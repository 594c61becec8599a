package dev.threatip.intel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeedCatalogTest {
    private static final FeedCatalog DEFAULTS = FeedCatalog.defaults();

    private static FeedHeader titled(String title, String category) {
        return new FeedHeader(title, null, null, category, null, -1, null);
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2} {3}")
    @CsvSource({
            // name, format, role, category (or '-' for none), min reliability, max reliability
            "blocklist_de_ssh, ipset, threat, brute_force, 0.6, 0.8",
            "blocklist_de_bruteforce, ipset, threat, brute_force, 0.6, 0.8",
            "bruteforceblocker, ipset, threat, brute_force, 0.6, 0.8",
            "normshield_high_bruteforce, ipset, threat, brute_force, 0.6, 0.8",
            "urandomusto_ssh, ipset, threat, brute_force, 0.6, 0.8",
            "blocklist_de_ftp, ipset, threat, brute_force, 0.6, 0.8",
            "blocklist_de_imap, ipset, threat, brute_force, 0.6, 0.8",
            "blocklist_de_sip, ipset, threat, brute_force, 0.6, 0.8",
            "blocklist_de_apache, ipset, threat, web_attack, 0.6, 0.8",
            "cruzit_web_attacks, ipset, threat, web_attack, 0.6, 0.8",
            "urandomusto_http, ipset, threat, web_attack, 0.6, 0.8",
            "php_dictionary_30d, ipset, threat, malicious_bot, 0.5, 0.7",
            "php_harvesters_30d, ipset, threat, malicious_bot, 0.5, 0.7",
            "php_spammers_30d, ipset, threat, malicious_bot, 0.5, 0.7",
            "php_commenters_30d, ipset, threat, malicious_bot, 0.5, 0.7",
            "stopforumspam_7d, ipset, threat, malicious_bot, 0.5, 0.7",
            "botscout_7d, ipset, threat, malicious_bot, 0.5, 0.7",
            "blocklist_de_bots, ipset, threat, malicious_bot, 0.5, 0.7",
            "bad-ip-addresses, plain, threat, malicious_bot, 0.5, 0.7",
            "blocklist_de_bruteforcelogin, ipset, threat, account_takeover, 0.6, 0.8",
            "bruteforcelogin, plain, threat, account_takeover, 0.6, 0.8",
            "strongips-login, plain, threat, account_takeover, 0.6, 0.8",
            "tor, plain, threat, network_proxy, 1.0, 1.0",
            "dm_tor, ipset, threat, network_proxy, 1.0, 1.0",
            "et_tor, ipset, threat, network_proxy, 1.0, 1.0",
            "tor_exits_30d, ipset, threat, network_proxy, 1.0, 1.0",
            "tor-exit-nodes, plain, threat, network_proxy, 1.0, 1.0",
            "socks_proxy_7d, ipset, threat, network_proxy, 0.6, 0.8",
            "sslproxies_30d, ipset, threat, network_proxy, 0.6, 0.8",
            "proxy, plain, threat, network_proxy, 0.6, 0.8",
            "spamhaus_drop, ipset, threat, network_attack, 0.9, 0.9",
            "spamhaus_edrop, ipset, threat, network_attack, 0.9, 0.9",
            "et_block, ipset, threat, network_attack, 0.6, 0.9",
            "et_compromised, ipset, threat, network_attack, 0.8, 0.9",
            "feodo, ipset, threat, network_attack, 0.8, 0.9",
            "sslbl, ipset, threat, network_attack, 0.8, 0.9",
            "firehol_level1, ipset, threat, network_attack, 0.9, 0.9",
            "firehol_level2, ipset, threat, network_attack, 0.7, 0.8",
            "firehol_level3, ipset, threat, network_attack, 0.5, 0.7",
            "darklist_de, ipset, threat, network_attack, 0.6, 0.8",
            "ciarmy, ipset, threat, network_attack, 0.6, 0.8",
            "iblocklist_ciarmy_malicious, ipset, threat, network_attack, 0.6, 0.8",
            "alienvault_reputation, ipset, threat, network_attack, 0.5, 0.8",
            "bds_atif, ipset, threat, network_attack, 0.5, 0.8",
            "greensnow, ipset, threat, network_attack, 0.5, 0.8",
            "firehol_abusers_1d, ipset, threat, network_attack, 0.5, 0.8",
            "voipbl, ipset, threat, network_attack, 0.4, 0.6",
            "blocklist_de, ipset, threat, network_attack, 0.6, 0.8",
            "blocklist_de_strongips, ipset, threat, network_attack, 0.6, 0.8",
            "normshield_high_attack, ipset, threat, network_attack, 0.5, 0.8",
            "nixspam, ipset, threat, network_attack, 0.3, 0.5",
            "blocklist_de_mail, ipset, threat, network_attack, 0.3, 0.5",
            "dshield, ipset, threat, scanner, 0.6, 0.8",
            "dshield_top_1000, ipset, threat, scanner, 0.6, 0.8",
            "mass_scanner, plain, threat, scanner, 0.6, 0.6",
            "mass_scanner_cidr, plain, threat, scanner, 0.6, 0.6",
            "shodan, plain, threat, scanner, 0.5, 0.7",
            "censys, plain, threat, scanner, 0.5, 0.7",
            "normshield_high_webscan, ipset, threat, scanner, 0.5, 0.7",
            "worst_asns, plain, threat, network_attack, 0.2, 0.3",
            "datacenters, ipset, threat, network_attack, 0.2, 0.3",
            "firehol_webserver, ipset, threat, network_attack, 0.2, 0.3",
            "firehol_webclient, ipset, threat, network_attack, 0.2, 0.3",
            "ipsum, ipsum, threat, network_attack, 0.3, 0.3",
            "ipsum_levels_3, plain, threat, network_attack, 0.3, 0.3",
            "abuseipdb-s100-7d_compressed, plain, threat, network_attack, 0.7, 0.7",
            "abuseipdb, csv, threat, network_attack, 0.7, 0.7",
            "fake-googlebots, plain, threat, malicious_bot, 0.5, 0.7",
            "googlebot, warninglist, allow, -, 1.0, 1.0",
            "bingbot, plain, allow, -, 1.0, 1.0",
            "openai-gptbot, warninglist, allow, -, 1.0, 1.0",
            "public-dns-v4, warninglist, allow, -, 1.0, 1.0",
            "public-dns-v6, warninglist, allow, -, 1.0, 1.0",
            "allowlist, plain, allow, -, 1.0, 1.0",
            "office-whitelist, plain, allow, -, 1.0, 1.0",
            "amazon-aws, warninglist, downgrade, -, 1.0, 1.0",
            "google-gcp, warninglist, downgrade, -, 1.0, 1.0",
            "microsoft-azure, warninglist, downgrade, -, 1.0, 1.0",
            "github, warninglist, downgrade, -, 1.0, 1.0",
            "cloudflare, warninglist, downgrade, -, 1.0, 1.0",
            "akamai, warninglist, downgrade, -, 1.0, 1.0",
            "icloud-private-relay, warninglist, downgrade, network_proxy, 1.0, 1.0",
            "vpn-ipv4, warninglist, downgrade, network_proxy, 1.0, 1.0",
            "vpn-ipv6, warninglist, downgrade, network_proxy, 1.0, 1.0",
            "tenable-cloud-ipv4, warninglist, downgrade, scanner, 1.0, 1.0",
            "microsoft-attack-simulator, warninglist, downgrade, scanner, 1.0, 1.0",
            "censys-scanning, warninglist, downgrade, scanner, 1.0, 1.0",
            "shodan-scanning, warninglist, downgrade, scanner, 1.0, 1.0",
            "shodan-nt-scanning, warninglist, downgrade, scanner, 1.0, 1.0",
            "onyphe-scanner, warninglist, downgrade, scanner, 1.0, 1.0",
            "modat-scanner, warninglist, downgrade, scanner, 1.0, 1.0",
            "google, warninglist, downgrade, -, 1.0, 1.0",
    })
    void classify_knownFeedName_mapsAsDocumented(String name, String format, String role, String category,
                                                 double minReliability, double maxReliability) {
        FeedProfile p = DEFAULTS.classify(name, FeedFormat.fromWire(format), FeedHeader.EMPTY);
        assertEquals(FeedRole.fromWire(role), p.role(), name + ": " + p);
        assertEquals(category.equals("-") ? Set.of() : Set.of(Category.fromWire(category)), p.categories(), name + ": " + p);
        assertTrue(p.reliability() >= minReliability && p.reliability() <= maxReliability, name + ": " + p);
        assertTrue(!p.rationale().isBlank(), name + ": every profile says why");
    }

    @Test
    void classify_minRefresh_followsFeedEtiquette() {
        assertTrue(minRefresh("spamhaus_drop").compareTo(Duration.ofHours(12)) >= 0);
        assertTrue(minRefresh("ipsum").compareTo(Duration.ofHours(24)) >= 0);
        assertTrue(minRefresh("tor_exits").compareTo(Duration.ofMinutes(30)) >= 0);
        Duration blocklistDe = minRefresh("blocklist_de_ssh");
        assertTrue(blocklistDe.compareTo(Duration.ofMinutes(15)) >= 0 && blocklistDe.compareTo(Duration.ofHours(1)) <= 0);
        assertEquals(Duration.ofHours(1), minRefresh("some_unknown_feed"));
    }

    private static Duration minRefresh(String name) {
        return DEFAULTS.classify(name, FeedFormat.PLAIN, FeedHeader.EMPTY).minRefresh();
    }

    @Test
    void classify_unknownName_usesFireholHeaderCategory() {
        assertEquals(Set.of(Category.NETWORK_PROXY),
                DEFAULTS.classify("list7", FeedFormat.IPSET, titled(null, "anonymizers")).categories());
        assertEquals(Set.of(Category.MALICIOUS_BOT),
                DEFAULTS.classify("list8", FeedFormat.IPSET, titled(null, "abuse")).categories());
        assertEquals(0.0, DEFAULTS.classify("list9", FeedFormat.IPSET, titled(null, "geolocation")).reliability());
    }

    @Test
    void classify_unknownName_usesHeaderTitle() {
        FeedProfile p = DEFAULTS.classify("downloaded.ipset", FeedFormat.IPSET, titled("blocklist_de_ssh", "attacks"));
        assertEquals(Set.of(Category.BRUTE_FORCE), p.categories());
    }

    @Test
    void classify_unknownTorFormat_isNetworkProxyFullyReliable() {
        FeedProfile p = DEFAULTS.classify("exits-20240227", FeedFormat.TOR, FeedHeader.EMPTY);
        assertEquals(Set.of(Category.NETWORK_PROXY), p.categories());
        assertEquals(1.0, p.reliability());
        assertEquals(FeedRole.THREAT, p.role());
    }

    @Test
    void classify_warninglistNamedLikeThreatFeed_staysDowngrade() {
        assertEquals(FeedRole.DOWNGRADE, DEFAULTS.classify("tor", FeedFormat.WARNINGLIST, FeedHeader.EMPTY).role());
        assertEquals(FeedRole.DOWNGRADE, DEFAULTS.classify("unknown-list", FeedFormat.WARNINGLIST, FeedHeader.EMPTY).role());
    }

    @Test
    void classify_warninglistTitleNamesCrawler_isAllow() {
        FeedProfile p = DEFAULTS.classify("list.json", FeedFormat.WARNINGLIST,
                titled("List of known Googlebot IP ranges", null));
        assertEquals(FeedRole.ALLOW, p.role());
    }

    @Test
    void classify_unknownPlainFeed_fallsBack() {
        FeedProfile p = DEFAULTS.classify("my-feed", FeedFormat.PLAIN, FeedHeader.EMPTY);
        assertEquals(Set.of(Category.NETWORK_ATTACK), p.categories());
        assertEquals(0.5, p.reliability());
        assertEquals(FeedRole.THREAT, p.role());
    }

    @Test
    void withOverrides_userRuleMatchingSameName_takesPrecedence() throws IOException {
        FeedCatalog user = load("""
                rules:
                  - match: 'blocklist_de_ssh'
                    categories: [account_takeover]
                    reliability: 0.95
                    role: threat
                    min_refresh: 2h
                    why: "our SSH is a login portal"
                formats:
                  tor:
                    categories: [network_proxy]
                    reliability: 0.5
                    role: downgrade
                    min_refresh: 1d
                    why: "we allow Tor"
                """);
        FeedCatalog merged = DEFAULTS.withOverrides(user);
        FeedProfile ssh = merged.classify("blocklist_de_ssh", FeedFormat.IPSET, FeedHeader.EMPTY);
        assertEquals(Set.of(Category.ACCOUNT_TAKEOVER), ssh.categories());
        assertEquals(Duration.ofHours(2), ssh.minRefresh());
        assertEquals(FeedRole.DOWNGRADE, merged.classify("exits", FeedFormat.TOR, FeedHeader.EMPTY).role());
        // Names the user did not touch keep the built-in mapping, and the built-in fallback stays.
        assertEquals(Set.of(Category.WEB_ATTACK),
                merged.classify("blocklist_de_apache", FeedFormat.IPSET, FeedHeader.EMPTY).categories());
        assertEquals(0.5, merged.classify("my-feed", FeedFormat.PLAIN, FeedHeader.EMPTY).reliability());
    }

    @Test
    void load_reliabilityOutOfRange_namesRuleIndexAndField() {
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class, () -> load("""
                rules:
                  - match: 'a'
                    categories: [scanner]
                    reliability: 0.5
                    role: threat
                    min_refresh: 1h
                    why: "ok"
                  - match: 'b'
                    categories: [scanner]
                    reliability: 1.5
                    role: threat
                    min_refresh: 1h
                    why: "too sure"
                """));
        assertEquals("rules[1].reliability", e.field());
        assertTrue(e.getMessage().startsWith("user-catalog.yaml: rules[1].reliability: '1.5'"), e.getMessage());
        assertTrue(e.getMessage().contains("0.0-1.0"), e.getMessage());
    }

    @Test
    void load_unknownKey_isRefusedWithKnownKeys() {
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class, () -> load("""
                rules:
                  - match: 'a'
                    categories: [scanner]
                    reliability: 0.5
                    role: threat
                    min_refresh: 1h
                    why: "ok"
                    weight: 3
                """));
        assertEquals("rules[0].weight", e.field());
        assertTrue(e.getMessage().contains("known: categories, match, min_refresh, reliability, role, why"), e.getMessage());
    }

    @Test
    void load_unknownCategory_listsKnownOnes() {
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class, () -> load("""
                header_categories:
                  - match: 'spam'
                    categories: [spam]
                    reliability: 0.5
                    role: threat
                    min_refresh: 1h
                    why: "x"
                """));
        assertEquals("header_categories[0].categories[0]", e.field());
        assertTrue(e.getMessage().contains("unknown category 'spam'"), e.getMessage());
    }

    @Test
    void load_badRoleRegexDurationAndFormat_eachNamed() {
        String rule = """
                rules:
                  - match: %s
                    categories: []
                    reliability: 1
                    role: %s
                    min_refresh: %s
                    why: "x"
                """;
        assertEquals("rules[0].role", assertThrows(InvalidCatalogException.class,
                () -> load(rule.formatted("'a'", "block", "1h"))).field());
        assertEquals("rules[0].match", assertThrows(InvalidCatalogException.class,
                () -> load(rule.formatted("'(unclosed'", "allow", "1h"))).field());
        assertEquals("rules[0].min_refresh", assertThrows(InvalidCatalogException.class,
                () -> load(rule.formatted("'a'", "allow", "hourly"))).field());
        assertEquals("formats.pdf", assertThrows(InvalidCatalogException.class, () -> load("""
                formats:
                  pdf: {categories: [], reliability: 1, role: allow, min_refresh: 1h, why: x}
                """)).field());
        assertEquals("fallback.why", assertThrows(InvalidCatalogException.class, () -> load("""
                fallback: {categories: [], reliability: 1, role: allow, min_refresh: 1h}
                """)).field());
    }

    @Test
    void load_minRefreshAsFeedSpecsWriteIt_readsIsoAndRefusesZero() throws IOException {
        String rule = """
                rules:
                  - match: 'a'
                    categories: []
                    reliability: 1
                    role: allow
                    min_refresh: %s
                    why: "x"
                """;
        assertEquals(Duration.ofHours(6),
                load(rule.formatted("PT6H")).classify("a", FeedFormat.PLAIN, FeedHeader.EMPTY).minRefresh());
        InvalidCatalogException zero = assertThrows(InvalidCatalogException.class, () -> load(rule.formatted("0s")));
        assertEquals("rules[0].min_refresh", zero.field());
        assertTrue(zero.getMessage().contains("'0s' must be greater than zero"), zero.getMessage());
        InvalidCatalogException word = assertThrows(InvalidCatalogException.class, () -> load(rule.formatted("hourly")));
        assertTrue(word.getMessage().contains("bad duration 'hourly'; use a number with ms, s, m, h or d"),
                word.getMessage());
    }

    @Test
    void load_notYaml_namesSourceAndLine() {
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class, () -> load("rules: [\n  - {a: 1\n"));
        assertTrue(e.getMessage().startsWith("user-catalog.yaml: not valid YAML at line"), e.getMessage());
    }

    private static FeedCatalog load(String yaml) throws IOException {
        return FeedCatalog.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "user-catalog.yaml");
    }
}
