package dev.threatip.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link GeoLookup} on the real databases in ../shared/data/geo: MaxMind's test databases checked
 * against their own source JSON, the flat ip-location-db GeoLite2 city files and the ASN CSVs.
 * Skipped when the folder is absent.
 */
class RealGeoDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path geoData() {
        Path d = Stream.of(Path.of("/work/shared/data/geo"), Path.of("../shared/data/geo"),
                Path.of("../../shared/data/geo")).filter(Files::isDirectory).findFirst().orElse(null);
        assumeTrue(d != null, "shared/data/geo not present");
        return d;
    }

    /** Each network of a MaxMind source JSON with its first address, e.g. {@code ::81.2.69.142/127 -> 81.2.69.142}. */
    private static List<Map.Entry<IpAddress, JsonNode>> sourceRecords(Path json) throws IOException {
        List<Map.Entry<IpAddress, JsonNode>> out = new ArrayList<>();
        for (JsonNode entry : JSON.readTree(json.toFile())) {
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String network = e.getKey().substring(0, e.getKey().indexOf('/'));
                if (network.startsWith("::") && network.indexOf('.') > 0) {
                    network = network.substring(2);
                }
                out.add(Map.entry(IpAddress.parse(network), e.getValue()));
            }
        }
        return out;
    }

    @Test
    void maxmindCityTestDatabase_answersAsItsSourceJson() throws IOException {
        Path test = geoData().resolve("maxmind-test");
        assumeTrue(Files.isRegularFile(test.resolve("GeoIP2-City-Test.mmdb")), "maxmind-test not present");
        int checked = 0;
        try (GeoLookup g = GeoLookup.open(test.resolve("GeoIP2-City-Test.mmdb"), null)) {
            assertEquals(new Geo("GB", "London", 51.5142, -0.0931), g.geo(IpAddress.parse("81.2.69.142")));
            for (Map.Entry<IpAddress, JsonNode> e : sourceRecords(test.resolve("source-data/GeoIP2-City-Test.json"))) {
                JsonNode r = e.getValue();
                if (!r.has("city") || !r.has("location") || !r.has("country")) {
                    continue;
                }
                Geo geo = g.geo(e.getKey());
                assertNotNull(geo, e.getKey().toString());
                assertEquals(r.at("/country/iso_code").asText(), geo.country(), e.getKey().toString());
                assertEquals(r.at("/city/names/en").asText(), geo.city(), e.getKey().toString());
                assertEquals(r.at("/location/latitude").asDouble(), geo.lat(), 1e-9, e.getKey().toString());
                assertEquals(r.at("/location/longitude").asDouble(), geo.lon(), 1e-9, e.getKey().toString());
                checked++;
            }
        }
        assertTrue(checked >= 10, "checked " + checked);
    }

    @Test
    void maxmindAsnTestDatabase_answersAsItsSourceJson() throws IOException {
        Path test = geoData().resolve("maxmind-test");
        assumeTrue(Files.isRegularFile(test.resolve("GeoLite2-ASN-Test.mmdb")), "maxmind-test not present");
        int checked = 0;
        try (GeoLookup g = GeoLookup.open(null, test.resolve("GeoLite2-ASN-Test.mmdb"))) {
            for (Map.Entry<IpAddress, JsonNode> e : sourceRecords(test.resolve("source-data/GeoLite2-ASN-Test.json"))) {
                JsonNode r = e.getValue();
                Asn asn = g.asn(e.getKey());
                assertNotNull(asn, e.getKey().toString());
                assertEquals(r.get("autonomous_system_number").asLong(), asn.number(), e.getKey().toString());
                assertEquals(r.path("autonomous_system_organization").textValue(), asn.org(), e.getKey().toString());
                checked++;
            }
        }
        assertTrue(checked >= 10, "checked " + checked);
    }

    @Test
    void ipLocationDbFlatCityAndAsnCsv_answerForGooglePublicDns() throws IOException {
        Path geo = geoData();
        assumeTrue(Files.isDirectory(geo.resolve("geolite2-city")) && Files.isDirectory(geo.resolve("asn")),
                "geolite2-city or asn not present");
        long started = System.nanoTime();
        try (GeoLookup g = GeoLookup.open(List.of(geo.resolve("geolite2-city")), List.of(geo.resolve("asn")))) {
            System.out.printf("opened geolite2-city and the ASN CSVs in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertEquals(new Asn(15169L, "Google LLC"), g.asn(IpAddress.parse("8.8.8.8")));
            assertEquals(new Asn(15169L, "Google LLC"), g.asn(IpAddress.parse("2001:4860:4860::8888")));
            assertEquals(new Asn(13335L, "Cloudflare, Inc."), g.asn(IpAddress.parse("1.0.0.1")));
            Geo v4 = g.geo(IpAddress.parse("8.8.8.8"));
            Geo v6 = g.geo(IpAddress.parse("2001:4860:4860::8888"));
            System.out.println("8.8.8.8 -> " + v4 + ", 2001:4860:4860::8888 -> " + v6);
            assertEquals("US", v4.country());
            assertEquals("US", v6.country());
            assertNotNull(v4.lat());
            assertNotNull(v4.lon());
            assertEquals(null, g.geo(IpAddress.parse("10.1.2.3")));
            assertEquals(null, g.asn(IpAddress.parse("10.1.2.3")));
        }
    }
}
