/**
 * Geolocation and ASN of an address from MaxMind DB files (GeoLite2/GeoIP2 nested layout, the
 * flat ip-location-db layout, DB-IP) and the ip-location-db ASN CSV. The entry type is
 * {@link dev.threatip.geo.GeoLookup}; the readers and the range table behind it are package-private.
 */
package dev.threatip.geo;
