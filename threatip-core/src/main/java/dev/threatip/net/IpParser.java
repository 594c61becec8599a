package dev.threatip.net;

/**
 * Strict IP address parsing straight from bytes, for hot paths that must not allocate.
 *
 * <p>Accepted: dotted-quad IPv4 with decimal octets 0-255 and no leading zeros, and RFC 4291
 * IPv6 text (one {@code ::} at most, 1-4 hex digits a group, an optional trailing dotted IPv4).
 * Refused, because attackers and sloppy feeds use them to smuggle or confuse addresses: the
 * short, octal and hex forms {@code inet_aton} accepts ({@code 127.1}, {@code 0177.0.0.1},
 * {@code 0x7f.0.0.1}), zone ids ({@code fe80::1%eth0}), brackets, signs, blanks and empty input.
 */
public final class IpParser {
    /** Returned by {@link #parseIpv4} for anything that is not a strict dotted quad. */
    public static final long INVALID = -1L;

    private IpParser() {
    }

    /**
     * Parses {@code b[from, to)} as a dotted-quad IPv4 address.
     *
     * @return the address as an unsigned 32-bit value in a long, or {@link #INVALID}
     */
    public static long parseIpv4(byte[] b, int from, int to) {
        int len = to - from;
        if (len < 7 || len > 15) {
            return INVALID;
        }
        long value = 0;
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < to) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                octet = octet * 10 + d;
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && b[start] == '0')) {
                return INVALID;
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                return i == to ? value : INVALID;
            }
            if (i >= to || b[i] != '.') {
                return INVALID;
            }
            i++;
        }
    }

    /**
     * Parses {@code b[from, to)} as an IPv6 address into {@code out[0]} (high 64 bits) and
     * {@code out[1]} (low 64 bits).
     *
     * @return whether the text was a strict IPv6 address; {@code out} is unspecified when not
     */
    public static boolean parseIpv6(byte[] b, int from, int to, long[] out) {
        int len = to - from;
        if (len < 2 || len > 45) {
            return false;
        }
        // Groups before "::" shift into head, those after into tail: two 128-bit registers in
        // longs, so parsing allocates nothing.
        long headHi = 0;
        long headLo = 0;
        long tailHi = 0;
        long tailLo = 0;
        int count = 0;
        int gapAt = -1;
        int i = from;
        if (b[i] == ':') {
            if (b[i + 1] != ':') {
                return false;
            }
            gapAt = 0;
            i += 2;
        }
        while (i < to) {
            if (count == 8) {
                return false;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 5) {
                int h = hexValue(b[i]);
                if (h < 0) {
                    break;
                }
                value = (value << 4) | h;
                i++;
            }
            int groups = 1;
            int second = 0;
            if (i < to && b[i] == '.') {
                // A trailing dotted IPv4 takes the last two groups.
                if (count > 6 || (gapAt < 0 && count != 6)) {
                    return false;
                }
                long v4 = parseIpv4(b, start, to);
                if (v4 == INVALID) {
                    return false;
                }
                value = (int) (v4 >>> 16);
                second = (int) (v4 & 0xFFFF);
                groups = 2;
                i = to;
            } else if (i == start || i - start > 4) {
                return false;
            }
            for (int k = 0; k < groups; k++) {
                long g = k == 0 ? value : second;
                if (gapAt < 0) {
                    headHi = (headHi << 16) | (headLo >>> 48);
                    headLo = (headLo << 16) | g;
                } else {
                    tailHi = (tailHi << 16) | (tailLo >>> 48);
                    tailLo = (tailLo << 16) | g;
                }
                count++;
            }
            if (i == to) {
                break;
            }
            if (b[i] != ':') {
                return false;
            }
            i++;
            if (i < to && b[i] == ':') {
                if (gapAt >= 0) {
                    return false;
                }
                gapAt = count;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // trailing single colon
            }
        }
        if (gapAt < 0) {
            if (count != 8) {
                return false;
            }
            out[0] = headHi;
            out[1] = headLo;
            return true;
        }
        if (count >= 8) {
            return false; // "::" must stand for at least one group
        }
        int shift = 16 * (8 - gapAt); // head moves to the top; tail stays at the bottom
        if (shift >= 128) {
            headHi = 0;
            headLo = 0;
        } else if (shift >= 64) {
            headHi = headLo << (shift - 64);
            headLo = 0;
        } else {
            headHi = (headHi << shift) | (headLo >>> (64 - shift));
            headLo = headLo << shift;
        }
        out[0] = headHi | tailHi;
        out[1] = headLo | tailLo;
        return true;
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Parses IPv4 or IPv6 text into the 128-bit form of {@link IpAddress} (IPv4 as IPv4-mapped
     * IPv6) in {@code out}.
     *
     * @return whether the text was a strict address
     */
    public static boolean parse(byte[] b, int from, int to, long[] out) {
        long v4 = parseIpv4(b, from, to);
        if (v4 != INVALID) {
            out[0] = 0;
            out[1] = IpAddress.IPV4_MAPPED_PREFIX | v4;
            return true;
        }
        return parseIpv6(b, from, to, out);
    }
}
