package dev.threatip.intel;

/** The feed formats threatip reads. Each is bound to its reader in {@link FeedReaders}. */
public enum FeedFormat implements WireNamed {
    /** One IP or CIDR per line; {@code #}, {@code ;}, {@code //} and trailing comments. */
    PLAIN("plain"),
    /** FireHOL {@code .ipset}/{@code .netset}: a {@code #} header, then one IP or CIDR per line. */
    IPSET("ipset"),
    /** stamparm/ipsum: {@code IP<TAB>number of lists}. */
    IPSUM("ipsum"),
    /** CSV with configurable columns (AbuseIPDB-style: ip, score, categories, last reported). */
    CSV("csv"),
    /** STIX 2.1 bundles of indicators with IP patterns. */
    STIX("stix"),
    /** A MISP feed directory ({@code manifest.json} + event JSON) or one MISP event JSON file. */
    MISP("misp"),
    /** A MISP CSV export. */
    MISP_CSV("misp-csv"),
    /** Tor exit lists: the {@code ExitAddress} format or a plain list. */
    TOR("tor"),
    /** A MISP warninglist JSON ({@code {name, type, list:[...]}}): known-good space. */
    WARNINGLIST("warninglist");

    private final String wire;

    FeedFormat(String wire) {
        this.wire = wire;
    }

    /** The name used in feed specs and reports. */
    @Override
    public String wireName() {
        return wire;
    }

    /**
     * The format with the given wire name ({@code netset} and {@code firehol} are accepted for
     * {@link #IPSET}).
     *
     * @throws IllegalArgumentException naming the value and listing the known ones
     */
    public static FeedFormat fromWire(String name) {
        if (name.equals("netset") || name.equals("firehol")) {
            return IPSET;
        }
        return WireNamed.fromWire(FeedFormat.class, name, "feed format");
    }
}
