package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The real client behind proxies, and forged headers that must not move it. */
class ClientIpResolverTest {
    private static final ClientIpResolver BEHIND_PROXIES = ClientIpResolver.trusting(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48")));

    /** Resolves a line with these field values (null = absent) and returns the client, or "invalid". */
    private static String resolve(ClientIpResolver r, String remote, String xff, String realIp, String connecting) {
        LineFields f = new LineFields();
        f.reset();
        set(f.remoteAddr, remote);
        set(f.forwardedFor, xff);
        set(f.realIp, realIp);
        set(f.connectingIp, connecting);
        boolean ok = r.resolve(f);
        assertEquals(ok, f.clientValid);
        return ok ? new IpAddress(f.clientHi, f.clientLo).toString() : "invalid";
    }

    private static void set(Slice s, String v) {
        if (v != null) {
            byte[] padded = ("<<" + v + ">>").getBytes(StandardCharsets.ISO_8859_1);
            s.set(padded, 2, padded.length - 2); // slices point into a larger buffer, as parsers leave them
        }
    }

    @Test
    void resolve_noTrustedProxies_headersIgnored() {
        ClientIpResolver r = ClientIpResolver.direct();
        assertEquals("203.0.113.7", resolve(r, "203.0.113.7", "198.51.100.1", "198.51.100.2", "198.51.100.3"));
        assertEquals("203.0.113.7", resolve(r, "203.0.113.7", "127.0.0.1", null, null));
    }

    @Test
    void resolve_clientSendsXffWithoutTrustedProxy_remoteAddrWins() {
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "203.0.113.7", "10.0.0.5, 127.0.0.1", "127.0.0.1", "192.0.2.1"));
    }

    @Test
    void resolve_remoteAddrAbsent_cdnConnectingIpUsed() {
        assertEquals("203.0.113.9", resolve(ClientIpResolver.direct(), null, "198.51.100.1", null, "203.0.113.9"));
        assertEquals("2001:db8::9", resolve(ClientIpResolver.direct(), null, null, null, "2001:db8::9"));
        assertEquals("invalid", resolve(ClientIpResolver.direct(), null, "198.51.100.1", "198.51.100.2", null));
    }

    @Test
    void resolve_remoteAddrGarbage_invalidAndHeadersNotConsulted() {
        assertEquals("invalid", resolve(BEHIND_PROXIES, "not-an-ip", "203.0.113.7", null, null));
        assertEquals("invalid", resolve(BEHIND_PROXIES, "127.1", null, null, null));
        assertEquals("invalid", resolve(BEHIND_PROXIES, "0177.0.0.1", null, null, null));
        assertEquals("invalid", resolve(ClientIpResolver.direct(), "", null, null, null));
    }

    @Test
    void resolve_trustedChain_firstUntrustedFromTheRight() {
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7, 10.0.0.2", null, null));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", "198.51.100.4, 203.0.113.7,10.0.0.2 ,10.0.0.3", null, null));
    }

    @Test
    void resolve_forgedLoopbackAndPrivatePrepended_realClientWins() {
        // The client 203.0.113.7 sends "X-Forwarded-For: 127.0.0.1, 10.0.0.1"; its proxy appends the peer.
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.2", "127.0.0.1, 10.0.0.1, 203.0.113.7", null, null));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "127.0.0.1", "127.0.0.1, 10.0.0.1, 203.0.113.7, 10.0.0.9", null, null));
    }

    @Test
    void resolve_forgedSpoofedVictim_clientNotImpersonated() {
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.2", "198.51.100.77, 203.0.113.7", null, null));
    }

    @Test
    void resolve_everyHopTrusted_leftmostAddress() {
        assertEquals("10.9.9.9", resolve(BEHIND_PROXIES, "10.0.0.1", "10.9.9.9, 10.0.0.2", null, null));
    }

    @Test
    void resolve_garbageOrUnknownHop_walkStopsAtLastVouchedAddress() {
        assertEquals("10.0.0.2", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7, unknown, 10.0.0.2", null, null));
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7, _hidden", null, null));
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7, 1.2.3", null, null));
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", "\u0000\u00ff\u0001", null, null));
    }

    @Test
    void resolve_portsAndBrackets_tolerated() {
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7:5678", null, null));
        assertEquals("2001:db8::7", resolve(BEHIND_PROXIES, "10.0.0.1", "[2001:db8::7]:443, 10.0.0.3:80", null, null));
        assertEquals("2001:db8::7", resolve(BEHIND_PROXIES, "[2001:db8:ffff::1]:8443", "[2001:db8::7]", null, null));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1:33000", "203.0.113.7", null, null));
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7:99999999", null, null));
    }

    @Test
    void resolve_ipv6AndIpv4MappedForms_matchTrustAndClient() {
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "::ffff:10.0.0.1", "::ffff:203.0.113.7", null, null));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "2001:db8:ffff::5", "203.0.113.7, ::ffff:10.1.1.1", null, null));
        assertEquals("2001:db8:1::7", resolve(BEHIND_PROXIES, "2001:db8:ffff::5", "2001:db8:1::7, 2001:db8:ffff::6", null, null));
        assertTrue(BEHIND_PROXIES.isTrusted(IpAddress.parse("::ffff:10.1.2.3")));
        assertFalse(BEHIND_PROXIES.isTrusted(IpAddress.parse("2001:db8:fffe::1")));
        assertEquals("invalid", resolve(BEHIND_PROXIES, "fe80::1%eth0", null, null, null));
    }

    @Test
    void resolve_fiftyElementChain_walkedToTheUntrustedHop() {
        String trustedTail = IntStream.range(0, 49).mapToObj(i -> "10.0." + i / 250 + "." + (i % 250 + 1))
                .collect(Collectors.joining(", "));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7, " + trustedTail, null, null));
        String forged = IntStream.range(0, 50).mapToObj(i -> "198.51.100." + i).collect(Collectors.joining(","));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", forged + ",203.0.113.7,10.0.0.2", null, null));
    }

    @Test
    void resolve_emptyOrBlankHeaders_fallBackInOrder() {
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", "", null, null));
        assertEquals("10.0.0.1", resolve(BEHIND_PROXIES, "10.0.0.1", " ,  , ", null, null));
        assertEquals("203.0.113.8", resolve(BEHIND_PROXIES, "10.0.0.1", "  ", "203.0.113.8", null));
        assertEquals("203.0.113.9", resolve(BEHIND_PROXIES, "10.0.0.1", "-", "203.0.113.8", "203.0.113.9"));
        assertEquals("203.0.113.7", resolve(BEHIND_PROXIES, "10.0.0.1", "203.0.113.7,,, ", null, null));
    }

    @Test
    void resolve_realIpOnlyFromTrustedRemote() {
        assertEquals("203.0.113.8", resolve(BEHIND_PROXIES, "10.0.0.1", null, "203.0.113.8", null));
        assertEquals("198.51.100.1", resolve(BEHIND_PROXIES, "198.51.100.1", null, "203.0.113.8", null));
        assertEquals("198.51.100.1", resolve(BEHIND_PROXIES, "198.51.100.1", null, null, "203.0.113.8"));
    }

    private static ClientIpResolver.Resolution explain(ClientIpResolver r, String remote, String xff, String connecting) {
        LineFields f = new LineFields();
        f.reset();
        set(f.remoteAddr, remote);
        set(f.forwardedFor, xff);
        set(f.connectingIp, connecting);
        return r.explain(f);
    }

    @Test
    void explain_eachWayOfResolving_namesMethodAndHeader() {
        ClientIpResolver.Resolution walked = explain(BEHIND_PROXIES, "10.0.0.1", "127.0.0.1, 203.0.113.7, 10.0.0.2", null);
        assertEquals("forwarded", walked.method());
        assertEquals("X-Forwarded-For", walked.header());
        assertTrue(walked.detail().endsWith("to 203.0.113.7"), walked.detail());
        assertEquals("direct", explain(BEHIND_PROXIES, "198.51.100.1", "203.0.113.7", null).method());
        assertEquals("direct", explain(ClientIpResolver.direct(), "10.0.0.1", "203.0.113.7", null).method());
        assertEquals("direct", explain(BEHIND_PROXIES, "10.0.0.1", "-", null).method());
        assertEquals("cdn", explain(BEHIND_PROXIES, null, null, "203.0.113.7").method());
        assertEquals("none", explain(BEHIND_PROXIES, "0x7f.1", "203.0.113.7", null).method());
    }
}
