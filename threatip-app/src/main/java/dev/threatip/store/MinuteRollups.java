package dev.threatip.store;

import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Per-minute request counts that let {@link EventStore#stats} read minutes instead of events:
 * {@code minute_requests(minute, n)} for every request and {@code flagged_minutes(ip_hi, ip_lo,
 * minute, n)} for the requests of every IP that has a profile (flagged now or once).
 *
 * <p>Structure and costs. Both tables are kept in the same transaction as the rows they count:
 * an events append aggregates its batch in Java (a batch spans a minute or two, so a handful of
 * rows) and merges it with one {@code INSERT … ON CONFLICT DO UPDATE} per table; retention deletes
 * whole minutes and recounts the one minute its cutoff splits. Which IPs have a profile is a set
 * in memory, loaded at open and changed only after the commit that created or deleted the
 * profiles: a hash lookup per appended event, where a join against {@code ip_profiles} would cost
 * a statement and a scan of the staged batch per append. The set and the tables are touched only
 * under the store's write lock.
 *
 * <p>Exactly once. An IP profiled for the first time has its minutes counted from the events
 * table in the transaction that creates its profile, under the write lock every append also
 * takes: an event committed before that transaction is in the backfill and not yet in the set, an
 * event appended after it finds the IP in the set — never both, never neither. (The ingest
 * pipeline's own first-time spans rely on its lock the same way; this one does not depend on the
 * caller.) A minute row therefore always equals {@code count(*)} of its events, which is what the
 * exactness test checks against the event scan.
 *
 * <p>Reading ({@link #count}): trend buckets start at {@code from} and are whole minutes wide, so
 * when {@code from} is on a minute every minute falls into one bucket; when it is not, the minutes
 * holding a bucket boundary (one per bucket) are split, and so is the minute holding {@code to}.
 * Whole minutes inside one bucket are read from the rollups; the split minutes are counted from
 * events (a predicate on {@code ts}, so still a scan of the time column, but the join with the
 * profiles and the grouping run on those minutes' events only).
 */
final class MinuteRollups {
    static final long MINUTE_US = 60_000_000L;

    private static final String MINUTE_STAGE = "temp.main.minute_upserts";
    private static final String FLAGGED_STAGE = "temp.main.flagged_minute_upserts";
    private static final String NEW_PROFILED_STAGE = "temp.main.new_profiled";
    private static final String FLAGGED_PROFILES =
            "(SELECT ip, ip_hi, ip_lo FROM ip_profiles WHERE verdict <> 'clean')";

    /** IPs with a profile; read and changed under the store's write lock only. */
    private final Set<IpAddress> profiled;

    private MinuteRollups(Set<IpAddress> profiled) {
        this.profiled = profiled;
    }

    /** Creates the connection-local staging tables and loads the profiled IPs (on the write connection). */
    static MinuteRollups open(Connection writer) throws SQLException {
        Set<IpAddress> profiled = new HashSet<>();
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TEMP TABLE IF NOT EXISTS minute_upserts (minute TIMESTAMP, n BIGINT)");
            st.execute("CREATE TEMP TABLE IF NOT EXISTS flagged_minute_upserts "
                    + "(ip_hi BIGINT, ip_lo BIGINT, minute TIMESTAMP, n BIGINT)");
            st.execute("CREATE TEMP TABLE IF NOT EXISTS new_profiled (ip_hi BIGINT, ip_lo BIGINT)");
            try (ResultSet rs = st.executeQuery("SELECT ip_hi, ip_lo FROM ip_profiles")) {
                while (rs.next()) {
                    profiled.add(new IpAddress(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        return new MinuteRollups(profiled);
    }

    /**
     * Counts an appended batch into the rollups; inside the append's transaction.
     *
     * @param times each event's stored time, epoch microseconds
     */
    void append(DuckDBConnection writer, List<AccessEvent> batch, long[] times) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Map<Long, long[]> perMinute = new HashMap<>();
        Map<FlaggedMinute, long[]> perFlagged = new HashMap<>();
        long runMinute = Long.MIN_VALUE;
        long[] run = null;
        for (int i = 0; i < batch.size(); i++) {
            long minute = Math.floorDiv(times[i], MINUTE_US);
            if (minute != runMinute) {
                // events arrive roughly in time order: one map lookup per run of a minute, not per event
                runMinute = minute;
                run = perMinute.computeIfAbsent(minute, m -> new long[1]);
            }
            run[0]++;
            IpAddress ip = batch.get(i).client();
            if (profiled.contains(ip)) {
                perFlagged.computeIfAbsent(new FlaggedMinute(ip.hi(), ip.lo(), minute), k -> new long[1])[0]++;
            }
        }
        try (Statement st = writer.createStatement()) {
            st.execute("DELETE FROM " + MINUTE_STAGE);
            try (DuckDBAppender a = writer.createAppender("temp", "main", "minute_upserts")) {
                for (Map.Entry<Long, long[]> e : perMinute.entrySet()) {
                    a.beginRow();
                    a.appendEpochMicros(e.getKey() * MINUTE_US);
                    a.append(e.getValue()[0]);
                    a.endRow();
                }
            }
            st.execute("INSERT INTO minute_requests SELECT minute, n FROM " + MINUTE_STAGE
                    + " ON CONFLICT (minute) DO UPDATE SET n = minute_requests.n + excluded.n");
            if (perFlagged.isEmpty()) {
                return;
            }
            st.execute("DELETE FROM " + FLAGGED_STAGE);
            try (DuckDBAppender a = writer.createAppender("temp", "main", "flagged_minute_upserts")) {
                for (Map.Entry<FlaggedMinute, long[]> e : perFlagged.entrySet()) {
                    FlaggedMinute k = e.getKey();
                    a.beginRow();
                    a.append(k.hi());
                    a.append(k.lo());
                    a.appendEpochMicros(k.minute() * MINUTE_US);
                    a.append(e.getValue()[0]);
                    a.endRow();
                }
            }
            st.execute("INSERT INTO flagged_minutes SELECT ip_hi, ip_lo, minute, n FROM " + FLAGGED_STAGE
                    + " ON CONFLICT (ip_hi, ip_lo, minute) DO UPDATE SET n = flagged_minutes.n + excluded.n");
        }
    }

    /**
     * Counts the stored minutes of the IPs among {@code ips} that had no profile yet; inside the
     * transaction that creates their profiles. Call {@link #addProfiled} with the result after
     * that transaction committed.
     */
    List<IpAddress> backfill(DuckDBConnection writer, Collection<IpAddress> ips) throws SQLException {
        List<IpAddress> fresh = new ArrayList<>();
        for (IpAddress ip : new LinkedHashSet<>(ips)) {
            if (!profiled.contains(ip)) {
                fresh.add(ip);
            }
        }
        if (fresh.isEmpty()) {
            return fresh;
        }
        try (Statement st = writer.createStatement()) {
            st.execute("DELETE FROM " + NEW_PROFILED_STAGE);
            try (DuckDBAppender a = writer.createAppender("temp", "main", "new_profiled")) {
                for (IpAddress ip : fresh) {
                    a.beginRow();
                    a.append(ip.hi());
                    a.append(ip.lo());
                    a.endRow();
                }
            }
            // DO UPDATE, not a plain insert: the events are the truth for these minutes
            st.execute("INSERT INTO flagged_minutes SELECT e.ip_hi, e.ip_lo, date_trunc('minute', e.ts) AS minute, "
                    + "count(*) FROM events e JOIN " + NEW_PROFILED_STAGE + " p ON p.ip_hi = e.ip_hi AND p.ip_lo = e.ip_lo "
                    + "GROUP BY ALL ON CONFLICT (ip_hi, ip_lo, minute) DO UPDATE SET n = excluded.n");
            st.execute("DELETE FROM " + NEW_PROFILED_STAGE);
        }
        return fresh;
    }

    /** After the commit of a {@link #backfill}: appends now count these IPs' requests. */
    void addProfiled(Collection<IpAddress> ips) {
        profiled.addAll(ips);
    }

    /**
     * Retention, inside its transaction and before the events and profiles are deleted: drops the
     * minutes of profiles last seen before the cutoff (returned, for {@link #removeProfiled} after
     * the commit) and the minutes before the cutoff.
     */
    List<IpAddress> deleteBefore(DuckDBConnection writer, long cutoffMicros) throws SQLException {
        List<IpAddress> dropped = new ArrayList<>();
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT ip_hi, ip_lo FROM ip_profiles WHERE last_seen < make_timestamp(?)")) {
            ps.setLong(1, cutoffMicros);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dropped.add(new IpAddress(rs.getLong(1), rs.getLong(2)));
                }
            }
        }
        long cutoffMinute = Math.floorDiv(cutoffMicros, MINUTE_US) * MINUTE_US;
        try (PreparedStatement byProfile = writer.prepareStatement("DELETE FROM flagged_minutes f USING ip_profiles p "
                + "WHERE p.ip_hi = f.ip_hi AND p.ip_lo = f.ip_lo AND p.last_seen < make_timestamp(?)");
             PreparedStatement minutes = writer.prepareStatement("DELETE FROM minute_requests WHERE minute < make_timestamp(?)");
             PreparedStatement flagged = writer.prepareStatement("DELETE FROM flagged_minutes WHERE minute < make_timestamp(?)")) {
            byProfile.setLong(1, cutoffMicros);
            byProfile.executeUpdate();
            minutes.setLong(1, cutoffMinute);
            minutes.executeUpdate();
            flagged.setLong(1, cutoffMinute);
            flagged.executeUpdate();
        }
        return dropped;
    }

    /**
     * Retention, inside its transaction after the events were deleted: recounts the minute the
     * cutoff splits (when it is not on a minute) from the events left in it.
     */
    void recountSplitMinute(DuckDBConnection writer, long cutoffMicros) throws SQLException {
        long minute = Math.floorDiv(cutoffMicros, MINUTE_US) * MINUTE_US;
        if (minute == cutoffMicros) {
            return;
        }
        try (PreparedStatement all = writer.prepareStatement("UPDATE minute_requests SET n = (SELECT count(*) FROM events "
                + "WHERE ts >= make_timestamp(?) AND ts < make_timestamp(?)) WHERE minute = make_timestamp(?)");
             PreparedStatement ips = writer.prepareStatement("UPDATE flagged_minutes SET n = coalesce(c.n, 0) "
                + "FROM (SELECT ip_hi, ip_lo, count(*) AS n FROM events WHERE ts >= make_timestamp(?) AND ts < make_timestamp(?) "
                + "GROUP BY ip_hi, ip_lo) c WHERE flagged_minutes.minute = make_timestamp(?) "
                + "AND c.ip_hi = flagged_minutes.ip_hi AND c.ip_lo = flagged_minutes.ip_lo");
             PreparedStatement gone = writer.prepareStatement("DELETE FROM flagged_minutes WHERE minute = make_timestamp(?) "
                + "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.ts >= make_timestamp(?) AND e.ts < make_timestamp(?) "
                + "AND e.ip_hi = flagged_minutes.ip_hi AND e.ip_lo = flagged_minutes.ip_lo)");
             Statement st = writer.createStatement()) {
            for (PreparedStatement ps : List.of(all, ips)) {
                ps.setLong(1, minute);
                ps.setLong(2, minute + MINUTE_US);
                ps.setLong(3, minute);
                ps.executeUpdate();
            }
            gone.setLong(1, minute);
            gone.setLong(2, minute);
            gone.setLong(3, minute + MINUTE_US);
            gone.executeUpdate();
            // the split minute may have lost all its events: keep only minutes with requests
            st.execute("DELETE FROM minute_requests WHERE n = 0");
        }
    }

    /** After the commit of a retention delete: these IPs have no profile any more. */
    void removeProfiled(Collection<IpAddress> ips) {
        profiled.removeAll(ips);
    }

    /**
     * Adds the requests of {@code [from, to)} per trend bucket, and the flagged ones, to the
     * arrays, and the flagged IPs seen to {@code seenFlagged}; {@code bucketMicros} must be a
     * whole number of minutes.
     *
     * @return the window's requests and flagged requests
     */
    static long[] count(Connection c, long from, long to, long bucketMicros, long[] bucketRequests,
                        long[] bucketFlagged, Set<String> seenFlagged) throws SQLException {
        if (bucketMicros % MINUTE_US != 0) {
            throw new IllegalArgumentException("bucket of " + bucketMicros + " µs is not a whole number of minutes");
        }
        long fromMinute = Math.floorDiv(from, MINUTE_US) * MINUTE_US;
        boolean split = fromMinute != from;
        long[] totals = new long[2];
        // whole minutes inside [from, to) and inside one bucket
        String minutes = " WHERE minute >= make_timestamp(?) AND minute <= make_timestamp(?)"
                + (split ? " AND (epoch_us(minute) - ?) % ? <> 0" : "");
        List<Long> minuteArgs = new ArrayList<>(List.of(from, bucketMicros, from, to - MINUTE_US));
        if (split) {
            minuteArgs.addAll(List.of(fromMinute, bucketMicros));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT (epoch_us(minute) - ?) // ? AS b, sum(n)::BIGINT "
                + "FROM minute_requests" + minutes + " GROUP BY b")) {
            bindLongs(ps, minuteArgs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    bucketRequests[(int) rs.getLong(1)] += n;
                    totals[0] += n;
                }
            }
        }
        // per bucket and per IP in one pass (grouping sets): grouped by (bucket, IP) it was
        // 116k rows for a day of 10M events, and moving them to Java cost most of the time
        try (PreparedStatement ps = c.prepareStatement("SELECT (epoch_us(m.minute) - ?) // ? AS b, p.ip, sum(m.n)::BIGINT, "
                + "grouping(b) FROM flagged_minutes m JOIN " + FLAGGED_PROFILES + " p ON p.ip_hi = m.ip_hi AND p.ip_lo = m.ip_lo"
                + minutes.replace("minute", "m.minute") + " GROUP BY GROUPING SETS ((b), (p.ip))")) {
            bindLongs(ps, minuteArgs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(4) == 0) {
                        long n = rs.getLong(3);
                        bucketFlagged[(int) rs.getLong(1)] += n;
                        totals[1] += n;
                    } else {
                        seenFlagged.add(rs.getString(2));
                    }
                }
            }
        }
        // the split minutes, from events: those holding a bucket boundary, and the one holding `to`
        long toMinute = Math.floorDiv(to, MINUTE_US) * MINUTE_US;
        List<String> parts = new ArrayList<>();
        List<Long> args = new ArrayList<>(List.of(from, bucketMicros, from, to));
        if (split) {
            parts.add("(epoch_us(e.ts) - ?) % ? < " + MINUTE_US);
            args.addAll(List.of(fromMinute, bucketMicros));
        }
        if (toMinute != to) {
            parts.add("e.ts >= make_timestamp(?)");
            args.add(toMinute);
        }
        if (parts.isEmpty()) {
            return totals;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT (epoch_us(e.ts) - ?) // ? AS b, p.ip IS NOT NULL AS flagged, "
                + "p.ip, count(*), grouping(b) FROM events e LEFT JOIN " + FLAGGED_PROFILES
                + " p ON p.ip_hi = e.ip_hi AND p.ip_lo = e.ip_lo "
                + "WHERE e.ts >= make_timestamp(?) AND e.ts < make_timestamp(?) AND (" + String.join(" OR ", parts)
                + ") GROUP BY GROUPING SETS ((b, flagged), (p.ip))")) {
            bindLongs(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(5) == 0) {
                        int b = (int) rs.getLong(1);
                        long n = rs.getLong(4);
                        bucketRequests[b] += n;
                        totals[0] += n;
                        if (rs.getBoolean(2)) {
                            bucketFlagged[b] += n;
                            totals[1] += n;
                        }
                    } else if (rs.getString(3) != null) {
                        seenFlagged.add(rs.getString(3));
                    }
                }
            }
        }
        return totals;
    }

    private static void bindLongs(PreparedStatement ps, List<Long> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setLong(i + 1, args.get(i));
        }
    }

    private record FlaggedMinute(long hi, long lo, long minute) {
    }
}
