package dev.threatip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.maxmind.db.Reader;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.geo.GeoLookup;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample workspace's geo and ASN databases, read back by {@link GeoLookup} and MaxMind's reader. */
class GeoDatabasesTest {
    private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    static Path dir;
    static SampleWorkspace.Written w;

    @BeforeAll
    static void writeWorkspace() throws IOException {
        w = SampleWorkspace.write(dir.resolve("ws"), 7, DAY);
    }

    @Test
    void geoLookup_everyClientAndDormantAddress_answersThePlantedOrigin() throws IOException {
        assertEquals(w.clients().size() + w.dormant().size(), w.origins().size());
        try (GeoLookup g = GeoLookup.open(w.cityDb(), w.asnDb())) {
            for (Map.Entry<String, Origin> e : w.origins().entrySet()) {
                Origin o = e.getValue();
                IpAddress ip = IpAddress.parse(e.getKey());
                assertEquals(new Geo(o.country(), o.city(), o.latitude(), o.longitude()), g.geo(ip), e.getKey());
                assertEquals(new Asn(o.asn(), o.org()), g.asn(ip), e.getKey());
            }
            assertNull(g.geo(IpAddress.parse("8.8.8.8")), "only the workspace's networks are listed");
        }
    }

    @Test
    void origins_roles_comeFromTheirKindOfNetwork() {
        w.clients().forEach((ip, role) -> {
            Origin.Network expected = switch (role) {
                case VISITOR, CREDENTIAL_STUFFING -> Origin.Network.RESIDENTIAL;
                case CRAWLER -> Origin.Network.SEARCH_ENGINE;
                case TOR -> Origin.Network.ANONYMISER;
                default -> Origin.Network.HOSTING;
            };
            assertEquals(expected, w.origins().get(ip).network(), ip + " " + role);
        });
        w.dormant().keySet().forEach(ip -> assertEquals(Origin.Network.HOSTING, w.origins().get(ip).network(), ip));
        Origin googlebot = w.origins().get("66.249.66.1");
        assertEquals(15169, googlebot.asn());
        assertEquals("Google LLC", googlebot.org());
        assertEquals("US", googlebot.country());
        assertEquals("Microsoft Corporation", w.origins().get("157.55.39.12").org());
    }

    @Test
    void cityDb_recordLayout_isGeoLite2City() throws IOException {
        String visitor = w.clients(SampleWorkspace.Role.VISITOR).get(0);
        Origin o = w.origins().get(visitor);
        try (Reader r = new Reader(w.cityDb().toFile())) {
            assertEquals("GeoLite2-City", r.getMetadata().getDatabaseType());
            Map<?, ?> rec = r.get(InetAddress.getByName(visitor), Map.class);
            assertNotNull(rec, visitor);
            Map<?, ?> country = (Map<?, ?>) rec.get("country");
            assertEquals(o.country(), country.get("iso_code"));
            assertEquals(o.countryName(), ((Map<?, ?>) country.get("names")).get("en"));
            assertEquals(o.city(), ((Map<?, ?>) ((Map<?, ?>) rec.get("city")).get("names")).get("en"));
            assertEquals(o.latitude(), ((Map<?, ?>) rec.get("location")).get("latitude"));
            assertEquals(o.longitude(), ((Map<?, ?>) rec.get("location")).get("longitude"));
        }
        try (Reader r = new Reader(w.asnDb().toFile())) {
            assertEquals("GeoLite2-ASN", r.getMetadata().getDatabaseType());
            Map<?, ?> rec = r.get(InetAddress.getByName(visitor), Map.class);
            assertEquals(o.asn(), ((Number) rec.get("autonomous_system_number")).longValue());
            assertEquals(o.org(), rec.get("autonomous_system_organization"));
        }
    }
}
