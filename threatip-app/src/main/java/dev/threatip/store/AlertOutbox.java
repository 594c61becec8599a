package dev.threatip.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The alert outbox: what is owed to each alert channel, kept in the store's DuckDB file (table
 * {@code alert_outbox}) so that a restart loses nothing owed. A row is written when an alert
 * policy fires (one per channel), and leaves the {@code pending} state only when the channel
 * acknowledged it ({@code delivered}) or when its retries are used up ({@code failed}).
 *
 * <p>Every write is one transaction on the store's single write connection; reads see committed
 * rows only. The store owns the connection: this class holds nothing that needs closing.
 */
public final class AlertOutbox {
    /** Where a row is in its life. */
    public enum State {
        /** Owed: waiting for its first or next attempt. */
        PENDING,
        /** The channel acknowledged it. */
        DELIVERED,
        /** Every attempt failed; given up. */
        FAILED;

        /** The lower-case name used in the API and the table. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The state named {@code name} (lower case); an unknown name is refused with the allowed ones. */
        public static State fromWire(String name) {
            for (State s : values()) {
                if (s.wireName().equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("'" + name + "' is not an outbox state; allowed: pending, delivered, failed");
        }
    }

    /**
     * A message owed to one channel.
     *
     * @param policy  the alert policy that produced it
     * @param channel the channel's name
     * @param payload the alert as JSON
     */
    public record Owed(String policy, String channel, String payload) {
        public Owed {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * One row of the outbox.
     *
     * @param id          the row's id: the alert id receivers deduplicate on
     * @param policy      the alert policy
     * @param channel     the channel's name
     * @param payload     the alert as JSON
     * @param created     when the policy fired
     * @param state       pending, delivered or failed
     * @param attempts    delivery attempts so far
     * @param nextAttempt when a pending row is due next; null otherwise
     * @param deliveredAt when the channel acknowledged it; null otherwise
     * @param lastError   why the latest attempt failed; null when none did
     */
    public record Entry(long id, String policy, String channel, String payload, Instant created, State state,
                        int attempts, Instant nextAttempt, Instant deliveredAt, String lastError) {
    }

    private static final String COLUMNS = "SELECT id, policy, channel, payload, epoch_us(created), state, attempts, "
            + "epoch_us(next_attempt), epoch_us(delivered_at), last_error FROM alert_outbox";
    private static final int MAX_ERROR = 500;

    private final EventStore store;

    /** The outbox inside {@code store}'s file (its table comes with the store's schema). */
    public AlertOutbox(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Records messages as owed, due at once, in one transaction.
     *
     * @return their ids, in the order given
     */
    public List<Long> enqueue(List<Owed> owed) {
        List<Long> ids = new ArrayList<>(owed.size());
        if (owed.isEmpty()) {
            return ids;
        }
        long now = EventStore.micros(store.clock().instant());
        store.write("enqueue " + owed.size() + " alert messages", () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement("INSERT INTO alert_outbox "
                    + "(policy, channel, payload, created, state, attempts, next_attempt) "
                    + "VALUES (?, ?, ?, make_timestamp(?), 'pending', 0, make_timestamp(?)) RETURNING id")) {
                for (Owed o : owed) {
                    ps.setString(1, o.policy());
                    ps.setString(2, o.channel());
                    ps.setString(3, o.payload());
                    ps.setLong(4, now);
                    ps.setLong(5, now);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ids.add(rs.getLong(1));
                    }
                }
            }
        });
        return ids;
    }

    /** Pending rows due at {@code now}, the longest-waiting first. */
    public List<Entry> due(Instant now, int limit) {
        return store.read("read due alert messages", c -> {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE state = 'pending' AND next_attempt <= make_timestamp(?) "
                    + "ORDER BY next_attempt, id LIMIT ?")) {
                ps.setLong(1, EventStore.micros(now));
                ps.setInt(2, limit);
                return entries(ps);
            }
        });
    }

