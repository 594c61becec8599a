package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.List;

/**
 * One item of {@code GET /api/v1/hits}: a stored detection of a behaviour rule
 * ({@code source} {@value #BEHAVIOR}), the requests of one intel-listed IP in one of its intel
 * categories within the window ({@code source} {@value #INTEL}), or one request the gateway
 * decided ({@code source} {@value #GATEWAY}).
 *
 * @param ts            the hit's time: the event time of its last matching request, or for a
 *                      detection without one the time it was stored
 * @param ip            the address; null for an endpoint or site detection itself
 * @param rule          the rule id; null for an intel hit
 * @param category      the category; null for a gateway hit no category decided (custom rule, live decision)
 * @param confidence    the confidence; null when the category is
 * @param group         the rule's group key; the address for an intel or gateway hit
 * @param count         a detection's peak count in a window; an intel hit's requests in the window; 1 for
 *                      a gateway hit
 * @param windowSeconds the rule's window; null for an intel hit
 * @param firstSeen     event time of the first matching request, or null when unknown
 * @param lastSeen      event time of the last matching request, or null when unknown
 * @param source        {@value #BEHAVIOR}, {@value #INTEL} or {@value #GATEWAY}
 * @param feeds         the feeds listing the IP in that category; empty for behaviour and gateway hits
 * @param action        the policy action the gateway took (or in monitor mode would have), or null
 * @param gateway       the gateway hit itself (request id, status, request, enforced), null for the others
 */
public record Hit(Instant ts, IpAddress ip, String rule, Category category, Confidence confidence, String group,
                  long count, Long windowSeconds, Instant firstSeen, Instant lastSeen, String source,
                  List<String> feeds, String action, GatewayHit gateway) {
    /** The source of a detection. */
    public static final String BEHAVIOR = "behavior";
    /** The source of an intel hit. */
    public static final String INTEL = "intel";
    /** The source of a request the gateway decided. */
    public static final String GATEWAY = "gateway";
    /** The sources, as {@code source=} accepts them. */
    public static final List<String> SOURCES = List.of(BEHAVIOR, INTEL, GATEWAY);

    public Hit {
        feeds = List.copyOf(feeds);
    }
}
