package dev.threatip.store;

import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Decisions (ban or challenge a scope until it expires) in the {@code decisions} table of the
 * store's DuckDB file, written through the store's one write connection.
 *
 * <p>Structure and costs. A scope is kept as canonical CIDR text and as its first and last
 * address, each as two order-preserving 64-bit halves (the sign bit flipped, so SQL's signed
 * comparison orders addresses as unsigned 128-bit numbers): "which decisions hold this address"
 * is a range predicate over four columns, pruned by DuckDB's zone maps. Rows are never
 * rewritten except to end them: a deletion sets {@code deleted_at}; a deletion or an expiry
 * takes a number from the same sequence as new decisions' ids ({@code ended_seq}). So one
 * monotone number — the sequence's high-water mark — is a cursor for the bouncer stream: what
 * was added after cursor {@code c} has {@code id > c}, what ended after it {@code ended_seq > c}.
 * Expiries are stamped lazily: {@link #cursor(Instant)} first ends what ran out
 * ({@link #sweepExpired(Instant)}). Pages are keyset-paginated by id, so streaming 300k
 * decisions holds one page in memory, never the whole set.
 *
 * <p>Simulated decisions (an auto-block policy in {@code simulate} mode) share the table with a
 * flag; they are listed but never returned by {@link #active}, {@link #find} or the change
 * stream, so nothing enforces them.
 */
public final class DecisionStore {
    private static final String COLUMNS = "SELECT id, scope, type, epoch_us(created), epoch_us(expires), reason, origin, "
            + "policy, category, confidence, hits, offence, simulated, epoch_us(deleted_at) FROM decisions";
    /** In force at ? (micros): not ended, created at or before, expiring after. */
    private static final String IN_FORCE = "deleted_at IS NULL AND created <= make_timestamp(?) AND expires > make_timestamp(?)";
    /** The scope holds the address (hi, lo, hi, hi, lo, hi as order-preserving halves). */
    private static final String HOLDS = "(start_hi < ? OR (start_hi = ? AND start_lo <= ?)) "
            + "AND (end_hi > ? OR (end_hi = ? AND end_lo >= ?))";

    private final EventStore store;

    /** The decisions kept in {@code store}'s file (schema version 3 and later). */
    public DecisionStore(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    // ---------------------------------------------------------------- writes

    /**
     * Stores a decision to enforce.
     *
     * @param d a decision with id 0
     * @return the decision with its id
     */
    public Decision add(Decision d) {
        return addAll(List.of(d), false).get(0);
    }

    /** Stores what a policy in {@code simulate} mode would have decided: listed, never enforced. */
    public Decision addSimulated(Decision d) {
        return addAll(List.of(d), true).get(0);
    }

    /**
     * Stores decisions in one transaction (an import): all or none.
     *
     * @return the decisions with their ids, in the given order
     */
    public List<Decision> addAll(List<Decision> decisions, boolean simulated) {
        for (Decision d : decisions) {
            if (d.id() != 0) {
                throw new IllegalArgumentException("a new decision has id 0, not " + d.id() + " (" + d.scope() + ")");
            }
        }
        List<Decision> out = new ArrayList<>(decisions.size());
        if (decisions.isEmpty()) {
            return out;
        }
        store.write("store " + decisions.size() + " decisions", () -> {
            // ids reserved in one query, rows through the appender: a 300k-decision import takes
            // about 1.5 s instead of a statement (and a round trip) per decision
            long[] ids = new long[decisions.size()];
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "SELECT nextval('decision_seq') FROM range(?) ORDER BY 1")) {
                ps.setLong(1, ids.length);
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; i < ids.length && rs.next(); i++) {
                        ids[i] = rs.getLong(1);
                    }
                }
            }
            try (DuckDBAppender a = store.writeConnection().createAppender(DuckDBConnection.DEFAULT_SCHEMA, "decisions")) {
                for (int i = 0; i < ids.length; i++) {
                    Decision d = decisions.get(i);
                    Cidr s = d.scope();
                    IpAddress last = s.last();
                    a.beginRow();
                    a.append(ids[i]);
                    a.append(s.toString());
                    a.append(ordered(s.network().hi()));
                    a.append(ordered(s.network().lo()));
                    a.append(ordered(last.hi()));
                    a.append(ordered(last.lo()));
                    a.append(d.type().wireName());
                    a.appendEpochMicros(EventStore.micros(d.created()));
                    a.appendEpochMicros(EventStore.micros(d.expires()));
                    text(a, d.reason());
                    a.append(d.origin().wireName());
                    text(a, d.policy());
                    text(a, d.category() == null ? null : d.category().wireName());
                    text(a, d.confidence() == null ? null : d.confidence().wireName());
                    a.append(d.hits());
                    a.append(d.offence());
                    a.append(simulated);
                    a.appendNull(); // deleted_at
                    a.appendNull(); // ended_seq
                    a.endRow();
                    out.add(withId(d, ids[i]));
                }
            }
        });
        return out;
    }

    /**
     * Deletes one decision that has not ended yet: it stops applying at once and bouncers get
     * its deletion.
     *
     * @return whether a decision was deleted (false: no such id, or it already ended)
     */
    public boolean delete(long id, Instant at) {
        int[] n = new int[1];
        store.write("delete decision " + id, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "UPDATE decisions SET deleted_at = make_timestamp(?), ended_seq = nextval('decision_seq') "
                            + "WHERE id = ? AND deleted_at IS NULL AND ended_seq IS NULL")) {
                ps.setLong(1, EventStore.micros(at));
                ps.setLong(2, id);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0] > 0;
    }

    /**
     * Deletes every decision, real or simulated, that has not ended and whose scope lies within
     * {@code scope} (an address deletes its own /32 or /128 decisions, a network every decision
     * inside it).
     *
     * @return how many were deleted
     */
    public int deleteScope(Cidr scope, Instant at) {
        IpAddress last = scope.last();
        int[] n = new int[1];
        store.write("delete decisions within " + scope, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "UPDATE decisions SET deleted_at = make_timestamp(?), ended_seq = nextval('decision_seq') "
                            + "WHERE deleted_at IS NULL AND ended_seq IS NULL "
                            + "AND (start_hi > ? OR (start_hi = ? AND start_lo >= ?)) "
                            + "AND (end_hi < ? OR (end_hi = ? AND end_lo <= ?))")) {
                ps.setLong(1, EventStore.micros(at));
                long sh = ordered(scope.network().hi());
                long eh = ordered(last.hi());
                ps.setLong(2, sh);
                ps.setLong(3, sh);
                ps.setLong(4, ordered(scope.network().lo()));
                ps.setLong(5, eh);
                ps.setLong(6, eh);
                ps.setLong(7, ordered(last.lo()));
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }

    /**
     * Ends the decisions that ran out by {@code now}: gives each its place in the change stream,
     * so bouncers learn to lift it.
     *
     * @return how many ended
     */
    public int sweepExpired(Instant now) {
        long t = EventStore.micros(now);
        boolean due = store.read("look for expired decisions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM decisions WHERE ended_seq IS NULL AND expires <= make_timestamp(?) LIMIT 1")) {
                ps.setLong(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!due) {
            return 0;
        }
        int[] n = new int[1];
        store.write("end expired decisions", () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "UPDATE decisions SET ended_seq = nextval('decision_seq') "
                            + "WHERE ended_seq IS NULL AND expires <= make_timestamp(?)")) {
                ps.setLong(1, t);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }

    /**
     * Retention: removes decisions that ended (expired or deleted) before {@code cutoff}. They
     * stop counting as offences; bouncers were told of their end long before.
     *
     * @return how many were removed
     */
    public long purgeEndedBefore(Instant cutoff) {
        long c = EventStore.micros(cutoff);
        long[] n = new long[1];
        store.write("purge decisions ended before " + cutoff, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "DELETE FROM decisions WHERE ended_seq IS NOT NULL "
                            + "AND coalesce(deleted_at, expires) < make_timestamp(?)")) {
                ps.setLong(1, c);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }

    // ---------------------------------------------------------------- reads

    /** The real decisions in force at {@code now}, by id. Exports with many decisions use {@link #forEachActive}. */
    public List<Decision> active(Instant now) {
        List<Decision> out = new ArrayList<>();
        forEachActive(now, 10_000, out::add);
        return out;
    }

    /**
     * Hands every real decision in force at {@code now} to {@code sink}, by id, reading at most
     * {@code pageSize} at a time (see {@link #walkIds}).
     */
    public void forEachActive(Instant now, int pageSize, Consumer<Decision> sink) {
        requirePage(pageSize);
        long t = EventStore.micros(now);
        long maxId = store.read("read the highest decision id", c -> count(c, "SELECT coalesce(max(id), 0) FROM decisions"));
        walkIds("list active decisions", "NOT simulated AND " + IN_FORCE, 0, maxId, pageSize, sink, t, t);
    }

    /**
     * Hands the decisions matching {@code where} (with {@code args}) whose ids lie in
     * {@code (fromId, toId]} to {@code sink}, by id, one window of {@code window} ids per query.
     * A window's id range touches one or two of DuckDB's row groups — their id zone maps prune the
     * rest — so walking 300k decisions costs a few milliseconds per window; a {@code LIMIT} page
     * after a cursor would re-scan every later row on each page (quadratic in the list). Holds at
     * most {@code window} decisions at a time.
     */
    private void walkIds(String what, String where, long fromId, long toId, int window, Consumer<Decision> sink,
                         Object... args) {
        for (long lo = fromId; lo < toId; ) {
            long hi = Math.min(toId, lo + window);
            Object[] bound = java.util.Arrays.copyOf(args, args.length + 2);
            bound[args.length] = lo;
            bound[args.length + 1] = hi;
            store.read(what, c -> decisions(c, COLUMNS + " WHERE " + where + " AND id > ? AND id <= ? ORDER BY id", bound))
                    .forEach(sink);
            lo = hi;
        }
    }

    /** How many real decisions are in force at {@code now}. */
    public long countActive(Instant now) {
        long t = EventStore.micros(now);
        return store.read("count active decisions", c -> count(c,
                "SELECT count(*) FROM decisions WHERE NOT simulated AND " + IN_FORCE, t, t));
    }

    /** The real decisions in force at {@code now} whose scope holds {@code ip}, by id. */
    public List<Decision> find(IpAddress ip, Instant now) {
        long t = EventStore.micros(now);
        long h = ordered(ip.hi());
        long l = ordered(ip.lo());
        return store.read("find decisions of " + ip, c -> decisions(c,
                COLUMNS + " WHERE NOT simulated AND " + IN_FORCE + " AND " + HOLDS + " ORDER BY id", t, t, h, h, l, h, h, l));
    }

    /**
     * The decisions in force at {@code now} (real, or simulated ones when {@code simulated})
     * whose scope holds all of {@code scope}: what de-duplication asks before deciding again.
     */
    public List<Decision> covering(Cidr scope, Instant now, boolean simulated) {
        long t = EventStore.micros(now);
        IpAddress last = scope.last();
        long sh = ordered(scope.network().hi());
        long sl = ordered(scope.network().lo());
        long eh = ordered(last.hi());
        long el = ordered(last.lo());
        return store.read("find decisions covering " + scope, c -> decisions(c, COLUMNS + " WHERE simulated = ? AND "
                + IN_FORCE + " AND (start_hi < ? OR (start_hi = ? AND start_lo <= ?)) "
                + "AND (end_hi > ? OR (end_hi = ? AND end_lo >= ?)) ORDER BY id", simulated, t, t, sh, sh, sl, eh, eh, el));
    }

    /**
     * Hands every real decision in force at {@code now} whose scope lies inside {@code scope} (the
     * scope itself included) to {@code sink}, by id, reading {@code pageSize} at a time: the bouncer
     * API's {@code GET /v1/decisions?range=…&contains=false}.
     */
    public void forEachWithin(Cidr scope, Instant now, int pageSize, Consumer<Decision> sink) {
        requirePage(pageSize);
        long t = EventStore.micros(now);
        IpAddress last = scope.last();
        long sh = ordered(scope.network().hi());
        long sl = ordered(scope.network().lo());
        long eh = ordered(last.hi());
        long el = ordered(last.lo());
        long after = 0;
        while (true) {
            long from = after;
            List<Decision> page = store.read("find decisions within " + scope, c -> decisions(c, COLUMNS
                    + " WHERE NOT simulated AND " + IN_FORCE + " AND (start_hi > ? OR (start_hi = ? AND start_lo >= ?)) "
                    + "AND (end_hi < ? OR (end_hi = ? AND end_lo <= ?)) AND id > ? ORDER BY id LIMIT " + pageSize,
                    t, t, sh, sh, sl, eh, eh, el, from));
            page.forEach(sink);
            if (page.size() < pageSize) {
                return;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** One decision by id, real or simulated, in force or not. */
    public java.util.Optional<StoredDecision> get(long id) {
        return store.read("read decision " + id, c -> {
            List<StoredDecision> found = stored(c, COLUMNS + " WHERE id = ?", List.of(id));
            return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.get(0));
        });
    }

    /**
     * How many decisions this exact scope has had (real ones, or simulated ones when
     * {@code simulated}), in force or ended, as long as they are kept: the offence count behind
     * escalation.
     */
    public int offences(Cidr scope, boolean simulated) {
        return store.read("count offences of " + scope, c -> (int) count(c,
                "SELECT count(*) FROM decisions WHERE scope = ? AND simulated = ?", scope.toString(), simulated));
    }

    /** How many real decisions this exact scope has had; see {@link #offences(Cidr, boolean)}. */
    public int offences(Cidr scope) {
        return offences(scope, false);
    }

    /**
     * Decisions matching {@code filter}, newest first.
     *
     * @param now    the moment {@code filter.active()} is judged at
     * @param limit  page size, 1 to 1000
     * @param offset items to skip
     */
    public Page<StoredDecision> list(DecisionFilter filter, Instant now, int limit, int offset) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit " + limit + " is out of range 1 to 1000");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (filter.ip() != null) {
            long h = ordered(filter.ip().hi());
            long l = ordered(filter.ip().lo());
            where.append(" AND ").append(HOLDS);
            args.addAll(List.of(h, h, l, h, h, l));
        }
        if (filter.type() != null) {
            where.append(" AND type = ?");
            args.add(filter.type().wireName());
        }
        if (filter.origin() != null) {
            where.append(" AND origin = ?");
            args.add(filter.origin().wireName());
        }
        if (filter.simulated() != null) {
            where.append(" AND simulated = ?");
            args.add(filter.simulated());
        }
        if (filter.active() != null) {
            long t = EventStore.micros(now);
            where.append(filter.active() ? " AND " + IN_FORCE : " AND NOT (" + IN_FORCE + ")");
            args.add(t);
            args.add(t);
        }
        return store.read("list decisions", c -> {
            long total = count(c, "SELECT count(*) FROM decisions" + where, args.toArray());
            List<StoredDecision> items = stored(c, COLUMNS + where + " ORDER BY id DESC LIMIT " + limit + " OFFSET " + offset, args);
            return new Page<>(total, items);
        });
    }

    // ---------------------------------------------------------------- change stream (bouncers)

    /**
     * The stream's cursor now: ends what ran out by {@code now} first, then answers the high-water
     * mark of additions and endings. Changes up to it are stable: later ones get larger numbers.
     */
    public long cursor(Instant now) {
        sweepExpired(now);
        // the sequence's own high-water mark: unlike max(id), it never goes back when old rows are purged
        return store.read("read the decision cursor", c -> count(c,
                "SELECT coalesce(max(last_value), 0) FROM duckdb_sequences() WHERE sequence_name = 'decision_seq'"));
    }

    /**
     * One page of the real decisions added in {@code (after, upTo]} that were still in force at
     * {@code upTo} — the "new" list of a bouncer pull (with {@code after = 0}: the startup list).
     *
     * @param afterId keyset: only ids above it (0 for the first page; then the last id of the previous page)
     */
    public List<Decision> addedPage(long after, long upTo, long afterId, int limit) {
        requirePage(limit);
        return store.read("page added decisions", c -> decisions(c, COLUMNS + " WHERE NOT simulated AND id > ? AND id <= ? "
                + "AND (ended_seq IS NULL OR ended_seq > ?) AND id > ? ORDER BY id LIMIT " + limit, after, upTo, upTo, afterId));
    }

    /**
     * One page of the real decisions a bouncer at cursor {@code after} knew of that ended
     * (deleted or expired) in {@code (after, upTo]} — the "deleted" list of a pull.
     *
     * @param afterId keyset: only ids above it
     */
    public List<Decision> removedPage(long after, long upTo, long afterId, int limit) {
        requirePage(limit);
        return store.read("page ended decisions", c -> decisions(c, COLUMNS + " WHERE NOT simulated AND id <= ? "
                + "AND ended_seq > ? AND ended_seq <= ? AND id > ? ORDER BY id LIMIT " + limit, after, after, upTo, afterId));
    }

    /** What a bouncer stream pull hands on, one decision at a time. */
    public interface ChangeSink {
        /** A decision to enforce. */
        void added(Decision d);

        /** A decision to lift. */
        void removed(Decision d);
    }

    /**
     * Walks the changes in {@code (after, upTo]} page by page: first every addition, then every
     * removal. Memory: one page.
     */
    public void forEachChange(long after, long upTo, int pageSize, ChangeSink sink) {
        requirePage(pageSize);
        // additions by id windows (a startup list is the whole table); removals are few, by keyset pages
        walkIds("page added decisions", "NOT simulated AND (ended_seq IS NULL OR ended_seq > ?)", after, upTo, pageSize,
                sink::added, upTo);
        if (after == 0) {
            return;
        }
        long id = 0;
        while (true) {
            List<Decision> page = removedPage(after, upTo, id, pageSize);
            page.forEach(sink::removed);
            if (page.size() < pageSize) {
                break;
            }
            id = page.get(page.size() - 1).id();
        }
    }

    // ---------------------------------------------------------------- plumbing

    /** The order-preserving form of an address half: unsigned order becomes signed order. */
    static long ordered(long half) {
        return half ^ Long.MIN_VALUE;
    }

    private static void requirePage(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("page size must be at least 1: " + size);
        }
    }

    private static void text(DuckDBAppender a, String s) throws SQLException {
        if (s == null) {
            a.appendNull();
        } else {
            a.append(s);
        }
    }

    private static Decision withId(Decision d, long id) {
        return new Decision(id, d.scope(), d.type(), d.created(), d.expires(), d.reason(), d.origin(), d.policy(),
                d.category(), d.confidence(), d.hits(), d.offence());
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, List.of(args));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Decision> decisions(Connection c, String sql, Object... args) throws SQLException {
        List<Decision> out = new ArrayList<>();
        for (StoredDecision s : stored(c, sql, List.of(args))) {
            out.add(s.decision());
        }
        return out;
    }

    private static List<StoredDecision> stored(Connection c, String sql, List<Object> args) throws SQLException {
        List<StoredDecision> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String category = rs.getString(9);
                    String confidence = rs.getString(10);
                    Decision d = new Decision(rs.getLong(1), Cidr.parse(rs.getString(2)), DecisionType.fromWire(rs.getString(3)),
                            EventStore.instant(rs.getLong(4)), EventStore.instant(rs.getLong(5)), rs.getString(6),
                            DecisionOrigin.fromWire(rs.getString(7)), rs.getString(8),
                            category == null ? null : Category.fromWire(category),
                            confidence == null ? null : Confidence.fromWire(confidence), rs.getLong(11), rs.getInt(12));
                    Object deleted = rs.getObject(14);
                    out.add(new StoredDecision(d, rs.getBoolean(13),
                            deleted == null ? null : EventStore.instant(((Number) deleted).longValue())));
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }
}
