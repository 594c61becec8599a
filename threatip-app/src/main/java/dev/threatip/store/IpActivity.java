package dev.threatip.store;

import dev.threatip.net.IpAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Batched questions about what a set of IPs did, as alert policies ask them once per flush: how
 * many requests since a time, how many of them to matching paths or from matching inputs, and
 * the top paths and user agents an alert message shows. One query per 1,000 addresses, whatever
 * the number of policies' candidates, so a flood of newly flagged IPs costs a few scans of the
 * events table rather than one per IP.
 */
public final class IpActivity {
    private static final int CHUNK = 1000;

    /**
     * Requests of one IP since its cut-off.
     *
     * @param hits       requests at or after the cut-off
     * @param pathHits   those whose path matches the path pattern (0 without one)
     * @param sourceHits those from an input whose name matches the input pattern (0 without one)
     */
    public record Counts(long hits, long pathHits, long sourceHits) {
    }

    /**
     * What an alert message shows of one IP.
     *
     * @param hits       requests counted into its profile (0 without a profile)
     * @param firstSeen  event time of its first request (null when unknown)
     * @param lastSeen   event time of its latest request (null when unknown)
     * @param topPaths   its most requested paths, most first
     * @param userAgents its most used user agents, most first
     */
    public record Summary(long hits, Instant firstSeen, Instant lastSeen, List<PathCount> topPaths, List<String> userAgents) {
        public Summary {
            topPaths = List.copyOf(topPaths);
            userAgents = List.copyOf(userAgents);
        }
    }

    private final EventStore store;

    /** Questions answered from {@code store}. */
    public IpActivity(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Per IP, its requests with event time at or after its cut-off; IPs without any are absent.
     *
     * @param since        each IP's cut-off
     * @param pathRegex    a RE2 regular expression the whole path must match for {@code pathHits}, or null
     * @param sourceRegex  a RE2 regular expression the whole input name must match for {@code sourceHits}, or null
     */
    public Map<IpAddress, Counts> counts(Map<IpAddress, Instant> since, String pathRegex, String sourceRegex) {
        Map<IpAddress, Counts> out = new HashMap<>();
        List<Map.Entry<IpAddress, Instant>> all = new ArrayList<>(since.entrySet());
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Map.Entry<IpAddress, Instant>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            String values = String.join(", ", Collections.nCopies(chunk.size(), "(?, make_timestamp(?))"));
            String sql = "WITH c(ip, since) AS (VALUES " + values + ") SELECT e.ip, count(*), "
                    + (pathRegex == null ? "0" : "count(*) FILTER (WHERE regexp_full_match(e.path, ?))") + ", "
                    + (sourceRegex == null ? "0" : "count(*) FILTER (WHERE regexp_full_match(e.source, ?))")
                    + " FROM events e JOIN c ON e.ip = c.ip WHERE e.ts >= c.since GROUP BY e.ip";
            store.read("count recent requests of " + chunk.size() + " addresses", c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (Map.Entry<IpAddress, Instant> e : chunk) {
                        ps.setString(i++, e.getKey().toString());
                        ps.setLong(i++, EventStore.micros(e.getValue()));
                    }
                    if (pathRegex != null) {
                        ps.setString(i++, pathRegex);
                    }
                    if (sourceRegex != null) {
                        ps.setString(i, sourceRegex);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(IpAddress.parse(rs.getString(1)), new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    /** Per IP, what an alert shows of it: profile hits and span, top {@code top} paths and user agents. */
    public Map<IpAddress, Summary> summaries(Collection<IpAddress> ips, int top) {
        List<String> keys = ips.stream().map(IpAddress::toString).distinct().toList();
        Map<String, long[]> profiles = new HashMap<>();
        Map<String, List<PathCount>> paths = new HashMap<>();
        Map<String, List<String>> agents = new HashMap<>();
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            store.read("summarise " + chunk.size() + " addresses", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT ip, hits, epoch_us(first_seen), epoch_us(last_seen) "
                        + "FROM ip_profiles WHERE ip IN (" + marks + ")")) {
                    bind(ps, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            profiles.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT ip, path, n FROM (SELECT ip, path, count(*) AS n FROM events "
                        + "WHERE ip IN (" + marks + ") AND path IS NOT NULL GROUP BY ip, path) "
                        + "QUALIFY row_number() OVER (PARTITION BY ip ORDER BY n DESC, path) <= " + top + " ORDER BY ip, n DESC, path")) {
                    bind(ps, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            paths.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new PathCount(rs.getString(2), rs.getLong(3)));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT ip, user_agent FROM (SELECT ip, user_agent, count(*) AS n "
                        + "FROM events WHERE ip IN (" + marks + ") AND user_agent IS NOT NULL GROUP BY ip, user_agent) "
                        + "QUALIFY row_number() OVER (PARTITION BY ip ORDER BY n DESC, user_agent) <= " + top
                        + " ORDER BY ip, n DESC, user_agent")) {
                    bind(ps, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            agents.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                        }
                    }
                }
                return null;
            });
        }
        Map<IpAddress, Summary> out = new HashMap<>();
        for (String k : keys) {
            long[] p = profiles.get(k);
            out.put(IpAddress.parse(k), new Summary(p == null ? 0 : p[0], p == null ? null : EventStore.instant(p[1]),
                    p == null ? null : EventStore.instant(p[2]), paths.getOrDefault(k, List.of()), agents.getOrDefault(k, List.of())));
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setString(i + 1, args.get(i));
        }
    }
}
