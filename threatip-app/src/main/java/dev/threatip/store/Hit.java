package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.List;

/**
 * One item of {@code GET /api/v1/hits}: a stored detection of a behaviour rule
 * ({@code source} {@value #BEHAVIOR}), or the requests of one intel-listed IP in one of its intel
 * categories within the window ({@code source} {@value #INTEL}).
 *
 * @param ts            the hit's time: the event time of its last matching request, or for a
 *                      detection without one the time it was stored
 * @param ip            the address; null for an endpoint or site detection itself
 * @param rule          the rule id; null for an intel hit
 * @param category      the category
 * @param confidence    the confidence
 * @param group         the rule's group key; the address for an intel hit
 * @param count         a detection's peak count in a window; an intel hit's requests in the window
 * @param windowSeconds the rule's window; null for an intel hit
 * @param firstSeen     event time of the first matching request, or null when unknown
 * @param lastSeen      event time of the last matching request, or null when unknown
 * @param source        {@value #BEHAVIOR} or {@value #INTEL}
 * @param feeds         the feeds listing the IP in that category; empty for a behaviour hit
 * @param action        the policy action the gateway took, or null (none recorded)
 */
public record Hit(Instant ts, IpAddress ip, String rule, Category category, Confidence confidence, String group,
                  long count, Long windowSeconds, Instant firstSeen, Instant lastSeen, String source,
                  List<String> feeds, String action) {
    /** The source of a detection. */
    public static final String BEHAVIOR = "behavior";
    /** The source of an intel hit. */
    public static final String INTEL = "intel";

    public Hit {
        feeds = List.copyOf(feeds);
    }
}
