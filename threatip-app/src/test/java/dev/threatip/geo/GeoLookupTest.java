package dev.threatip.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GeoLookup} on MaxMind DB files and ASN CSVs the tests write themselves. */
class GeoLookupTest {
    @TempDir
    Path dir;

    /** A GeoIP2-City-like database (nested layout) over IPv4 and IPv6 documentation ranges. */
    static Path nestedCity(Path dir) throws IOException {
        Path f = dir.resolve("city-nested.mmdb");
        new TestMmdbWriter(6, "GeoIP2-City")
                .put("192.0.2.0/24", Map.of(
                        "country", Map.of("iso_code", "GB", "names", Map.of("en", "United Kingdom")),
                        "city", Map.of("geoname_id", 2643743L, "names", Map.of("en", "London", "de", "London")),
                        "location", Map.of("latitude", 51.5142, "longitude", -0.0931, "accuracy_radius", 100)))
                .put("198.51.100.128/25", Map.of(
                        "country", Map.of("iso_code", "SE"),
                        "registered_country", Map.of("iso_code", "SE")))
                .put("2001:db8::/32", Map.of(
                        "country", Map.of("iso_code", "JP"),
                        "city", Map.of("names", Map.of("ja", "東京")),
                        "location", Map.of("latitude", 35.6895, "longitude", 139.6917)))
                .write(f);
        return f;
    }

    /** A GeoLite2-ASN-like database. */
    static Path asnMmdb(Path dir) throws IOException {
        Path f = dir.resolve("asn.mmdb");
        new TestMmdbWriter(6, "GeoLite2-ASN")
                .put("203.0.113.0/24", Map.of("autonomous_system_number", 64500L,
                        "autonomous_system_organization", "Example Transit"))
                .put("2001:db8:1::/48", Map.of("autonomous_system_number", 4_200_000_000L,
                        "autonomous_system_organization", "Example Private"))
                .write(f);
        return f;
    }

