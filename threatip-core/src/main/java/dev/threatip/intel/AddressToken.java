package dev.threatip.intel;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.IpParser;

import java.nio.charset.StandardCharsets;

/**
 * One address or CIDR written as bytes ({@code 192.0.2.1}, {@code 2001:db8::/32}): strict
 * parsing for the feed readers, and the wording of the bad-line message when it fails. The
 * parse itself allocates only the result; the message is built on the (rare) failure path.
 */
final class AddressToken {
    /** How many characters of offending text a bad-line message quotes. */
    static final int QUOTE_LIMIT = 60;

    private AddressToken() {
    }

    /**
     * Parses {@code b[from, to)} as an IP address or {@code address/prefix}; host bits below the
     * prefix are cleared.
     *
     * @param scratch two longs the IPv6 parse writes into
     * @return the network, or null when the text is not a strict address or CIDR
     */
    static Cidr parse(byte[] b, int from, int to, long[] scratch) {
        int slash = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '/') {
                slash = i;
                break;
            }
        }
        int addrEnd = slash < 0 ? to : slash;
        IpAddress address;
        long v4 = IpParser.parseIpv4(b, from, addrEnd);
        if (v4 != IpParser.INVALID) {
            address = IpAddress.ofIpv4((int) v4);
        } else if (IpParser.parseIpv6(b, from, addrEnd, scratch)) {
            address = new IpAddress(scratch[0], scratch[1]);
        } else {
            return null;
        }
        if (slash < 0) {
            return Cidr.of(address);
        }
        int prefix = parsePrefix(b, slash + 1, to);
        if (prefix < 0 || prefix > address.bits()) {
            return null;
        }
        return new Cidr(address, prefix);
    }

    /** Parses the same text from a String (CSV and JSON feeds). */
    static Cidr parse(String text, long[] scratch) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length, scratch);
    }

    /** A decimal prefix length without leading zeros, or -1. */
    private static int parsePrefix(byte[] b, int from, int to) {
        int len = to - from;
        if (len < 1 || len > 3 || (len > 1 && b[from] == '0')) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /**
     * Whether the text is shaped like an address or CIDR (digits, dots and a slash; or hex
     * digits with colons), as opposed to a host name or a word; used to tell "a broken address" (a bad line)
     * from "not an address at all" (skipped) in lists that mix both.
     */
    static boolean looksLikeAddress(String text) {
        if (text.isEmpty()) {
            return false;
        }
        boolean colon = text.indexOf(':') >= 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '/'
                    || (colon && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code b[from, to)} is not an address or CIDR, quoting the text. */
    static String why(byte[] b, int from, int to) {
        return why(new String(b, from, Math.min(to - from, QUOTE_LIMIT * 4), StandardCharsets.UTF_8));
    }

    /** Why {@code text} is not an address or CIDR, quoting it. */
    static String why(String text) {
        int slash = text.indexOf('/');
        String q = quote(text);
        if (text.indexOf('%') >= 0) {
            return "zone ids are not accepted: " + q;
        }
        if (slash >= 0) {
            byte[] a = text.substring(0, slash).getBytes(StandardCharsets.ISO_8859_1);
            if (IpParser.parse(a, 0, a.length, new long[2])) {
                return "bad prefix length: " + q;
            }
        }
        return "not an IP address or CIDR: " + q;
    }

    /** The text in single quotes, cut to {@link #QUOTE_LIMIT} characters, control bytes shown as '?'. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder(QUOTE_LIMIT + 8).append('\'');
        int n = Math.min(text.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        if (text.length() > QUOTE_LIMIT) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
