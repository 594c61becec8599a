package dev.threatip.geo;

import java.util.Map;

/**
 * Reads {@link Geo} and {@link Asn} out of a MaxMind DB record in the layouts found in practice:
 * GeoIP2/GeoLite2 nested ({@code country.iso_code}, {@code city.names.en},
 * {@code location.latitude}), the flat ip-location-db layout ({@code country_code}, {@code city},
 * {@code latitude}, {@code longitude}), and ASN/ISP records ({@code autonomous_system_number},
 * {@code autonomous_system_organization}, else {@code organization} or {@code isp}).
 */
final class RecordFields {
    private RecordFields() {
    }

    /** The location in the record, or null when it names none. */
    static Geo geo(Map<String, Object> r) {
        if (r == null) {
            return null;
        }
        String country = text(r.get("country"), "iso_code");
        if (country == null) {
            country = text(r.get("country_code"), null);
        }
        String city = text(r.get("city"), "names");
        Double lat = number(r.get("location"), "latitude");
        Double lon = number(r.get("location"), "longitude");
        if (lat == null && lon == null) {
            lat = number(r.get("latitude"), null);
            lon = number(r.get("longitude"), null);
        }
        if (country == null && city == null && lat == null && lon == null) {
            return null;
        }
        return new Geo(country, city, lat, lon);
    }

    /** The autonomous system in the record, or null when it has no AS number. */
    static Asn asn(Map<String, Object> r) {
        if (r == null) {
            return null;
        }
        Object n = r.get("autonomous_system_number");
        if (!(n instanceof Number number)) {
            return null;
        }
        String org = text(r.get("autonomous_system_organization"), null);
        if (org == null) {
            org = text(r.get("organization"), null);
        }
        if (org == null) {
            org = text(r.get("isp"), null);
        }
        return new Asn(number.longValue(), org);
    }

    /**
     * A non-empty string: the value itself, or inside a map under {@code key}; a {@code names}
     * map gives its English name, else any name.
     */
    private static String text(Object v, String key) {
        if (v instanceof Map<?, ?> m && key != null) {
            Object inner = m.get(key);
            if (inner instanceof Map<?, ?> names) {
                Object en = names.get("en");
                inner = en != null ? en : names.values().stream().findFirst().orElse(null);
            }
            v = inner;
        }
        return v instanceof String s && !s.isBlank() ? s : null;
    }

    /** A finite number: the value itself (number or numeric string), or inside a map under {@code key}. */
    private static Double number(Object v, String key) {
        if (v instanceof Map<?, ?> m && key != null) {
            v = m.get(key);
        }
        double d;
        if (v instanceof Float f) {
            d = Double.parseDouble(f.toString()); // 51.5142f, not 51.51419830322266
        } else if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof String s && !s.isBlank()) {
            try {
                d = Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        } else {
            return null;
        }
        return Double.isFinite(d) ? d : null;
    }
}
