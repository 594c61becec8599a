package dev.threatip.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpParserTest {
    private static long v4(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return IpParser.parseIpv4(b, 0, b.length);
    }

    private static boolean v6(String s, long[] out) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return IpParser.parseIpv6(b, 0, b.length, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "203.0.113.254", "1.2.3.4"})
    void parseIpv4_dottedQuad_isAccepted(String s) throws UnknownHostException {
        byte[] expected = InetAddress.getByName(s).getAddress();
        assertEquals(ByteBuffer.wrap(expected).getInt() & 0xFFFF_FFFFL, v4(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "127.1", "0177.0.0.1", "0x7f.0.0.1", "1.2.3.4.5", "256.1.1.1", "1.2.3.04",
        " 1.2.3.4", "1.2.3.4 ", "1..2.3", "1.2.3.", ".1.2.3", "+1.2.3.4", "1.2.3.-4", "1.2.3.4/24", "१.2.3.4", "01.2.3.4",
        "1.2.3.4\0", "4294967295", "1.2.3.1000"})
    void parseIpv4_nonStrictForms_areRefused(String s) {
        assertEquals(IpParser.INVALID, v4(s), s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "fe80::1:2:3:4", "1::", "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6::8", "::ffff:192.0.2.1", "64:ff9b::198.51.100.7", "2001:db8:0:0:0:0:203.0.113.5", "::0:0"})
    void parseIpv6_rfc4291Forms_matchJdk(String s) throws UnknownHostException {
        long[] out = new long[2];
        assertTrue(v6(s, out), s);
        byte[] jdk = InetAddress.getByName(s).getAddress();
        if (jdk.length == 4) { // the JDK folds ::ffff:a.b.c.d to IPv4
            jdk = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, jdk[0], jdk[1], jdk[2], jdk[3]};
        }
        ByteBuffer bb = ByteBuffer.wrap(jdk);
        assertArrayEquals(new long[] {bb.getLong(), bb.getLong()}, out, s);
    }

    @ParameterizedTest
    @ValueSource(strings = {":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0",
        "[::1]", "::g", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1:", ":1", "1::2:", "::ffff:256.1.1.1", "2001:db8::1/64",
        "1:2:3:4:5:6:7:8::"})
    void parseIpv6_malformed_isRefused(String s) {
        assertFalse(v6(s, new long[2]), s);
    }

    @Test
    void parse_zoneId_isRefusedWithReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("fe80::1%eth0"));
        assertTrue(e.getMessage().contains("zone ids"), e.getMessage());
    }

    @Test
    void parse_ipv4MappedIpv6_equalsIpv4() {
        assertEquals(IpAddress.parse("192.0.2.1"), IpAddress.parse("::ffff:192.0.2.1"));
        assertTrue(IpAddress.parse("::ffff:c000:0201").isIpv4());
        assertEquals("192.0.2.1", IpAddress.parse("::ffff:c000:201").toString());
    }

    @Test
    void toStringThenParse_randomAddresses_roundTrip() throws UnknownHostException {
        Random rnd = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            IpAddress a = switch (i % 3) {
                case 0 -> IpAddress.ofIpv4(rnd.nextInt());
                case 1 -> new IpAddress(rnd.nextLong(), rnd.nextLong());
                default -> new IpAddress(rnd.nextBoolean() ? 0x20010db800000000L : 0, rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3));
            };
            String text = a.toString();
            assertEquals(a, IpAddress.parse(text), text);
            if (!a.isIpv4()) {
                // RFC 5952: the JDK's uncompressed form denotes the same address.
                assertEquals(a, IpAddress.parse(InetAddress.getByName(text).getHostAddress()), text);
            }
        }
    }

    @Test
    void toString_rfc5952_compressesLongestZeroRun() {
        assertEquals("2001:db8::1", IpAddress.parse("2001:0db8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("2001:0:0:1::1", IpAddress.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("::", IpAddress.parse("::").toString());
        assertEquals("::1", IpAddress.parse("::1").toString());
    }
}
