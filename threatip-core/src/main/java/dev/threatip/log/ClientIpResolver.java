package dev.threatip.log;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.IpParser;
import java.util.List;

/**
 * Finds the real client address of a parsed line, the way nginx's {@code real_ip_recursive on}
 * does, so that a forged header can never make a client look like someone else or like
 * loopback. Headers are attacker-controlled: only hops written by a trusted proxy are believed.
 *
 * <p>The rules, applied to {@link LineFields} into {@code clientHi/clientLo/clientValid}:
 * <ol>
 * <li>{@code remoteAddr} absent (CDN logs such as Cloudflare Logpush carry no peer address):
 *     the client is {@code connectingIp}, written by the CDN itself.</li>
 * <li>{@code remoteAddr} present but not a strict address: no valid client (headers are not
 *     consulted, they could be anything).</li>
 * <li>No trusted proxies, or {@code remoteAddr} not trusted: the client is {@code remoteAddr};
 *     every header is ignored.</li>
 * <li>{@code remoteAddr} trusted: the hops are {@code X-Forwarded-For} if it is not blank,
 *     otherwise {@code CF-Connecting-IP}, otherwise {@code X-Real-IP}. They are walked right to
 *     left (elements separated by commas and/or blanks; empty elements are skipped; an element may
 *     carry a port, {@code 192.0.2.1:5678} or {@code [2001:db8::1]:443}):
 *     <ul>
 *     <li>a trusted address: the walk goes on;</li>
 *     <li>an untrusted address: it is the client, the walk ends;</li>
 *     <li>{@code unknown}, an obfuscated identifier or garbage: the walk ends, and the client is
 *         the last address reached (the trusted hop that wrote the garbage, or {@code remoteAddr}).
 *         Nothing left of an element no trusted proxy vouched for is believed.</li>
 *     </ul>
 *     When the walk runs out of elements with every hop trusted, the client is the leftmost
 *     address (an internal client inside the trusted ranges).</li>
 * </ol>
 * A client that prepends {@code 127.0.0.1, 10.0.0.1} to its own header is found at the hop its
 * trusted proxy appended, which holds its real address. Trusting a network means trusting every
 * host in it to write honest headers: never list client networks.
 *
 * <p>Instances are immutable and thread-safe. Resolving allocates nothing for IPv4; the trusted
 * networks are flat arrays of 128-bit (network, mask) pairs, IPv4 in IPv4-mapped form, so
 * {@code ::ffff:10.0.0.1} is trusted exactly when {@code 10.0.0.1} is.
 */
public final class ClientIpResolver {
    private static final ClientIpResolver DIRECT = new ClientIpResolver(List.of());

    /** Scratch for IPv6 parsing; one per thread so resolving stays allocation-free and thread-safe. */
    private static final ThreadLocal<long[]> SCRATCH = ThreadLocal.withInitial(() -> new long[2]);

    private final long[] netHi;
    private final long[] netLo;
    private final long[] maskHi;
    private final long[] maskLo;

    private ClientIpResolver(List<Cidr> trusted) {
        int n = trusted.size();
        netHi = new long[n];
        netLo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        for (int i = 0; i < n; i++) {
            Cidr c = trusted.get(i);
            int bits = c.isIpv4() ? 96 + c.prefix() : c.prefix();
            maskHi[i] = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            maskLo[i] = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            netHi[i] = c.network().hi() & maskHi[i];
            netLo[i] = c.network().lo() & maskLo[i];
        }
    }

    /** A resolver that trusts no proxy: the client is always the peer address the log records. */
    public static ClientIpResolver direct() {
        return DIRECT;
    }

    /** A resolver that believes forwarding headers written by proxies in these networks. */
    public static ClientIpResolver trusting(List<Cidr> trustedProxies) {
        return trustedProxies.isEmpty() ? DIRECT : new ClientIpResolver(List.copyOf(trustedProxies));
    }

    /** Whether any proxy is trusted. */
    public boolean usesHeaders() {
        return netHi.length > 0;
    }

    /** Whether the address lies in a trusted proxy network. */
    public boolean isTrusted(IpAddress address) {
        return isTrusted(address.hi(), address.lo());
    }

    /**
     * Resolves the client of a parsed line into {@code f.clientHi/clientLo/clientValid}.
     *
     * @return whether a valid client address was found
     */
    public boolean resolve(LineFields f) {
        // f.clientHi/clientLo double as the parse output, so IPv4 needs no scratch at all.
        f.clientValid = false;
        Slice remote = f.remoteAddr;
        if (remote.isEmpty()) {
            Slice cdn = f.connectingIp;
            return f.clientValid = !cdn.isEmpty() && parseElement(cdn.array(), trimStart(cdn), trimEnd(cdn), f);
        }
        if (!parseElement(remote.array(), trimStart(remote), trimEnd(remote), f)) {
            return false;
        }
        long hi = f.clientHi;
        long lo = f.clientLo;
        if (netHi.length == 0 || !isTrusted(hi, lo)) {
            return f.clientValid = true;
        }
        Slice chain = !isBlank(f.forwardedFor) ? f.forwardedFor : !isBlank(f.connectingIp) ? f.connectingIp : f.realIp;
        if (!chain.isEmpty()) {
            byte[] b = chain.array();
            int from = chain.start();
            int i = chain.end();
            while (i > from) {
                int end = i;
                while (end > from && isSeparator(b[end - 1])) {
                    end--;
                }
                if (end == from) {
                    break;
                }
                int start = end;
                while (start > from && !isSeparator(b[start - 1])) {
                    start--;
                }
                i = start;
                if (!parseElement(b, start, end, f)) {
                    break; // garbage or "unknown": nothing further left is vouched for
                }
                hi = f.clientHi;
                lo = f.clientLo;
                if (!isTrusted(hi, lo)) {
                    break;
                }
            }
        }
        f.clientHi = hi;
        f.clientLo = lo;
        return f.clientValid = true;
    }

