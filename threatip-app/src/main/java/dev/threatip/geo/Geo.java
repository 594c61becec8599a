package dev.threatip.geo;

/**
 * Where an address is, as far as the database knows; any field may be null.
 *
 * @param country ISO 3166-1 alpha-2 country code
 * @param city    city name (English where the database has several languages)
 * @param lat     latitude in degrees
 * @param lon     longitude in degrees
 */
public record Geo(String country, String city, Double lat, Double lon) {
}
