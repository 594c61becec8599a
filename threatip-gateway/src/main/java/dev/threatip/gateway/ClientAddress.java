package dev.threatip.gateway;

import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.LineFields;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * The real client of a request: the peer address, unless the peer is a trusted proxy, in which
 * case its {@code X-Forwarded-For} (else {@code CF-Connecting-IP}, else {@code X-Real-IP}) is
 * walked right to left past trusted hops exactly as {@code scan} does for logs
 * ({@link ClientIpResolver}): a forged header from an untrusted client is never read.
 */
final class ClientAddress {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString CF_CONNECTING_IP = AsciiString.cached("cf-connecting-ip");
    private static final AsciiString X_REAL_IP = AsciiString.cached("x-real-ip");
    private final ClientIpResolver resolver;

    ClientAddress(List<Cidr> trusted) {
        this.resolver = ClientIpResolver.trusting(trusted);
    }

    boolean isTrusted(IpAddress peer) {
        return resolver.usesHeaders() && resolver.isTrusted(peer);
    }

    /** The peer's address in the 128-bit form; unspecified (::) when the channel has no IP peer. */
    static IpAddress peer(SocketAddress remote) {
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            InetAddress a = isa.getAddress();
            byte[] b = a.getAddress();
            if (b.length == 4) {
                return IpAddress.ofIpv4((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
            }
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 8; i++) {
                hi = hi << 8 | (b[i] & 0xff);
                lo = lo << 8 | (b[i + 8] & 0xff);
            }
            return new IpAddress(hi, lo);
        }
        return new IpAddress(0, 0);
    }

    /**
     * The client of a request from {@code peer}; {@code scratch} is reused per connection and only
     * needed when the peer is trusted.
     */
    IpAddress resolve(IpAddress peer, byte[] peerText, HttpHeaders headers, LineFields scratch) {
        return resolve(peer, peerText, joined(headers, X_FORWARDED_FOR), headers, scratch);
    }

    /** {@link #resolve(IpAddress, byte[], HttpHeaders, LineFields)} with the request's X-Forwarded-For already {@link #joined}. */
    IpAddress resolve(IpAddress peer, byte[] peerText, String forwardedFor, HttpHeaders headers, LineFields scratch) {
        if (!isTrusted(peer)) {
            return peer;
        }
        scratch.reset();
        scratch.remoteAddr.set(peerText, 0, peerText.length);
        set(scratch, forwardedFor, headers);
        if (!resolver.resolve(scratch)) {
            return peer;
        }
        return new IpAddress(scratch.clientHi, scratch.clientLo);
    }

    private static void set(LineFields f, String xff, HttpHeaders h) {
        if (xff != null) {
            byte[] b = xff.getBytes(StandardCharsets.ISO_8859_1);
            f.forwardedFor.set(b, 0, b.length);
        }
        String cf = h.get(CF_CONNECTING_IP);
        if (cf != null) {
            byte[] b = cf.getBytes(StandardCharsets.ISO_8859_1);
            f.connectingIp.set(b, 0, b.length);
        }
        String real = h.get(X_REAL_IP);
        if (real != null) {
            byte[] b = real.getBytes(StandardCharsets.ISO_8859_1);
            f.realIp.set(b, 0, b.length);
        }
    }

    /** Several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3). */
    static String joined(HttpHeaders h, CharSequence name) {
        Iterator<? extends CharSequence> it = h.valueCharSequenceIterator(name); // no list for the usual single field
        if (!it.hasNext()) {
            return null;
        }
        CharSequence one = it.next();
        return it.hasNext() ? String.join(", ", h.getAll(name)) : one.toString();
    }
}
