package dev.threatip.demo;

/**
 * Where a sample address is and who operates it, as the workspace's geo and ASN databases answer.
 * Invented operators with documentation AS numbers (RFC 5398), apart from the real crawler
 * operators Google and Microsoft.
 *
 * @param country     ISO 3166-1 alpha-2 code
 * @param countryName the country's English name
 * @param city        the city's English name
 * @param latitude    the city's latitude
 * @param longitude   the city's longitude
 * @param asn         the autonomous system number
 * @param org         the autonomous system's organisation
 * @param network     the kind of network the operator runs
 */
public record Origin(String country, String countryName, String city, double latitude, double longitude, long asn,
                     String org, Network network) {
    /** The kind of network an address lies in. */
    public enum Network {
        /** A consumer ISP: where shoppers (and residential proxy pools) are. */
        RESIDENTIAL,
        /** Servers for rent: where most attacks come from. */
        HOSTING,
        /** An anonymity network's relays (Tor exits). */
        ANONYMISER,
        /** A search engine's crawler range. */
        SEARCH_ENGINE
    }
}