    /** When the earliest pending row is due, if any is pending. */
    public Optional<Instant> nextDue() {
        return store.read("read the next due alert message", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT epoch_us(min(next_attempt)) FROM alert_outbox WHERE state = 'pending'")) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(EventStore.instant(v));
            }
        });
    }

    /** One row by id. */
    public Optional<Entry> get(long id) {
        return store.read("read alert message " + id, c -> {
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
                ps.setLong(1, id);
                List<Entry> found = entries(ps);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    /** Marks a pending row delivered: the channel acknowledged it at {@code at}. */
    public void markDelivered(long id, Instant at) {
        store.write("mark alert message " + id + " delivered", () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement("UPDATE alert_outbox SET state = 'delivered', "
                    + "attempts = attempts + 1, delivered_at = make_timestamp(?), next_attempt = NULL WHERE id = ? AND state = 'pending'")) {
                ps.setLong(1, EventStore.micros(at));
                ps.setLong(2, id);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Records a failed attempt of a pending row: it is due again at {@code next}, or, with a null
     * {@code next}, failed for good.
     */
    public void markAttemptFailed(long id, String error, Instant next) {
        String why = error == null ? "unknown error" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        store.write("record a failed attempt of alert message " + id, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement("UPDATE alert_outbox SET "
                    + "state = CASE WHEN ? THEN 'failed' ELSE 'pending' END, attempts = attempts + 1, last_error = ?, "
                    + "next_attempt = make_timestamp(?) WHERE id = ? AND state = 'pending'")) {
                ps.setBoolean(1, next == null);
                ps.setString(2, why);
                if (next == null) {
                    ps.setNull(3, Types.BIGINT);
                } else {
                    ps.setLong(3, EventStore.micros(next));
                }
                ps.setLong(4, id);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Rows newest first, optionally of one state, policy or channel.
     *
     * @param limit  page size, 1 to {@value IpFilter#MAX_LIMIT}
     * @param offset rows to skip
     */
    public Page<Entry> list(State state, String policy, String channel, int limit, int offset) {
        if (limit < 1 || limit > IpFilter.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + IpFilter.MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        List<String> where = new ArrayList<>();
        List<String> args = new ArrayList<>();
        if (state != null) {
            where.add("state = ?");
            args.add(state.wireName());
        }
        if (policy != null) {
            where.add("policy = ?");
            args.add(policy);
        }
        if (channel != null) {
            where.add("channel = ?");
            args.add(channel);
        }
        String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        return store.read("list alert messages", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM alert_outbox" + filter)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + filter + " ORDER BY id DESC LIMIT " + limit + " OFFSET " + offset)) {
                bind(ps, args);
                return new Page<>(total, entries(ps));
            }
        });
    }

    /** Rows per channel and state, for {@code /metrics}. */
    public Map<String, Map<State, Long>> countsByChannel() {
        return store.read("count alert messages", c -> {
            Map<String, Map<State, Long>> out = new LinkedHashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT channel, state, count(*) FROM alert_outbox GROUP BY channel, state ORDER BY channel, state")) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(State.class))
                            .put(State.fromWire(rs.getString(2)), rs.getLong(3));
                }
            }
            return out;
        });
    }

    /** Deletes delivered rows acknowledged before {@code cutoff}; pending and failed rows stay. */
    public long deleteDeliveredBefore(Instant cutoff) {
        long[] deleted = new long[1];
        store.write("delete delivered alert messages", () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "DELETE FROM alert_outbox WHERE state = 'delivered' AND delivered_at < make_timestamp(?)")) {
                ps.setLong(1, EventStore.micros(cutoff));
                deleted[0] = ps.executeUpdate();
            }
        });
        return deleted[0];
    }

    private static void bind(PreparedStatement ps, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setString(i + 1, args.get(i));
        }
    }

    private static List<Entry> entries(PreparedStatement ps) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        EventStore.instant(rs.getLong(5)), State.fromWire(rs.getString(6)), rs.getInt(7),
                        optionalInstant(rs, 8), optionalInstant(rs, 9), rs.getString(10)));
            }
        }
        return out;
    }

    private static Instant optionalInstant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : EventStore.instant(v);
    }
}
