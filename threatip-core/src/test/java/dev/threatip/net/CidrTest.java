package dev.threatip.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
    @Test
    void parse_hostBitsSet_areCleared() {
        assertEquals("203.0.113.0/24", Cidr.parse("203.0.113.7/24").toString());
        assertEquals("2001:db8::/32", Cidr.parse("2001:db8:ffff::1/32").toString());
    }

    @Test
    void parse_bareAddress_isSingle() {
        Cidr c = Cidr.parse("198.51.100.7");
        assertTrue(c.isSingleAddress());
        assertEquals(32, c.prefix());
        assertEquals(128, Cidr.parse("2001:db8::7").prefix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0/33", "203.0.113.0/", "203.0.113.0/-1", "203.0.113.0/024", "2001:db8::/129",
        "203.0.113.0/8a", "/24", "203.0.113/24"})
    void parse_badPrefix_isRefusedNamingTheText(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(s));
        assertTrue(e.getMessage().contains("'" + s + "'"), e.getMessage());
    }

    @Test
    void last_andContains_agreeWithArithmetic() {
        Random rnd = new Random(9);
        for (int i = 0; i < 5000; i++) {
            int prefix = rnd.nextInt(33);
            Cidr c = new Cidr(IpAddress.ofIpv4(rnd.nextInt()), prefix);
            long first = c.network().ipv4() & 0xFFFF_FFFFL;
            long last = c.last().ipv4() & 0xFFFF_FFFFL;
            assertEquals((1L << (32 - prefix)) - 1, last - first, c.toString());
            long probe = rnd.nextInt() & 0xFFFF_FFFFL;
            assertEquals(probe >= first && probe <= last, c.contains(IpAddress.ofIpv4((int) probe)), c + " " + probe);
        }
    }

    @Test
    void contains_otherFamily_isFalse() {
        assertFalse(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("2001:db8::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("::ffff:192.0.2.1")));
    }

    @Test
    void overlaps_nestedAndDisjoint() {
        assertTrue(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("10.1.0.0/16")));
        assertTrue(Cidr.parse("10.1.0.0/16").overlaps(Cidr.parse("10.0.0.0/8")));
        assertFalse(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("11.0.0.0/8")));
        assertTrue(Cidr.parse("::/0").overlaps(Cidr.parse("2001:db8::/32")));
    }
}
