package dev.threatip.geo;

/**
 * The autonomous system an address is announced from.
 *
 * @param number the AS number
 * @param org    the organisation operating it, or null when the database does not name it
 */
public record Asn(Long number, String org) {
}