    /** The ip-location-db ASN CSVs: gzipped IPv4 and plain IPv6, no header, a quoted organisation. */
    static Path asnCsvDir(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("asn-csv"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(d.resolve("asn-ipv4.csv.gz")))) {
            out.write(("192.0.2.0,192.0.2.127,64496,\"Example, Inc.\"\n"
                    + "192.0.2.128,192.0.2.255,64497,Example Hosting\n"
                    + "198.51.100.0,198.51.100.255,64498,\"The \"\"Quoted\"\" Net\"\n"
                    + "203.0.113.0,203.0.113.15,64499,\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(d.resolve("asn-ipv6.csv"),
                "2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,64510,Example Six\n");
        return d;
    }

    private static IpAddress ip(String s) {
        return IpAddress.parse(s);
    }

    @Test
    void geo_nestedLayout_readsCountryEnglishCityAndLocation() throws IOException {
        try (GeoLookup g = GeoLookup.open(nestedCity(dir), null)) {
            assertEquals(new Geo("GB", "London", 51.5142, -0.0931), g.geo(ip("192.0.2.77")));
            assertEquals(new Geo("SE", null, null, null), g.geo(ip("198.51.100.200")));
            assertEquals(new Geo("JP", "東京", 35.6895, 139.6917), g.geo(ip("2001:db8:abcd::1")));
        }
    }

    @Test
    void geo_addressOutsideEveryNetwork_isNull() throws IOException {
        try (GeoLookup g = GeoLookup.open(nestedCity(dir), null)) {
            assertNull(g.geo(ip("198.51.100.5")));
            assertNull(g.geo(ip("2001:db9::1")));
        }
    }

    @Test
    void geo_ipv4MappedIpv6_findsTheIpv4Network() throws IOException {
        try (GeoLookup g = GeoLookup.open(nestedCity(dir), null)) {
            assertEquals("London", g.geo(ip("::ffff:192.0.2.1")).city());
        }
    }

    @Test
    void geo_flatLayoutInSeparateIpv4AndIpv6Files_readsBothFromTheDirectory() throws IOException {
        Path d = Files.createDirectories(dir.resolve("flat"));
        new TestMmdbWriter(4, "ip-location-db geolite2-city")
                .put("203.0.113.0/24", Map.of("country_code", "DE", "state1", "Berlin", "city", "Berlin",
                        "postcode", "10115", "latitude", 52.5244f, "longitude", 13.4105f, "timezone", "Europe/Berlin"))
                .write(d.resolve("city-ipv4.mmdb"));
        new TestMmdbWriter(6, "ip-location-db geolite2-city")
                .put("2001:db8::/33", Map.of("country_code", "FR", "city", "Paris",
                        "latitude", 48.8534f, "longitude", 2.3488f))
                .write(d.resolve("city-ipv6.mmdb"));
        try (GeoLookup g = GeoLookup.open(d, null)) {
            assertEquals(new Geo("DE", "Berlin", 52.5244, 13.4105), g.geo(ip("203.0.113.9")));
            assertEquals(new Geo("FR", "Paris", 48.8534, 2.3488), g.geo(ip("2001:db8::9")));
            assertNull(g.geo(ip("2001:db8:8000::1")));
        }
    }

    @Test
    void asn_mmdb_readsNumberAndOrganisationIncludingAbove2Pow31() throws IOException {
        try (GeoLookup g = GeoLookup.open(null, asnMmdb(dir))) {
            assertEquals(new Asn(64500L, "Example Transit"), g.asn(ip("203.0.113.200")));
            assertEquals(new Asn(4_200_000_000L, "Example Private"), g.asn(ip("2001:db8:1:2::3")));
            assertNull(g.asn(ip("192.0.2.1")));
        }
    }

    @Test
    void asn_csvDirectory_findsRangesByBinarySearchAcrossBothFamilies() throws IOException {
        try (GeoLookup g = GeoLookup.open(null, asnCsvDir(dir))) {
            assertEquals(new Asn(64496L, "Example, Inc."), g.asn(ip("192.0.2.0")));
            assertEquals(new Asn(64496L, "Example, Inc."), g.asn(ip("192.0.2.127")));
            assertEquals(new Asn(64497L, "Example Hosting"), g.asn(ip("192.0.2.128")));
            assertEquals(new Asn(64498L, "The \"Quoted\" Net"), g.asn(ip("198.51.100.1")));
            assertEquals(new Asn(64499L, null), g.asn(ip("203.0.113.15")));
            assertNull(g.asn(ip("203.0.113.16")));
            assertNull(g.asn(ip("10.0.0.1")));
            assertEquals(new Asn(64510L, "Example Six"), g.asn(ip("2001:db8::ffff")));
            assertNull(g.asn(ip("2001:db8:1::")));
        }
    }

    @Test
    void asn_csvFilesGivenIpv6First_areSortedIntoOneTable() throws IOException {
        Path d = asnCsvDir(dir);
        try (GeoLookup g = GeoLookup.open(List.of(), List.of(d.resolve("asn-ipv6.csv"), d.resolve("asn-ipv4.csv.gz")))) {
            assertEquals(64497L, g.asn(ip("192.0.2.200")).number());
            assertEquals(64510L, g.asn(ip("2001:db8::1")).number());
        }
    }

    @Test
    void asn_mmdbAndCsvTogether_mmdbAnswersFirstThenCsv() throws IOException {
        try (GeoLookup g = GeoLookup.open(List.of(), List.of(asnMmdb(dir), asnCsvDir(dir)))) {
            assertEquals(64500L, g.asn(ip("203.0.113.1")).number());
            assertEquals(64496L, g.asn(ip("192.0.2.1")).number());
        }
    }

    @Test
    void asn_csvRangeAgreesWithLinearScanOverRanges() throws IOException {
        try (GeoLookup g = GeoLookup.open(null, asnCsvDir(dir))) {
            long[][] ranges = {{0xC0000200L, 0xC000027FL, 64496}, {0xC0000280L, 0xC00002FFL, 64497},
                    {0xC6336400L, 0xC63364FFL, 64498}, {0xCB007100L, 0xCB00710FL, 64499}};
            for (long v = 0xC0000100L; v <= 0xCB007200L; v += 7) {
                if (v > 0xC0000400L && v < 0xC6336300L) {
                    v = 0xC6336300L;
                } else if (v > 0xC6336600L && v < 0xCB007000L) {
                    v = 0xCB007000L;
                }
                Long expected = null;
                for (long[] r : ranges) {
                    if (v >= r[0] && v <= r[1]) {
                        expected = r[2];
                    }
                }
                Asn got = g.asn(IpAddress.ofIpv4((int) v));
                assertEquals(expected, got == null ? null : got.number(), IpAddress.ofIpv4((int) v).toString());
            }
        }
    }

    @Test
    void open_noDatabases_answersNullForEverything() throws IOException {
        try (GeoLookup g = GeoLookup.open((Path) null, null)) {
            assertFalse(g.hasGeo());
            assertFalse(g.hasAsn());
            assertNull(g.geo(ip("192.0.2.1")));
            assertNull(g.asn(ip("192.0.2.1")));
        }
    }

    @Test
    void geo_repeatedLookups_answerTheSameFromTheCache() throws IOException {
        try (GeoLookup g = GeoLookup.open(nestedCity(dir), asnCsvDir(dir))) {
            Geo first = g.geo(ip("192.0.2.1"));
            assertTrue(first == g.geo(ip("192.0.2.1")), "a cached answer is the same instance");
            assertNull(g.geo(ip("198.51.100.1")));
            assertNull(g.geo(ip("198.51.100.1")));
        }
    }

    @Test
    void lruCache_pastCapacity_dropsTheLeastRecentlyUsed() {
        LruCache<Integer, String> c = new LruCache<>(2);
        c.get(1, k -> "one");
        c.get(2, k -> "two");
        c.get(1, k -> "reloaded");
        c.get(3, k -> "three");
        assertEquals(2, c.size());
        assertEquals("one", c.get(1, k -> "reloaded"));
        assertEquals("two again", c.get(2, k -> "two again"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LruCache<>(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    @Test
    void open_malformedCsvLine_failsNamingFileAndLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "192.0.2.0,192.0.2.255,64496,Fine\n192.0.2.300,192.0.2.255,1,Bad\n");
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(null, f));
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
        assertTrue(e.getMessage().contains("192.0.2.300"), e.getMessage());
    }

    @Test
    void open_csvWithTooFewFields_failsNamingTheExpectedColumns() throws IOException {
        Path f = dir.resolve("short.csv");
        Files.writeString(f, "192.0.2.0,192.0.2.255\n");
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(null, f));
        assertTrue(e.getMessage().contains(":1: expected range_start,range_end,asn,as_org"), e.getMessage());
    }

    @Test
    void open_csvRangeEndingBeforeItStarts_isRefused() throws IOException {
        Path f = dir.resolve("backwards.csv");
        Files.writeString(f, "192.0.2.9,192.0.2.1,64496,Backwards\n");
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(null, f));
        assertTrue(e.getMessage().contains("is not a range"), e.getMessage());
    }

    @Test
    void open_corruptMmdb_failsNamingTheFile() throws IOException {
        Path f = dir.resolve("corrupt.mmdb");
        Files.writeString(f, "this is not a MaxMind DB file");
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(f, null));
        assertTrue(e.getMessage().startsWith(f + ": not a readable MaxMind DB file"), e.getMessage());
    }

    @Test
    void open_missingFile_throwsNoSuchFile() {
        Path f = dir.resolve("absent.mmdb");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> GeoLookup.open(f, null));
        assertEquals(f.toString(), e.getFile());
    }

    @Test
    void open_geoFileThatIsNotMmdb_isRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("city.csv"), "x\n");
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(f, null));
        assertTrue(e.getMessage().contains("must be a MaxMind DB (.mmdb) file"), e.getMessage());
    }

    @Test
    void open_directoryWithoutDatabases_isRefused() throws IOException {
        Path d = Files.createDirectories(dir.resolve("empty"));
        GeoDatabaseException e = assertThrows(GeoDatabaseException.class, () -> GeoLookup.open(d, null));
        assertTrue(e.getMessage().contains("no .mmdb files in this directory"), e.getMessage());
    }
}
