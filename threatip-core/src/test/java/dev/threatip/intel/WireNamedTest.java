package dev.threatip.intel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WireNamedTest {
    @Test
    void fromWire_everyWireName_roundTrips() {
        for (Category c : Category.values()) {
            assertEquals(c, Category.fromWire(c.wireName()));
        }
        for (Confidence c : Confidence.values()) {
            assertEquals(c, Confidence.fromWire(c.wireName()));
        }
        for (ThreatLevel l : ThreatLevel.values()) {
            assertEquals(l, ThreatLevel.fromWire(l.wireName()));
        }
        for (FeedRole r : FeedRole.values()) {
            assertEquals(r, FeedRole.fromWire(r.wireName()));
        }
        for (FeedFormat f : FeedFormat.values()) {
            assertEquals(f, FeedFormat.fromWire(f.wireName()));
        }
    }

    @Test
    void fromWire_unknownName_namesKindAndListsKnownInOrder() {
        assertEquals("unknown category 'x'; known: network_attack, exploit, web_attack, brute_force, "
                        + "network_proxy, scanner, account_takeover, malicious_bot",
                assertThrows(IllegalArgumentException.class, () -> Category.fromWire("x")).getMessage());
        assertEquals("unknown confidence 'x'; known: general, moderate, high",
                assertThrows(IllegalArgumentException.class, () -> Confidence.fromWire("x")).getMessage());
        assertEquals("unknown level 'x'; known: low, medium, high",
                assertThrows(IllegalArgumentException.class, () -> ThreatLevel.fromWire("x")).getMessage());
        assertEquals("unknown role 'x'; known: threat, allow, downgrade",
                assertThrows(IllegalArgumentException.class, () -> FeedRole.fromWire("x")).getMessage());
        assertEquals("unknown feed format 'x'; known: plain, ipset, ipsum, csv, stix, misp, misp-csv, tor, warninglist",
                assertThrows(IllegalArgumentException.class, () -> FeedFormat.fromWire("x")).getMessage());
    }

    @Test
    void fromWire_upperCase_isUnknown() {
        assertThrows(IllegalArgumentException.class, () -> Category.fromWire("SCANNER"));
    }

    @Test
    void fromWire_fireholAliases_readAsIpset() {
        assertEquals(FeedFormat.IPSET, FeedFormat.fromWire("netset"));
        assertEquals(FeedFormat.IPSET, FeedFormat.fromWire("firehol"));
    }
}
