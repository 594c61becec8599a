package dev.threatip.intel;

import java.util.Locale;

/** What a feed's listing means for a verdict. */
public enum FeedRole {
    /** Evidence of malice. */
    THREAT,
    /** Known-good (verified crawlers, public resolvers, the operator's allowlist): suppresses verdicts. */
    ALLOW,
    /** Known-good infrastructure (clouds, CDNs, VPN relays, research scanners): lowers confidence one step. */
    DOWNGRADE;

    /** The lower-case name used in config and reports. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role with the given wire name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static FeedRole fromWire(String name) {
        for (FeedRole r : values()) {
            if (r.wireName().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown feed role '" + name + "'; known: threat, allow, downgrade");
    }
}
