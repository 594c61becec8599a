package dev.threatip.net;

import java.util.List;

/**
 * The IANA special-purpose registries (RFC 6890 and successors) as a classifier: which
 * addresses and networks are not ordinary public space. Feeds list such space by accident or
 * by design (FireHOL level1 lists 10.0.0.0/8 as a bogon); a verdict on it would flag LAN
 * clients, so the compiler leaves it out unless the operator opts in.
 */
public final class SpecialRanges {
    private record Block(Cidr cidr, AddressClass kind) {
    }

    // Globally reachable exceptions inside special blocks come first: PUBLIC blocks only ever
    // answer for addresses and networks they wholly contain.
    private static final List<Block> BLOCKS = List.of(
            block("192.0.0.9/32", AddressClass.PUBLIC),   // Port Control Protocol anycast (RFC 7723)
            block("192.0.0.10/32", AddressClass.PUBLIC),  // Traversal Using Relays around NAT anycast (RFC 8155)
            block("0.0.0.0/8", AddressClass.RESERVED),
            block("10.0.0.0/8", AddressClass.PRIVATE),
            block("100.64.0.0/10", AddressClass.SHARED),
            block("127.0.0.0/8", AddressClass.LOOPBACK),
            block("169.254.0.0/16", AddressClass.LINK_LOCAL),
            block("172.16.0.0/12", AddressClass.PRIVATE),
            block("192.0.0.0/24", AddressClass.RESERVED),
            block("192.0.2.0/24", AddressClass.DOCUMENTATION),
            block("192.88.99.0/24", AddressClass.RESERVED),
            block("192.168.0.0/16", AddressClass.PRIVATE),
            block("198.18.0.0/15", AddressClass.BENCHMARKING),
            block("198.51.100.0/24", AddressClass.DOCUMENTATION),
            block("203.0.113.0/24", AddressClass.DOCUMENTATION),
            block("224.0.0.0/4", AddressClass.MULTICAST),
            block("240.0.0.0/4", AddressClass.RESERVED),
            block("::/128", AddressClass.UNSPECIFIED),
            block("::1/128", AddressClass.LOOPBACK),
            block("100::/64", AddressClass.RESERVED),
            block("2001:db8::/32", AddressClass.DOCUMENTATION),
            block("3fff::/20", AddressClass.DOCUMENTATION),
            block("fc00::/7", AddressClass.PRIVATE),
            block("fe80::/10", AddressClass.LINK_LOCAL),
            block("ff00::/8", AddressClass.MULTICAST));

    // The IPv4 blocks again as (network, mask) ints, so the check per address allocates nothing.
    private static final int[] V4_NETWORK;
    private static final int[] V4_MASK;
    private static final AddressClass[] V4_KIND;

    static {
        List<Block> v4 = BLOCKS.stream().filter(b -> b.cidr.isIpv4()).toList();
        V4_NETWORK = new int[v4.size()];
        V4_MASK = new int[v4.size()];
        V4_KIND = new AddressClass[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            Cidr c = v4.get(i).cidr;
            V4_MASK[i] = c.prefix() == 0 ? 0 : -1 << (32 - c.prefix());
            V4_NETWORK[i] = c.network().ipv4();
            V4_KIND[i] = v4.get(i).kind;
        }
    }

    private SpecialRanges() {
    }

    /** The class of one IPv4 address given as its unsigned 32-bit value; allocation-free. */
    public static AddressClass classifyIpv4(int address) {
        for (int i = 0; i < V4_NETWORK.length; i++) {
            if ((address & V4_MASK[i]) == V4_NETWORK[i]) {
                return V4_KIND[i];
            }
        }
        return AddressClass.PUBLIC;
    }

    private static Block block(String cidr, AddressClass kind) {
        return new Block(Cidr.parse(cidr), kind);
    }

    /** The class of one address. */
    public static AddressClass classify(IpAddress address) {
        for (Block b : BLOCKS) {
            if (b.cidr.contains(address)) {
                return b.kind;
            }
        }
        return AddressClass.PUBLIC;
    }

    /**
     * The class of a network: {@link AddressClass#PUBLIC} only when it shares no address with
     * any special-purpose block (so {@code 0.0.0.0/0} is not public), otherwise the first
     * overlapping block's class.
     */
    public static AddressClass classify(Cidr network) {
        for (Block b : BLOCKS) {
            if (b.kind == AddressClass.PUBLIC) {
                if (b.cidr.prefix() <= network.prefix() && b.cidr.contains(network.network())) {
                    return AddressClass.PUBLIC;
                }
            } else if (b.cidr.overlaps(network)) {
                return b.kind;
            }
        }
        return AddressClass.PUBLIC;
    }

    /** Whether the address is public unicast space. */
    public static boolean isPublic(IpAddress address) {
        return classify(address) == AddressClass.PUBLIC;
    }
}
