package dev.threatip.alert;

import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.store.PathCount;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One alert message: what every channel renders (the webhook body is its JSON, see the README's
 * payload schema). A message stands for {@link #count()} alerts: one IP matching the policy, or,
 * in a digest, every IP that matched during the suppression window. For a digest the fields
 * describe the group: the most severe IP in {@code ip}, the highest level, the union of
 * categories, hits and top paths summed over {@link #ips()}.
 *
 * @param policy     the policy that fired
 * @param group      {@code ip} or {@code policy} (a digest)
 * @param ip         the IP, or a digest's most severe IP
 * @param verdict    malicious or suspicious
 * @param level      the threat level
 * @param categories the categories with confidence, source, rules and feeds
 * @param hits       requests counted into the profile(s)
 * @param topPaths   the most requested paths, most first
 * @param userAgents the most used user agents
 * @param firstSeen  event time of the first request (null when unknown)
 * @param lastSeen   event time of the latest request (null when unknown)
 * @param profileUrl the dashboard's profile page of {@code ip}
 * @param count      how many alerts the message stands for
 * @param ips        the IPs it stands for (a digest lists up to {@link #MAX_LISTED}), most severe first
 * @param created    when the policy fired
 */
public record Alert(String policy, AlertPolicy.Grouping group, IpAddress ip, Verdict.Kind verdict, ThreatLevel level,
                    List<CategoryVerdict> categories, long hits, List<PathCount> topPaths, List<String> userAgents,
                    Instant firstSeen, Instant lastSeen, String profileUrl, int count, List<Member> ips, Instant created) {
    /** IPs a digest lists by name; {@link #count()} says how many it stands for in all. */
    public static final int MAX_LISTED = 20;

    public Alert {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(level, "level");
        categories = List.copyOf(categories);
        topPaths = List.copyOf(topPaths);
        userAgents = List.copyOf(userAgents);
        ips = List.copyOf(ips);
        if (count < 1) {
            throw new IllegalArgumentException("an alert message stands for at least one alert: " + count);
        }
    }

    /**
     * One IP a message stands for.
     *
     * @param ip         the address
     * @param level      its threat level
     * @param hits       its requests
     * @param profileUrl its profile page
     */
    public record Member(IpAddress ip, ThreatLevel level, long hits, String profileUrl) {
    }

    /** Whether this is a digest (grouped per policy). */
    public boolean digest() {
        return group == AlertPolicy.Grouping.POLICY;
    }

    /** Category names, strongest first, e.g. {@code scanner (high), web_attack (moderate)}. */
    public String categoryList() {
        StringBuilder sb = new StringBuilder();
        for (CategoryVerdict c : categories) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(c.category().wireName()).append(" (").append(c.confidence().wireName()).append(')');
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
