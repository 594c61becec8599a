package dev.threatip.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecialRangesTest {
    @ParameterizedTest
    @CsvSource({"10.1.2.3,private", "172.31.255.255,private", "192.168.1.1,private", "127.0.0.1,loopback",
        "169.254.169.254,link-local", "100.64.0.1,shared", "224.0.0.1,multicast", "255.255.255.255,reserved",
        "0.1.2.3,reserved", "192.0.2.10,documentation", "198.51.100.10,documentation", "203.0.113.10,documentation",
        "198.18.0.1,benchmarking", "8.8.8.8,public", "172.32.0.1,public", "::1,loopback", "::,unspecified",
        "fe80::1,link-local", "fd00::1,private", "ff02::1,multicast", "2001:db8::1,documentation",
        "2606:4700::1111,public", "::ffff:10.0.0.1,private", "192.0.0.9,public", "192.0.0.10,public",
        "192.0.0.11,reserved", "192.0.0.8,reserved"})
    void classify_knownAddresses(String address, String expected) {
        assertEquals(expected, SpecialRanges.classify(IpAddress.parse(address)).wireName());
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0/0,reserved", "10.0.0.0/8,private", "8.0.0.0/7,public", "8.0.0.0/5,private",
        "2000::/3,documentation", "2606:4700::/32,public", "192.0.0.10/32,public", "192.0.0.8/30,reserved",
        "192.0.0.0/24,reserved"})
    void classify_networksOverlappingSpecialSpace(String cidr, String expected) {
        assertEquals(expected, SpecialRanges.classify(Cidr.parse(cidr)).wireName());
    }

    @Test
    void classifyIpv4_agreesWithGeneralClassifier() {
        Random rnd = new Random(2);
        for (int i = 0; i < 200_000; i++) {
            int v = i % 2 == 0 ? rnd.nextInt() : (rnd.nextInt(256) << 24) | (rnd.nextInt() & 0x00FF_FFFF);
            assertEquals(SpecialRanges.classify(IpAddress.ofIpv4(v)), SpecialRanges.classifyIpv4(v));
        }
    }
}
