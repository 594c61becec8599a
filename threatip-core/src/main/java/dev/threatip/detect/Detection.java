package dev.threatip.detect;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import java.time.Duration;
import java.util.List;

/**
 * A behaviour rule that fired for one group key: the evidence a verdict explains itself with.
 *
 * @param ruleId         the rule's id
 * @param category       the rule's category
 * @param confidence     the confidence the peak count reached
 * @param groupKey       the group: an address, {@code address host}, {@code host/path} for an
 *                       endpoint, or the host for a site
 * @param ip             the address this detection flags; null for an endpoint or site detection
 *                       itself, set for each participant of a distributed one
 * @param count          the largest count within any window (for a participant: of the window it
 *                       took part in)
 * @param window         the rule's window
 * @param firstMillis    event time of the group's first matching event (epoch ms), -1 when unknown
 * @param lastMillis     event time of its last matching event, -1 when unknown
 * @param tags           the rule's tags ({@code shared} marks a shared address)
 * @param sampleLineRefs up to five line references of the earliest matching events, for
 *                       {@code ScanSummary.position}; empty for participants
 */
public record Detection(String ruleId, Category category, Confidence confidence, String groupKey, IpAddress ip,
                        long count, Duration window, long firstMillis, long lastMillis, List<String> tags,
                        List<Long> sampleLineRefs) {
    public Detection {
        tags = List.copyOf(tags);
        sampleLineRefs = List.copyOf(sampleLineRefs);
    }
}
