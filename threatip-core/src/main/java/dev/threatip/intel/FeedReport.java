package dev.threatip.intel;

import java.time.Instant;
import java.util.List;

/**
 * What compiling one feed did: what it held, what was skipped and why. Kept in the snapshot's
 * manifest, printed by {@code threatip feeds status}.
 *
 * @param name            the feed's name
 * @param source          the file or URL
 * @param format          the format read
 * @param role            threat, allow or downgrade
 * @param reliability     the weight of one listing
 * @param categories      the feed's default categories
 * @param rationale       why the catalog classified the feed so
 * @param entries         entries taken into the snapshot
 * @param addresses       of those, single addresses
 * @param networks        of those, networks
 * @param badLines        lines that could not be read
 * @param badLineSamples  the first bad lines, {@code file:line: why}
 * @param excluded        entries left out because they lie in special-purpose space
 * @param excludedSamples the first of those, with the space's class
 * @param declaredEntries how many entries the feed said it has, or -1
 * @param published       when the feed says it was produced, or null
 * @param fetchedAt       when threatip read or downloaded it, or null
 * @param origin          how the copy was obtained (file, downloaded, not-modified, cached...)
 * @param problem         a fetch problem while an older copy was used, or null
 * @param refused         whether the whole feed was refused
 * @param refusedWhy      why, or null
 */
public record FeedReport(String name, String source, String format, String role, double reliability,
                         List<String> categories, String rationale, long entries, long addresses, long networks,
                         long badLines, List<String> badLineSamples, long excluded, List<String> excludedSamples,
                         long declaredEntries, Instant published, Instant fetchedAt, String origin, String problem,
                         boolean refused, String refusedWhy) {
    public FeedReport {
        categories = List.copyOf(categories);
        badLineSamples = List.copyOf(badLineSamples);
        excludedSamples = List.copyOf(excludedSamples);
    }
}
