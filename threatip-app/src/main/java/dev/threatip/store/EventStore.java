package dev.threatip.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.detect.Detection;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.log.AccessEvent;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The event store: one embedded DuckDB file, {@code DATA_DIR/threatip.duckdb}, holding access
 * events, detections and per-IP profiles, and answering the REST API's queries from them.
 *
 * <p>Structure and costs. DuckDB is a columnar, MVCC, single-process database: one
 * {@link DuckDBConnection} per store does every write, serialised by a lock, each batch in one
 * transaction through DuckDB's appender (columnar chunks, no per-row SQL). A method that writes
 * returns only after its transaction committed to the write-ahead log, so an acknowledged batch
 * survives a crash or kill of the process. Reads run on short-lived connections duplicated from
 * the same database instance: each sees a consistent committed snapshot and never waits for the
 * writer (nor the writer for it). The tables carry no secondary indexes — DuckDB's per-row-group
 * min/max zone maps prune time ranges, and an index would slow every append; lookups by IP scan
 * the IP column, which is what a columnar store does fast.
 *
 * <p>Event time is stored as given by the log line; an event without one is stored at the
 * store clock's now (its ingest time). All timestamps are UTC, microsecond precision.
 */
public final class EventStore implements AutoCloseable {
    /** The store's file name inside the data dir. */
    public static final String FILE_NAME = "threatip.duckdb";
    private static final int SPAN_CHUNK = 1000;
    /**
     * WAL size at which a commit checkpoints into the file. DuckDB's default, 16 MB, is about
     * 40,000 events here, and each checkpoint costs about a second (it recompresses the events
     * table's open row group and rewrites the profiles' index) inside whichever commit crosses
     * it, under the write lock: at sustained ingest that was most of the time. At 256 MB the same
     * data is checkpointed in a sixteenth as many, larger steps; acknowledged writes are durable
     * in the WAL either way, and a restart after a crash replays at most this much WAL.
     */
    static final String CHECKPOINT_THRESHOLD = "256MB";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TREND_BUCKETS_MAX = 120;
    private static final List<Duration> BUCKET_WIDTHS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(3), Duration.ofHours(6),
            Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));

    private final Path file;
    private final Clock clock;
    private final DuckDBConnection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final MinuteRollups rollups;
    private volatile boolean closed;

    private EventStore(Path file, Clock clock, DuckDBConnection writer, MinuteRollups rollups) {
        this.file = file;
        this.clock = clock;
        this.writer = writer;
        this.rollups = rollups;
    }

    /**
     * Opens {@code dataDir/threatip.duckdb}, creating the dir and the file when missing, and
     * migrates its schema to this build's version.
     *
     * @throws StoreException when the file cannot be opened, a migration fails, or the file's
     *                        schema is newer than this build knows (naming both versions)
     */
    public static EventStore open(Path dataDir, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException(file, "cannot create the data dir", e);
        }
        DuckDBConnection conn;
        try {
            conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new StoreException(file, "cannot open the store", e);
        }
        try {
            migrate(file, conn, clock);
        } catch (RuntimeException | SQLException e) {
            try {
                conn.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(file, "cannot migrate the schema", e);
        }
        MinuteRollups rollups;
        try (Statement st = conn.createStatement()) {
            st.execute("SET checkpoint_threshold = '" + CHECKPOINT_THRESHOLD + "'");
            st.execute(CREATE_STAGED_PROFILES);
            rollups = MinuteRollups.open(conn);
        } catch (SQLException e) {
            try {
                conn.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new StoreException(file, "cannot prepare the staging tables", e);
        }
        return new EventStore(file, clock, conn, rollups);
    }

    private static void migrate(Path file, Connection conn, Clock clock) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TIMESTAMP NOT NULL)");
            int version;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                rs.next();
                version = rs.getInt(1);
            }
            int known = Schema.currentVersion();
            if (version > known) {
                throw new StoreException(file, "schema version " + version
                        + " is newer than this build knows (" + known + "); use a newer threatip or another data dir");
            }
            for (int v = version; v < known; v++) {
                conn.setAutoCommit(false);
                try {
                    st.execute(Schema.MIGRATIONS.get(v));
                    try (PreparedStatement ps = conn.prepareStatement(
                            "INSERT INTO schema_version VALUES (?, make_timestamp(?))")) {
                        ps.setInt(1, v + 1);
                        ps.setLong(2, micros(clock.instant()));
                        ps.executeUpdate();
                    }
                    conn.commit();
                } catch (SQLException e) {
                    conn.rollback();
                    throw new StoreException(file, "migration to schema version " + (v + 1) + " failed", e);
                } finally {
                    conn.setAutoCommit(true);
                }
            }
        }
    }

    /** The store file. */
    public Path file() {
        return file;
    }

    /** The schema version of the open file (this build's version once open). */
    public int schemaVersion() {
        return read("read the schema version", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    // ---------------------------------------------------------------- writes

    /**
     * Appends a batch of events in one transaction; line numbers are unknown.
     *
     * @see #appendEvents(List, String, long[])
     */
    public void appendEvents(List<AccessEvent> batch, String source) {
        appendEvents(batch, source, null);
    }

    /**
     * Appends a batch of events in one transaction. When this returns the batch is committed:
     * a crash afterwards loses none of it; when it throws, none of it is stored.
     *
     * @param batch  the events
     * @param source the input's name, e.g. the log file's path
     * @param lines  each event's line number in the input, or null when unknown
     */
    public void appendEvents(List<AccessEvent> batch, String source, long[] lines) {
        appendEvents(batch, source, lines, List.of());
    }

    /**
     * Appends a batch of events and the gateway hits among them in one transaction: both are
     * committed when this returns, neither when it throws. A gateway hit is also an event (its
     * hit-log line), so it is in {@code batch} too.
     *
     * @param batch       the events
     * @param source      the input's name
     * @param lines       each event's line number in the input, or null when unknown
     * @param gatewayHits the decisions of {@code threatip gate} the batch's hit-log lines carried
     */
    public void appendEvents(List<AccessEvent> batch, String source, long[] lines, List<GatewayHit> gatewayHits) {
        if (lines != null && lines.length != batch.size()) {
            throw new IllegalArgumentException("lines has " + lines.length + " entries for " + batch.size() + " events");
        }
        if (batch.isEmpty() && gatewayHits.isEmpty()) {
            return;
        }
        long now = micros(clock.instant());
        write("append " + batch.size() + " events", () -> {
            if (!gatewayHits.isEmpty()) {
                GatewayHitTable.append(writer, gatewayHits, source, now);
            }
            long[] times = new long[batch.size()];
            try (DuckDBAppender a = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (int i = 0; i < batch.size(); i++) {
                    AccessEvent e = batch.get(i);
                    IpAddress ip = Objects.requireNonNull(e.client(), "event without a client address");
                    times[i] = e.time() == null ? now : micros(e.time());
                    a.beginRow();
                    a.appendEpochMicros(times[i]);
                    a.append(ip.toString());
                    a.append(ip.hi());
                    a.append(ip.lo());
                    text(a, e.method());
                    text(a, e.host());
                    text(a, e.path());
                    text(a, e.query());
                    if (e.status() < 0) {
                        a.appendNull();
                    } else {
                        a.append(e.status());
                    }
                    if (e.bytes() < 0) {
                        a.appendNull();
                    } else {
                        a.append(e.bytes());
                    }
                    text(a, e.userAgent());
                    text(a, e.referer());
                    text(a, e.raw());
                    text(a, source);
                    if (lines == null || lines[i] < 0) {
                        a.appendNull();
                    } else {
                        a.append(lines[i]);
                    }
                    a.endRow();
                }
            }
            rollups.append(writer, batch, times);
        });
    }

    /**
     * Appends detections in one transaction, stamped with the store clock's now. A detection
     * without an address (an endpoint or site detection) is stored with a null ip.
     */
    public void appendDetections(List<Detection> detections) {
        if (detections.isEmpty()) {
            return;
        }
        long now = micros(clock.instant());
        write("append " + detections.size() + " detections", () -> {
            try (DuckDBAppender a = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "detections")) {
                for (Detection d : detections) {
                    a.beginRow();
                    a.appendEpochMicros(now);
                    if (d.ip() == null) {
                        a.appendNull();
                        a.appendNull();
                        a.appendNull();
                    } else {
                        a.append(d.ip().toString());
                        a.append(d.ip().hi());
                        a.append(d.ip().lo());
                    }
                    a.append(d.ruleId());
                    a.append(d.category().wireName());
                    a.append(d.confidence().wireName());
                    a.append(d.groupKey());
                    a.append(d.count());
                    a.append(d.window().toSeconds());
                    millisOrNull(a, d.firstMillis());
                    millisOrNull(a, d.lastMillis());
                    a.appendNull(); // action: the gateway records it
                    a.endRow();
                }
            }
        });
    }

    /** Merges one IP's new aggregates into its profile; see {@link #upsertProfiles(List)}. */
    public void upsertProfile(ProfileUpdate update) {
        upsertProfiles(List.of(update));
    }

    /**
     * Merges new aggregates into the IPs' profiles in one transaction: a missing profile is
     * created; an existing one takes the new verdict, adds the hits and widens first/last seen.
     * An IP listed twice is merged twice, in list order.
     *
     * <p>The updates are appended to a connection-local temporary table and merged with one
     * {@code INSERT … SELECT … ON CONFLICT} per round of distinct IPs: a statement per profile
     * costs milliseconds each on DuckDB's primary-key index, which made a flush of a few thousand
     * profiles take seconds while holding the write lock.
     */
    public void upsertProfiles(List<ProfileUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        long now = micros(clock.instant());
        // DuckDB updates a row at most once per statement: a repeated IP goes into a later round
        List<List<ProfileUpdate>> rounds = new ArrayList<>();
        Map<IpAddress, Integer> seen = new HashMap<>();
        for (ProfileUpdate u : updates) {
            int round = seen.merge(u.ip(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(u);
        }
        List<IpAddress> fresh = new ArrayList<>();
        // held across the commit so that no append runs between it and the profiled set's update
        writeLock.lock();
        try {
            write("upsert " + updates.size() + " profiles", () -> {
                fresh.clear();
                try (Statement st = writer.createStatement()) {
                    for (List<ProfileUpdate> round : rounds) {
                        st.execute("DELETE FROM " + STAGED_PROFILES);
                        stageProfiles(round, now);
                        st.execute(MERGE_STAGED_PROFILES);
                    }
                    st.execute("DELETE FROM " + STAGED_PROFILES);
                }
                fresh.addAll(rollups.backfill(writer, seen.keySet()));
            });
            rollups.addProfiled(fresh);
        } finally {
            writeLock.unlock();
        }
    }

    /** The connection-local table profile updates are staged in; not part of the file's schema. */
    private static final String STAGED_PROFILES = "temp.main.profile_upserts";
    private static final String PROFILE_UPSERT_COLUMNS = "ip, ip_hi, ip_lo, verdict, level, level_rank, category_keys, "
            + "categories, hits, first_seen, last_seen, updated, country, city, lat, lon, asn, as_org";
    private static final String CREATE_STAGED_PROFILES = "CREATE TEMP TABLE IF NOT EXISTS profile_upserts ("
            + "ip VARCHAR, ip_hi BIGINT, ip_lo BIGINT, verdict VARCHAR, level VARCHAR, level_rank INTEGER, "
            + "category_keys VARCHAR, categories VARCHAR, hits BIGINT, first_seen TIMESTAMP, last_seen TIMESTAMP, "
            + "updated TIMESTAMP, country VARCHAR, city VARCHAR, lat DOUBLE, lon DOUBLE, asn BIGINT, as_org VARCHAR)";
    private static final String MERGE_STAGED_PROFILES = "INSERT INTO ip_profiles (" + PROFILE_UPSERT_COLUMNS + ") "
            + "SELECT " + PROFILE_UPSERT_COLUMNS + " FROM " + STAGED_PROFILES + """
             ON CONFLICT (ip) DO UPDATE SET
                verdict = excluded.verdict, level = excluded.level, level_rank = excluded.level_rank,
                category_keys = excluded.category_keys, categories = excluded.categories,
                hits = ip_profiles.hits + excluded.hits,
                first_seen = least(ip_profiles.first_seen, excluded.first_seen),
                last_seen = greatest(ip_profiles.last_seen, excluded.last_seen),
                updated = excluded.updated,
                country = coalesce(excluded.country, ip_profiles.country),
                city = coalesce(excluded.city, ip_profiles.city),
                lat = coalesce(excluded.lat, ip_profiles.lat),
                lon = coalesce(excluded.lon, ip_profiles.lon),
                asn = coalesce(excluded.asn, ip_profiles.asn),
                as_org = coalesce(excluded.as_org, ip_profiles.as_org)
            """;

    private void stageProfiles(List<ProfileUpdate> updates, long now) throws SQLException {
        try (DuckDBAppender a = writer.createAppender("temp", "main", "profile_upserts")) {
            for (ProfileUpdate u : updates) {
                Verdict v = u.verdict();
                a.beginRow();
                a.append(u.ip().toString());
                a.append(u.ip().hi());
                a.append(u.ip().lo());
                a.append(v.kind().wireName());
                text(a, v.level() == null ? null : v.level().wireName());
                a.append(v.level() == null ? 0 : v.level().ordinal() + 1);
                a.append(categoryKeys(v.categories()));
                a.append(categoriesJson(v.categories()));
                a.append(u.hits());
                a.appendEpochMicros(micros(u.firstSeen()));
                a.appendEpochMicros(micros(u.lastSeen()));
                a.appendEpochMicros(now);
                Geo g = u.geo();
                text(a, g == null ? null : g.country());
                text(a, g == null ? null : g.city());
                doubleOrNull(a, g == null ? null : g.lat());
                doubleOrNull(a, g == null ? null : g.lon());
                Asn as = u.asn();
                if (as == null || as.number() == null) {
                    a.appendNull();
                } else {
                    a.append(as.number().longValue());
                }
                text(a, as == null ? null : as.org());
                a.endRow();
            }
        }
    }

    private static void doubleOrNull(DuckDBAppender a, Double d) throws SQLException {
        if (d == null) {
            a.appendNull();
        } else {
            a.append(d.doubleValue());
        }
    }

    /**
     * Retention: deletes events, detections and gateway hits older than {@code cutoff} and profiles last seen
     * before it, in one transaction.
     *
     * @return the number of events deleted
     */
    public long deleteOlderThan(Instant cutoff) {
        long c = micros(cutoff);
        long[] deleted = new long[1];
        List<IpAddress> dropped = new ArrayList<>();
        // held across the commit so that no append runs between it and the profiled set's update
        writeLock.lock();
        try {
            write("delete data older than " + cutoff, () -> {
                dropped.clear();
                dropped.addAll(rollups.deleteBefore(writer, c));
                deleteRowsOlderThan(c, deleted);
                rollups.recountSplitMinute(writer, c);
            });
            rollups.removeProfiled(dropped);
        } finally {
            writeLock.unlock();
        }
        return deleted[0];
    }

    private void deleteRowsOlderThan(long c, long[] deleted) throws SQLException {
        try (PreparedStatement ev = writer.prepareStatement("DELETE FROM events WHERE ts < make_timestamp(?)");
             PreparedStatement det = writer.prepareStatement("DELETE FROM detections WHERE ts < make_timestamp(?)");
             PreparedStatement gate = writer.prepareStatement("DELETE FROM gateway_hits WHERE ts < make_timestamp(?)");
             PreparedStatement pro = writer.prepareStatement("DELETE FROM ip_profiles WHERE last_seen < make_timestamp(?)")) {
            ev.setLong(1, c);
            deleted[0] = ev.executeUpdate();
            det.setLong(1, c);
            det.executeUpdate();
            gate.setLong(1, c);
            gate.executeUpdate();
            pro.setLong(1, c);
            pro.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- queries

    /** How many events are stored. */
    public long countEvents() {
        return read("count events", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The requests counted into {@code ip}'s profile, 0 when it has none. */
    public long profileHits(IpAddress ip) {
        return read("read the hits of " + ip, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hits FROM ip_profiles WHERE ip = ?")) {
                ps.setString(1, ip.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** How many detections are stored. */
    public long countDetections() {
        return read("count detections", c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM detections")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * The overview of {@code [from, to)}: requests, flagged requests and IPs, distributions over
     * the flagged IPs, and a trend whose bucket width is the smallest of 1m, 5m, 15m, 1h, 3h, 6h,
     * 12h, 1d, 7d giving at most {@value #TREND_BUCKETS_MAX} buckets.
     */
    public Stats stats(Instant from, Instant to) {
        return stats(from, to, true);
    }

    /**
     * {@link #stats} from the events alone (one scan of the window's events joined with the
     * flagged profiles), without the minute rollups: the reference the rollups must equal.
     */
    Stats statsByEventScan(Instant from, Instant to) {
        return stats(from, to, false);
    }

    private Stats stats(Instant from, Instant to, boolean fromRollups) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to " + to + " must be after from " + from);
        }
        Duration span = Duration.between(from, to);
        Duration bucket = bucketWidth(span);
        long f = micros(from);
        long t = micros(to);
        long w = bucket.toNanos() / 1000;
        return read("compute stats", c -> {
            int buckets = bucketCount(span, bucket);
            long[] bucketRequests = new long[buckets];
            long[] bucketFlagged = new long[buckets];
            Set<String> seenFlagged = new HashSet<>();
            long[] totals = fromRollups && w % MinuteRollups.MINUTE_US == 0
                    ? MinuteRollups.count(c, f, t, w, bucketRequests, bucketFlagged, seenFlagged)
                    : scanCounts(c, f, t, w, bucketRequests, bucketFlagged, seenFlagged);
            long requests = totals[0];
            long flaggedRequests = totals[1];
            List<TrendPoint> trend = new ArrayList<>(buckets);
            for (int i = 0; i < buckets; i++) {
                trend.add(new TrendPoint(from.plus(bucket.multipliedBy(i)), bucketRequests[i], bucketFlagged[i]));
            }
            long flaggedIps = 0;
            Map<String, Long> byLevel = new TreeMap<>();
            Map<String, Long> byCategory = new TreeMap<>();
            Map<String, Long> byConfidence = new TreeMap<>();
            Map<String, Long> byCountry = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ip, level, category_keys, country FROM ip_profiles WHERE verdict <> 'clean'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!seenFlagged.contains(rs.getString(1))) {
                        continue;
                    }
                    flaggedIps++;
                    byLevel.merge(rs.getString(2), 1L, Long::sum);
                    String country = rs.getString(4);
                    byCountry.merge(country == null ? Stats.UNKNOWN_COUNTRY : country, 1L, Long::sum);
                    List<String> confidences = new ArrayList<>();
                    for (String key : rs.getString(3).split(",")) {
                        if (key.isEmpty()) {
                            continue;
                        }
                        int colon = key.indexOf(':');
                        byCategory.merge(key.substring(0, colon), 1L, Long::sum);
                        String conf = key.substring(colon + 1);
                        if (!confidences.contains(conf)) {
                            confidences.add(conf);
                            byConfidence.merge(conf, 1L, Long::sum);
                        }
                    }
                }
            }
            Map<String, Long> byGatewayAction = new TreeMap<>();
            Map<String, Long> gatewayNotEnforced = new TreeMap<>();
            GatewayHitTable.actionCounts(c, f, t, byGatewayAction, gatewayNotEnforced);
            return new Stats(from, to, requests, flaggedRequests, flaggedIps, byCategory, byConfidence, byLevel,
                    byCountry, byGatewayAction, gatewayNotEnforced, bucket, trend);
        });
    }

    /** Counts {@code [from, to)} per bucket from the events: one pass, per (bucket, flagged address). */
    private static long[] scanCounts(Connection c, long f, long t, long w, long[] bucketRequests, long[] bucketFlagged,
                                     Set<String> seenFlagged) throws SQLException {
        long[] totals = new long[2];
        // counted per (bucket, flagged address), which is few rows (buckets x flagged clients
        // active), giving the trend and the flagged set at once
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT (epoch_us(e.ts) - ?) // ? AS b, p.ip, count(*)
                FROM events e
                LEFT JOIN (SELECT ip, ip_hi, ip_lo FROM ip_profiles WHERE verdict <> 'clean') p
                    ON p.ip_hi = e.ip_hi AND p.ip_lo = e.ip_lo
                WHERE e.ts >= make_timestamp(?) AND e.ts < make_timestamp(?)
                GROUP BY b, p.ip
                """)) {
            ps.setLong(1, f);
            ps.setLong(2, w);
            ps.setLong(3, f);
            ps.setLong(4, t);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int b = (int) rs.getLong(1);
                    String ip = rs.getString(2);
                    long n = rs.getLong(3);
                    bucketRequests[b] += n;
                    totals[0] += n;
                    if (ip != null) {
                        bucketFlagged[b] += n;
                        totals[1] += n;
                        seenFlagged.add(ip);
                    }
                }
            }
        }
        return totals;
    }

    /**
     * Stored profiles matching the filter in the filter's order; ties go to more hits, then to
     * address order.
     */
    public Page<IpSummary> ips(IpFilter filter) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<String> args = new ArrayList<>();
        if (filter.category() != null || filter.confidence() != null) {
            where.append(" AND category_keys LIKE ?");
            args.add("%," + (filter.category() == null ? "%" : filter.category().wireName()) + ":"
                    + (filter.confidence() == null ? "%" : filter.confidence().wireName()) + ",%");
        }
        if (filter.level() != null) {
            where.append(" AND level = ?");
            args.add(filter.level().wireName());
        }
        if (filter.q() != null) {
            where.append(" AND starts_with(ip, ?)");
            args.add(filter.q().toLowerCase(Locale.ROOT));
        }
        return read("list IPs", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ip_profiles" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<IpSummary> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(PROFILE_COLUMNS + where
                    + " ORDER BY " + orderBy(filter) + " LIMIT " + filter.limit() + " OFFSET " + filter.offset())) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(summary(rs));
                    }
                }
            }
            return new Page<>(total, items);
        });
    }

    private static String orderBy(IpFilter filter) {
        String dir = filter.ascending() ? " ASC" : " DESC";
        String ties = "hits DESC, ip_hi, ip_lo";
        return switch (filter.sort()) {
            case LEVEL -> "level_rank" + dir + ", " + ties;
            case HITS -> "hits" + dir + ", ip_hi, ip_lo";
            case LAST_SEEN -> "last_seen" + dir + ", " + ties;
            case IP -> "ip_hi" + dir + ", ip_lo" + dir;
        };
    }

    private static final String PROFILE_COLUMNS = "SELECT ip, verdict, level, categories, hits, epoch_us(first_seen), "
            + "epoch_us(last_seen), country, city, lat, lon, asn, as_org FROM ip_profiles";

    /**
     * The profile of one IP with aggregates over its stored events; empty when the store knows
     * neither a profile nor an event of it. An IP with events but no profile is clean.
     */
    public Optional<IpProfile> profile(IpAddress ip) {
        String key = ip.toString();
        return read("read the profile of " + key, c -> {
            IpSummary stored = null;
            try (PreparedStatement ps = c.prepareStatement(PROFILE_COLUMNS + " WHERE ip = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = summary(rs);
                    }
                }
            }
            // the aggregates below each scan the events table, filtered on the address halves: two
            // BIGINT compares per row instead of a string compare (10M rows: ~200 ms down to a fraction)
            String ipEvents = "(SELECT ts, path, status, user_agent, raw FROM events WHERE ip_hi = " + ip.hi()
                    + " AND ip_lo = " + ip.lo() + ") ip_events";
            long events;
            Instant first;
            Instant last;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*), epoch_us(min(ts)), epoch_us(max(ts)) FROM " + ipEvents)) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    events = rs.getLong(1);
                    first = events == 0 ? null : instant(rs.getLong(2));
                    last = events == 0 ? null : instant(rs.getLong(3));
                }
            }
            if (stored == null && events == 0) {
                return Optional.empty();
            }
            IpSummary summary = stored != null ? stored
                    : new IpSummary(ip, Verdict.Kind.CLEAN, null, List.of(), events, first, last);
            List<PathCount> topPaths = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, count(*) AS n FROM " + ipEvents
                    + " WHERE path IS NOT NULL GROUP BY path ORDER BY n DESC, path LIMIT 10")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        topPaths.add(new PathCount(rs.getString(1), rs.getLong(2)));
                    }
                }
            }
            Map<Integer, Long> statuses = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM " + ipEvents
                    + " WHERE status IS NOT NULL GROUP BY status ORDER BY status")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        statuses.put(rs.getInt(1), rs.getLong(2));
                    }
                }
            }
            List<String> userAgents = strings(c, "SELECT user_agent FROM " + ipEvents + " WHERE user_agent IS NOT NULL "
                    + "GROUP BY user_agent ORDER BY count(*) DESC, user_agent LIMIT 10");
            List<String> samples = strings(c, "SELECT raw FROM " + ipEvents + " WHERE raw IS NOT NULL "
                    + "ORDER BY ts DESC LIMIT 5");
            return Optional.of(new IpProfile(summary, events, topPaths, statuses, userAgents, samples,
                    GatewayHitTable.activity(c, ip)));
        });
    }

    /**
     * The stored events of one IP, latest first.
     *
     * @param limit  page size, 1 to {@value IpFilter#MAX_LIMIT}
     * @param offset events to skip, not negative
     */
    public Page<StoredEvent> logs(IpAddress ip, int limit, int offset) {
        if (limit < 1 || limit > IpFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + IpFilter.MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        String key = ip.toString();
        return read("read the logs of " + key, c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM events WHERE ip_hi = ? AND ip_lo = ?")) {
                ps.setLong(1, ip.hi());
                ps.setLong(2, ip.lo());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<StoredEvent> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT epoch_us(ts), ip_hi, ip_lo, method, host, path, query, "
                    + "status, bytes, user_agent, referer, raw, source, line FROM events WHERE ip_hi = ? AND ip_lo = ? "
                    + "ORDER BY ts DESC, line DESC LIMIT " + limit + " OFFSET " + offset)) {
                ps.setLong(1, ip.hi());
                ps.setLong(2, ip.lo());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int status = rs.getInt(8);
                        int statusValue = rs.wasNull() ? -1 : status;
                        long bytes = rs.getLong(9);
                        long bytesValue = rs.wasNull() ? -1 : bytes;
                        long line = rs.getLong(14);
                        long lineValue = rs.wasNull() ? -1 : line;
                        AccessEvent e = new AccessEvent(instant(rs.getLong(1)), new IpAddress(rs.getLong(2), rs.getLong(3)),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), statusValue, bytesValue,
                                rs.getString(10), rs.getString(11), rs.getString(12));
                        items.add(new StoredEvent(e, rs.getString(13), lineValue));
                    }
                }
            }
            return new Page<>(total, items);
        });
    }

    /**
     * The stored events of each address, as count and event-time span; addresses without
     * events are absent from the answer. One scan of the events table per 1,000 addresses.
     */
    public Map<IpAddress, EventSpan> eventSpans(Collection<IpAddress> ips) {
        List<String> keys = ips.stream().map(IpAddress::toString).distinct().toList();
        Map<IpAddress, EventSpan> out = new HashMap<>();
        for (int from = 0; from < keys.size(); from += SPAN_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + SPAN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            read("count the events of " + chunk.size() + " addresses", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT ip, count(*), epoch_us(min(ts)), epoch_us(max(ts)) "
                        + "FROM events WHERE ip IN (" + marks + ") GROUP BY ip")) {
                    bind(ps, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(IpAddress.parse(rs.getString(1)),
                                    new EventSpan(rs.getLong(2), instant(rs.getLong(3)), instant(rs.getLong(4))));
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    /**
     * Rule and reputation hits in the filter's window: a trend over all matching hits and one page
     * of them, latest first.
     *
     * <p>Behaviour hits are the stored detections whose time (the event time of their last
     * matching request, else when they were stored) falls in the window. Intel hits are computed,
     * not stored: for each profile category whose source includes intel, the IP's requests in the
     * window, one hit per IP and category with the feeds that list it. A request of an IP listed
     * in two categories makes two intel hits but counts once in the trend. Gateway hits are the
     * stored requests {@code threatip gate} decided, one hit each.
     */
    public Hits hits(HitFilter filter) {
        Duration span = Duration.between(filter.from(), filter.to());
        Duration bucket = bucketWidth(span);
        long f = micros(filter.from());
        long t = micros(filter.to());
        long w = bucket.toNanos() / 1000;
        boolean behavior = filter.source() == null || filter.source().equals(Hit.BEHAVIOR);
        boolean intel = (filter.source() == null || filter.source().equals(Hit.INTEL))
                && filter.rule() == null && filter.action() == null;
        boolean gateway = filter.source() == null || filter.source().equals(Hit.GATEWAY);

        StringBuilder detWhere = new StringBuilder(
                " WHERE coalesce(last_seen, ts) >= make_timestamp(?) AND coalesce(last_seen, ts) < make_timestamp(?)");
        List<Object> detArgs = new ArrayList<>(List.of(f, t));
        StringBuilder gateWhere = new StringBuilder(" WHERE ts >= make_timestamp(?) AND ts < make_timestamp(?)");
        List<Object> gateArgs = new ArrayList<>(List.of(f, t));
        if (filter.rule() != null) {
            detWhere.append(" AND rule = ?");
            detArgs.add(filter.rule());
            gateWhere.append(" AND rule = ?");
            gateArgs.add(filter.rule());
        }
        if (filter.category() != null) {
            detWhere.append(" AND category = ?");
            detArgs.add(filter.category().wireName());
            gateWhere.append(" AND category = ?");
            gateArgs.add(filter.category().wireName());
        }
        if (filter.confidence() != null) {
            detWhere.append(" AND confidence = ?");
            detArgs.add(filter.confidence().wireName());
            gateWhere.append(" AND confidence = ?");
            gateArgs.add(filter.confidence().wireName());
        }
        if (filter.action() != null) {
            detWhere.append(" AND action = ?");
            detArgs.add(filter.action());
            gateWhere.append(" AND action = ?");
            gateArgs.add(filter.action());
        }
        StringBuilder intelWhere = new StringBuilder(" WHERE c.source LIKE 'intel%'");
        List<Object> intelArgs = new ArrayList<>();
        if (filter.category() != null) {
            intelWhere.append(" AND c.category = ?");
            intelArgs.add(filter.category().wireName());
        }
        if (filter.confidence() != null) {
            intelWhere.append(" AND c.confidence = ?");
            intelArgs.add(filter.confidence().wireName());
        }
        // the intel categories of every profile, one row per IP and category
        String intelCte = "intel AS (SELECT ip, c.category AS category, c.confidence AS confidence, c.feeds AS feeds "
                + "FROM (SELECT ip, unnest(from_json(categories, '" + CATEGORIES_JSON_TYPE + "')) AS c FROM ip_profiles)"
                + intelWhere + ")";
        String intelEvents = "FROM events WHERE ts >= make_timestamp(?) AND ts < make_timestamp(?) "
                + "AND ip IN (SELECT ip FROM intel)";
        // detections and intel hits have no gateway columns
        String noGateway = ", NULL::VARCHAR AS request_id, NULL::INTEGER AS status, NULL::VARCHAR AS method, "
                + "NULL::VARCHAR AS host, NULL::VARCHAR AS path, NULL::BOOLEAN AS enforced";

        List<String> branches = new ArrayList<>();
        List<Object> branchArgs = new ArrayList<>();
        if (behavior) {
            branches.add("SELECT coalesce(last_seen, ts) AS t, ip, rule, category, confidence, group_key, count, "
                    + "window_seconds, first_seen, last_seen, 'behavior' AS source, []::VARCHAR[] AS feeds, action"
                    + noGateway + " FROM detections" + detWhere);
            branchArgs.addAll(detArgs);
        }
        if (intel) {
            branches.add("SELECT ev.l AS t, i.ip AS ip, NULL::VARCHAR AS rule, i.category AS category, "
                    + "i.confidence AS confidence, i.ip AS group_key, ev.n AS count, NULL::BIGINT AS window_seconds, "
                    + "ev.f AS first_seen, ev.l AS last_seen, 'intel' AS source, i.feeds AS feeds, NULL::VARCHAR AS action"
                    + noGateway + " FROM intel i JOIN (SELECT ip, count(*) AS n, min(ts) AS f, max(ts) AS l "
                    + intelEvents + " GROUP BY ip) ev ON ev.ip = i.ip");
            branchArgs.addAll(List.of(f, t));
        }
        if (gateway) {
            branches.add("SELECT ts AS t, ip, rule, category, confidence, ip AS group_key, 1::BIGINT AS count, "
                    + "NULL::BIGINT AS window_seconds, ts AS first_seen, ts AS last_seen, 'gateway' AS source, "
                    + "[]::VARCHAR[] AS feeds, action, request_id, status, method, host, path, enforced FROM "
                    + GatewayHitTable.TABLE + gateWhere);
            branchArgs.addAll(gateArgs);
        }
        return read("list hits", c -> {
            int buckets = bucketCount(span, bucket);
            long[] behaviorTrend = new long[buckets];
            long[] intelTrend = new long[buckets];
            long[] gatewayTrend = new long[buckets];
            if (behavior) {
                List<Object> args = new ArrayList<>(List.of(f, w));
                args.addAll(detArgs);
                bucketCounts(c, "SELECT (epoch_us(coalesce(last_seen, ts)) - ?) // ? AS b, count(*) FROM detections"
                        + detWhere + " GROUP BY b", args, behaviorTrend);
            }
            if (intel) {
                List<Object> args = new ArrayList<>(intelArgs);
                args.addAll(List.of(f, w, f, t));
                bucketCounts(c, "WITH " + intelCte + " SELECT (epoch_us(ts) - ?) // ? AS b, count(*) " + intelEvents
                        + " GROUP BY b", args, intelTrend);
            }
            if (gateway) {
                List<Object> args = new ArrayList<>(List.of(f, w));
                args.addAll(gateArgs);
                bucketCounts(c, "SELECT (epoch_us(ts) - ?) // ? AS b, count(*) FROM " + GatewayHitTable.TABLE + gateWhere
                        + " GROUP BY b", args, gatewayTrend);
            }
            List<HitTrendPoint> trend = new ArrayList<>(buckets);
            for (int i = 0; i < buckets; i++) {
                trend.add(new HitTrendPoint(filter.from().plus(bucket.multipliedBy(i)),
                        behaviorTrend[i] + intelTrend[i] + gatewayTrend[i], behaviorTrend[i], intelTrend[i], gatewayTrend[i]));
            }
            if (branches.isEmpty()) {
                return new Hits(filter.from(), filter.to(), bucket, trend, new Page<>(0, List.of()));
            }
            String with = intel ? "WITH " + intelCte + ", " : "WITH ";
            List<Object> args = new ArrayList<>(intel ? intelArgs : List.of());
            args.addAll(branchArgs);
            String hits = with + "hits AS (" + String.join(" UNION ALL ", branches) + ") ";
            long total;
            try (PreparedStatement ps = c.prepareStatement(hits + "SELECT count(*) FROM hits")) {
                bindObjects(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Hit> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(hits + "SELECT epoch_us(t), ip, rule, category, confidence, "
                    + "group_key, count, window_seconds, epoch_us(first_seen), epoch_us(last_seen), source, feeds, action, "
                    + "request_id, status, method, host, path, enforced "
                    + "FROM hits ORDER BY t DESC, source, ip, rule, category, request_id LIMIT " + filter.limit()
                    + " OFFSET " + filter.offset())) {
                bindObjects(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(hit(rs));
                    }
                }
            }
            return new Hits(filter.from(), filter.to(), bucket, trend, new Page<>(total, items));
        });
    }

    /** The DuckDB type {@code from_json} reads the stored categories JSON with. */
    private static final String CATEGORIES_JSON_TYPE =
            "[{\"category\":\"VARCHAR\",\"confidence\":\"VARCHAR\",\"source\":\"VARCHAR\",\"feeds\":[\"VARCHAR\"]}]";

    private static Hit hit(ResultSet rs) throws SQLException {
        String ip = rs.getString(2);
        Long window = (Long) rs.getObject(8);
        Long first = (Long) rs.getObject(9);
        Long last = (Long) rs.getObject(10);
        List<String> feeds = new ArrayList<>();
        java.sql.Array array = rs.getArray(12);
        if (array != null) {
            for (Object o : (Object[]) array.getArray()) {
                feeds.add((String) o);
            }
        }
        String category = rs.getString(4);
        String confidence = rs.getString(5);
        String source = rs.getString(11);
        String action = rs.getString(13);
        GatewayHit gateway = null;
        if (Hit.GATEWAY.equals(source)) {
            int status = rs.getInt(15);
            int statusValue = rs.wasNull() ? -1 : status;
            gateway = new GatewayHit(instant(rs.getLong(1)), IpAddress.parse(ip), rs.getString(3),
                    category == null ? null : Category.fromWire(category),
                    confidence == null ? null : Confidence.fromWire(confidence), Action.fromWire(action),
                    rs.getBoolean(19), rs.getString(14), statusValue, rs.getString(16), rs.getString(17), rs.getString(18));
        }
        return new Hit(instant(rs.getLong(1)), ip == null ? null : IpAddress.parse(ip), rs.getString(3),
                category == null ? null : Category.fromWire(category),
                confidence == null ? null : Confidence.fromWire(confidence), rs.getString(6), rs.getLong(7),
                window, first == null ? null : instant(first), last == null ? null : instant(last), source,
                feeds, action, gateway);
    }

    private static void bucketCounts(Connection c, String sql, List<Object> args, long[] into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindObjects(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into[(int) rs.getLong(1)] += rs.getLong(2);
                }
            }
        }
    }

    /** The smallest of 1m, 5m, … 7d giving fewer than {@value #TREND_BUCKETS_MAX} buckets over {@code span}. */
    private static Duration bucketWidth(Duration span) {
        return BUCKET_WIDTHS.stream()
                .filter(w -> span.toMillis() / w.toMillis() < TREND_BUCKETS_MAX)
                .findFirst().orElse(BUCKET_WIDTHS.get(BUCKET_WIDTHS.size() - 1));
    }

    private static int bucketCount(Duration span, Duration bucket) {
        return (int) ((span.toMillis() + bucket.toMillis() - 1) / bucket.toMillis());
    }

    /** Closes the store; acknowledged writes are already durable, closing also checkpoints them into the file. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            writer.close();
        } catch (SQLException e) {
            throw new StoreException(file, "cannot close the store", e);
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * The write connection, for the store's sibling tables (decisions, alert outbox) inside
     * {@link #write} only: it is the one connection every write goes through, under the write lock.
     */
    DuckDBConnection writeConnection() {
        return writer;
    }

    /** The store's clock. */
    Clock clock() {
        return clock;
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    interface SqlRead<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on the write connection. The transaction is begun with
     * an explicit statement: DuckDB's JDBC driver begins one lazily on the first statement after
     * {@code setAutoCommit(false)}, and an appender is not a statement, so without it the
     * appender's rows would commit on their own and a failed batch would be half stored.
     */
    void write(String what, SqlWork work) {
        writeLock.lock();
        try {
            ensureOpen();
            try (Statement tx = writer.createStatement()) {
                tx.execute("BEGIN TRANSACTION");
                try {
                    work.run();
                    tx.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    try {
                        tx.execute("ROLLBACK");
                    } catch (SQLException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException(file, "cannot " + what, e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    <T> T read(String what, SqlRead<T> work) {
        Connection c;
        writeLock.lock();
        try {
            ensureOpen();
            c = writer.duplicate();
        } catch (SQLException e) {
            throw new StoreException(file, "cannot " + what, e);
        } finally {
            writeLock.unlock();
        }
        try (c) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException(file, "cannot " + what, e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the store " + file + " is closed");
        }
    }

    private static void bind(PreparedStatement ps, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setString(i + 1, args.get(i));
        }
    }

    private static void bindObjects(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private IpSummary summary(ResultSet rs) throws SQLException {
        String level = rs.getString(3);
        String country = rs.getString(8);
        String city = rs.getString(9);
        Double lat = (Double) rs.getObject(10);
        Double lon = (Double) rs.getObject(11);
        Geo geo = country == null && city == null && lat == null && lon == null ? null : new Geo(country, city, lat, lon);
        Long asNumber = (Long) rs.getObject(12);
        String asOrg = rs.getString(13);
        Asn asn = asNumber == null && asOrg == null ? null : new Asn(asNumber, asOrg);
        return new IpSummary(IpAddress.parse(rs.getString(1)), Verdict.Kind.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                level == null ? null : ThreatLevel.fromWire(level), parseCategories(rs.getString(4)), rs.getLong(5),
                instant(rs.getLong(6)), instant(rs.getLong(7)), geo, asn);
    }

    private static void text(DuckDBAppender a, String s) throws SQLException {
        if (s == null) {
            a.appendNull();
        } else {
            a.append(s);
        }
    }

    private static void millisOrNull(DuckDBAppender a, long millis) throws SQLException {
        if (millis < 0) {
            a.appendNull();
        } else {
            a.appendEpochMicros(Math.multiplyExact(millis, 1000L));
        }
    }

    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    /** {@code ,scanner:high,web_attack:moderate,}: what the category/confidence filters match with LIKE. */
    private static String categoryKeys(List<CategoryVerdict> categories) {
        StringBuilder sb = new StringBuilder(",");
        for (CategoryVerdict c : categories) {
            sb.append(c.category().wireName()).append(':').append(c.confidence().wireName()).append(',');
        }
        return sb.toString();
    }

    private record CategoryJson(String category, String confidence, String source, List<String> rules,
                                List<String> feeds) {
    }

    private static String categoriesJson(List<CategoryVerdict> categories) {
        List<CategoryJson> out = new ArrayList<>();
        for (CategoryVerdict c : categories) {
            out.add(new CategoryJson(c.category().wireName(), c.confidence().wireName(), c.source(), c.rules(), c.feeds()));
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write categories as JSON", e);
        }
    }

    private List<CategoryVerdict> parseCategories(String json) {
        try {
            List<CategoryJson> in = JSON.readValue(json, new TypeReference<List<CategoryJson>>() { });
            List<CategoryVerdict> out = new ArrayList<>(in.size());
            for (CategoryJson c : in) {
                out.add(new CategoryVerdict(Category.fromWire(c.category()), Confidence.fromWire(c.confidence()),
                        c.source(), c.rules(), c.feeds()));
            }
            return out;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException(file, "a stored profile has unreadable categories " + json, e);
        }
    }
}
