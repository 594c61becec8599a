package dev.threatip.intel;

import dev.threatip.net.Cidr;

/**
 * One address or network read from a feed, with what the entry says and where it stood.
 *
 * @param network  the listed address (a /32 or /128) or network
 * @param evidence what the entry itself says; {@link Evidence#NONE} for a bare list entry
 * @param line     the 1-based line in the feed file where the entry stands (for JSON feeds,
 *                 the line where the entry's value starts)
 */
public record FeedEntry(Cidr network, Evidence evidence, long line) {
}
