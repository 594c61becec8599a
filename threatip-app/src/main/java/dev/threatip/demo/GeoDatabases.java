package dev.threatip.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the workspace's geo and ASN databases in the GeoLite2-City and GeoLite2-ASN layouts,
 * listing the network of every given address (see {@link Operators}) with its operator's record.
 * Maps keep a fixed member order so the same addresses always give the same bytes.
 */
final class GeoDatabases {
    private GeoDatabases() {
    }

    static void write(Collection<String> addresses, Path city, Path asn) throws IOException {
        Map<String, Origin> networks = new LinkedHashMap<>();
        for (String ip : addresses) {
            networks.putIfAbsent(Operators.network(ip), Operators.origin(ip));
        }
        MmdbWriter cities = new MmdbWriter(6, "GeoLite2-City", "threatip demo GeoLite2-City (invented operators)");
        MmdbWriter systems = new MmdbWriter(6, "GeoLite2-ASN", "threatip demo GeoLite2-ASN (invented operators)");
        networks.forEach((network, o) -> {
            Map<String, Object> country = ordered("iso_code", o.country(), "names", ordered("en", o.countryName()));
            cities.put(network, ordered(
                    "city", ordered("names", ordered("en", o.city())),
                    "country", country,
                    "location", ordered("accuracy_radius", o.network() == Origin.Network.RESIDENTIAL ? 20 : 100,
                            "latitude", o.latitude(), "longitude", o.longitude()),
                    "registered_country", country));
            systems.put(network, ordered("autonomous_system_number", o.asn(), "autonomous_system_organization", o.org()));
        });
        cities.write(city);
        systems.write(asn);
    }

    /** A map in the order given (Map.of's order changes between runs, and the bytes must not). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
