package dev.threatip.intel;

import java.util.Locale;

/** The threat categories of DESIGN.md §2, the union of both modelled products' classes. */
public enum Category implements WireNamed {
    /** Attacks on systems, networks or devices: DDoS, botnet members, hijacked netblocks. */
    NETWORK_ATTACK,
    /** Abuse of software vulnerabilities: RCE, Log4Shell, CVE probes with payloads. */
    EXPLOIT,
    /** XSS, CSRF, SQL injection, path traversal and similar against web applications. */
    WEB_ATTACK,
    /** Repeated password or credential guessing. */
    BRUTE_FORCE,
    /** Open or abused proxies, proxy pools, anonymisers such as Tor exits. */
    NETWORK_PROXY,
    /** Vulnerability, port or path scanning. */
    SCANNER,
    /** Credential stuffing and login cracking aimed at taking over accounts. */
    ACCOUNT_TAKEOVER,
    /** Scraping, hotlinking, abusive automation. */
    MALICIOUS_BOT;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in JSON, config and the UI, e.g. {@code network_attack}. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The category with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static Category fromWire(String name) {
        return WireNamed.fromWire(Category.class, name, "category");
    }
}
