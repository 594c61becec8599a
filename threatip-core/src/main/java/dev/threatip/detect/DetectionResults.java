package dev.threatip.detect;

import dev.threatip.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link DetectionState} found: the detections, sorted by address then rule, and how many
 * group keys each rule had to evict to stay within its key cap (non-zero means some detections
 * may be missing: raise {@code settings.max_keys_per_rule}).
 *
 * @param detections every detection; endpoint and site detections have no address
 * @param evictions  evicted keys per rule id, only rules that evicted
 * @param participantsDropped participants of distributed detections not flagged because an
 *                   endpoint exceeded its participant cap, per rule id
 */
public record DetectionResults(List<Detection> detections, Map<String, Long> evictions,
                               Map<String, Long> participantsDropped) {
    public DetectionResults {
        detections = List.copyOf(detections);
        evictions = Map.copyOf(evictions);
        participantsDropped = Map.copyOf(participantsDropped);
    }

    /** Total keys evicted over all rules. */
    public long evictedKeys() {
        return evictions.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The detections that flag an address, grouped by address in address order. */
    public Map<IpAddress, List<Detection>> byIp() {
        Map<IpAddress, List<Detection>> m = new LinkedHashMap<>();
        for (Detection d : detections) {
            if (d.ip() != null) {
                m.computeIfAbsent(d.ip(), k -> new ArrayList<>()).add(d);
            }
        }
        return m;
    }

    /** The detections of one address. */
    public List<Detection> forIp(IpAddress ip) {
        return detections.stream().filter(d -> ip.equals(d.ip())).toList();
    }
}