    /**
     * How a line's client was found, for explanations.
     *
     * @param method {@code direct} (the peer address), {@code cdn} (no peer address: the CDN's
     *               connecting-IP field), {@code forwarded} (a forwarding header walked past
     *               trusted proxies) or {@code none} (no valid client address)
     * @param header the header walked for {@code forwarded} ({@code X-Forwarded-For},
     *               {@code CF-Connecting-IP} or {@code X-Real-IP}), else null
     * @param detail one sentence naming the fields and addresses involved
     */
    public record Resolution(String method, String header, String detail) {
    }

    /**
     * Resolves the client of {@code f} like {@link #resolve} and says how. Allocates; for
     * {@code threatip explain}, not the hot path.
     */
    public Resolution explain(LineFields f) {
        boolean valid = resolve(f);
        String client = valid ? new IpAddress(f.clientHi, f.clientLo).toString() : null;
        Slice remote = f.remoteAddr;
        if (remote.isEmpty()) {
            return valid
                    ? new Resolution("cdn", null, "the format records no peer address: the client is connecting_ip, written by the CDN")
                    : new Resolution("none", null, "no peer address and no valid connecting_ip");
        }
        LineFields peer = new LineFields();
        if (!parseElement(remote.array(), trimStart(remote), trimEnd(remote), peer)) {
            return new Resolution("none", null, "remote_addr '" + remote + "' is not a strict IP address; headers are not consulted");
        }
        String peerText = new IpAddress(peer.clientHi, peer.clientLo).toString();
        if (netHi.length == 0) {
            return new Resolution("direct", null, "no trusted proxies: the client is remote_addr; forwarding headers are ignored");
        }
        if (!isTrusted(peer.clientHi, peer.clientLo)) {
            return new Resolution("direct", null, "remote_addr " + peerText
                    + " is not a trusted proxy: the client is remote_addr; forwarding headers are ignored");
        }
        String header = !isBlank(f.forwardedFor) ? "X-Forwarded-For" : !isBlank(f.connectingIp) ? "CF-Connecting-IP"
                : !f.realIp.isEmpty() ? "X-Real-IP" : null;
        if (header == null) {
            return new Resolution("direct", null, "remote_addr " + peerText
                    + " is a trusted proxy but the line has no forwarding header: the client is remote_addr");
        }
        Slice chain = header.equals("X-Forwarded-For") ? f.forwardedFor : header.equals("CF-Connecting-IP") ? f.connectingIp : f.realIp;
        return new Resolution("forwarded", header, "remote_addr " + peerText + " is a trusted proxy: walked " + header + " '"
                + chain + "' right to left past trusted proxies to " + client);
    }

    private boolean isTrusted(long hi, long lo) {
        for (int i = 0; i < netHi.length; i++) {
            if ((hi & maskHi[i]) == netHi[i] && (lo & maskLo[i]) == netLo[i]) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSeparator(byte c) {
        return c == ',' || c == ' ' || c == '\t';
    }

    /** Blank: absent, only separators, or the {@code -} logs write for a missing header. */
    private static boolean isBlank(Slice s) {
        if (s.length() == 1 && s.at(0) == '-') {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isSeparator(s.at(i))) {
                return false;
            }
        }
        return true;
    }

    private static int trimStart(Slice s) {
        int i = s.start();
        while (i < s.end() && (s.array()[i] == ' ' || s.array()[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int trimEnd(Slice s) {
        int i = s.end();
        while (i > s.start() && (s.array()[i - 1] == ' ' || s.array()[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    /**
     * Parses one hop: a strict address, {@code a.b.c.d:port}, {@code [v6]} or {@code [v6]:port},
     * into {@code f.clientHi/clientLo} as 128 bits (left unspecified when it is not one).
     */
    static boolean parseElement(byte[] b, int from, int to, LineFields f) {
        if (to - from < 2) {
            return false;
        }
        if (b[from] == '[') {
            int close = from + 1;
            while (close < to && b[close] != ']') {
                close++;
            }
            if (close == to || !(close + 1 == to || isPort(b, close + 1, to))) {
                return false;
            }
            return ipv6(b, from + 1, close, f);
        }
        int colons = 0;
        int lastColon = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colons++;
                lastColon = i;
            }
        }
        if (colons == 1) {
            if (!isPort(b, lastColon, to)) {
                return false;
            }
            to = lastColon;
        }
        long v4 = IpParser.parseIpv4(b, from, to);
        if (v4 != IpParser.INVALID) {
            f.clientHi = 0;
            f.clientLo = IpAddress.IPV4_MAPPED_PREFIX | v4;
            return true;
        }
        return colons >= 2 && ipv6(b, from, to, f);
    }

    private static boolean ipv6(byte[] b, int from, int to, LineFields f) {
        long[] out = SCRATCH.get();
        if (!IpParser.parseIpv6(b, from, to, out)) {
            return false;
        }
        f.clientHi = out[0];
        f.clientLo = out[1];
        return true;
    }

    /** Whether {@code b[colon, to)} is {@code :} followed by 1-5 digits. */
    private static boolean isPort(byte[] b, int colon, int to) {
        int digits = to - colon - 1;
        if (b[colon] != ':' || digits < 1 || digits > 5) {
            return false;
        }
        for (int i = colon + 1; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
