package dev.threatip.intel;

import java.util.Locale;

/** What a feed's listing of an address means for the verdict. */
public enum FeedRole implements WireNamed {
    /** Evidence of malice. */
    THREAT,
    /** Known good (verified crawlers, public DNS resolvers, the operator's allowlist): suppresses verdicts. */
    ALLOW,
    /** Known-good infrastructure (clouds, CDNs, VPN and relay ranges, named research scanners): lowers confidence one step. */
    DOWNGRADE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The name used in the catalog YAML and reports. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The role with the given wire name.
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static FeedRole fromWire(String name) {
        return WireNamed.fromWire(FeedRole.class, name, "role");
    }
}
