package dev.threatip.net;

/**
 * A network: an address and a prefix length counted in the address's own family (0-32 for
 * IPv4, 0-128 for IPv6). The address is always the network's first address.
 *
 * @param network the first address of the network
 * @param prefix  the prefix length in the family of {@code network}
 */
public record Cidr(IpAddress network, int prefix) {
    public Cidr {
        int bits = network.bits();
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range 0-" + bits + " for " + network);
        }
        network = mask(network, prefix);
    }

    /** A single address as a /32 or /128. */
    public static Cidr of(IpAddress address) {
        return new Cidr(address, address.bits());
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/p}, an IPv6 address or {@code v6/p}. Host bits set
     * below the prefix are cleared, as feeds often write {@code 203.0.113.7/24} for its network.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Cidr parse(CharSequence text) {
        String s = text.toString();
        int slash = s.indexOf('/');
        if (slash < 0) {
            return of(IpAddress.parse(s));
        }
        IpAddress address;
        try {
            address = IpAddress.parse(s.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a network: '" + text + "': " + e.getMessage(), e);
        }
        String p = s.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                || (p.length() > 1 && p.charAt(0) == '0')) {
            throw new IllegalArgumentException("not a prefix length: '" + text + "'");
        }
        int prefix = Integer.parseInt(p);
        if (prefix > address.bits()) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range 0-" + address.bits() + ": '" + text + "'");
        }
        return new Cidr(address, prefix);
    }

    /** Whether this network is IPv4. */
    public boolean isIpv4() {
        return network.isIpv4();
    }

    /** Whether this is a single address (/32 or /128). */
    public boolean isSingleAddress() {
        return prefix == network.bits();
    }

    /** The last address in the network. */
    public IpAddress last() {
        int hostBits = network.bits() - prefix;
        if (hostBits == 0) {
            return network;
        }
        if (hostBits >= 64) {
            long hiMask = hostBits >= 128 ? -1L : (1L << (hostBits - 64)) - 1;
            return new IpAddress(network.hi() | hiMask, -1L);
        }
        return new IpAddress(network.hi(), network.lo() | ((1L << hostBits) - 1));
    }

    /** Whether the address lies in this network. */
    public boolean contains(IpAddress address) {
        return address.isIpv4() == network.isIpv4() && mask(address, prefix).equals(network);
    }

    /** Whether the two networks share at least one address. */
    public boolean overlaps(Cidr other) {
        if (other.isIpv4() != isIpv4()) {
            return false;
        }
        return prefix <= other.prefix ? contains(other.network) : other.contains(network);
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }

    private static IpAddress mask(IpAddress a, int prefix) {
        int hostBits = a.bits() - prefix;
        if (hostBits == 0) {
            return a;
        }
        if (hostBits >= 64) {
            long hiMask = hostBits >= 128 ? 0 : -1L << (hostBits - 64);
            return new IpAddress(a.hi() & hiMask, 0);
        }
        return new IpAddress(a.hi(), a.lo() & (-1L << hostBits));
    }
}
