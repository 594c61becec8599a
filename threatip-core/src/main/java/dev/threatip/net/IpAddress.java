package dev.threatip.net;

import java.nio.charset.StandardCharsets;

/**
 * An IPv4 or IPv6 address as one 128-bit value. IPv4 addresses are held in their IPv4-mapped
 * IPv6 form ({@code ::ffff:a.b.c.d}), so {@code ::ffff:192.0.2.1} and {@code 192.0.2.1} are
 * the same address and match the same feed entries.
 *
 * @param hi the high 64 bits
 * @param lo the low 64 bits
 */
public record IpAddress(long hi, long lo) implements Comparable<IpAddress> {
    /** The low 64 bits of {@code ::ffff:0.0.0.0}. */
    public static final long IPV4_MAPPED_PREFIX = 0x0000_FFFF_0000_0000L;

    /** The IPv4 address with the given unsigned 32-bit value. */
    public static IpAddress ofIpv4(int value) {
        return new IpAddress(0, IPV4_MAPPED_PREFIX | (value & 0xFFFF_FFFFL));
    }

    /**
     * Parses an address strictly (see {@link IpParser}).
     *
     * @throws IllegalArgumentException naming the text when it is not a strict IPv4 or IPv6 address
     */
    public static IpAddress parse(CharSequence text) {
        byte[] b = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        long[] out = new long[2];
        if (b.length == 0 || !IpParser.parse(b, 0, b.length, out)) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'"
                    + (text.toString().indexOf('%') >= 0 ? " (zone ids are not accepted)" : ""));
        }
        return new IpAddress(out[0], out[1]);
    }

    /** Whether this is an IPv4 address (including one written in IPv4-mapped IPv6 form). */
    public boolean isIpv4() {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** The unsigned 32-bit IPv4 value; only meaningful when {@link #isIpv4()}. */
    public int ipv4() {
        return (int) lo;
    }

    /** The number of address bits of this address's family: 32 or 128. */
    public int bits() {
        return isIpv4() ? 32 : 128;
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    /** Dotted quad for IPv4, RFC 5952 canonical text for IPv6. */
    @Override
    public String toString() {
        if (isIpv4()) {
            return ipv4ToString(ipv4());
        }
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Dotted-quad text of an unsigned 32-bit IPv4 value. */
    public static String ipv4ToString(int v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
