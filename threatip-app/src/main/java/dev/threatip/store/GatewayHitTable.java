package dev.threatip.store;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The {@code gateway_hits} table (schema step 6): the requests {@code threatip gate} decided, one
 * row each, appended with the events of the same batch. The event store's queries read it here:
 * the profile's gateway activity and the overview's counts per action. No index: the profile
 * query filters on the address halves like the events queries, the overview on the time zone maps.
 */
final class GatewayHitTable {
    static final String TABLE = "gateway_hits";

    private GatewayHitTable() {
    }

    /** Appends {@code hits} through the write connection, inside the caller's transaction. */
    static void append(DuckDBConnection writer, List<GatewayHit> hits, String source, long nowMicros) throws SQLException {
        try (DuckDBAppender a = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
            for (GatewayHit h : hits) {
                a.beginRow();
                a.appendEpochMicros(h.time() == null ? nowMicros : EventStore.micros(h.time()));
                a.append(h.ip().toString());
                a.append(h.ip().hi());
                a.append(h.ip().lo());
                a.append(h.rule());
                text(a, h.category() == null ? null : h.category().wireName());
                text(a, h.confidence() == null ? null : h.confidence().wireName());
                a.append(h.action().wireName());
                a.append(h.enforced());
                text(a, h.requestId());
                if (h.status() < 0) {
                    a.appendNull();
                } else {
                    a.append(h.status());
                }
                text(a, h.method());
                text(a, h.host());
                text(a, h.path());
                text(a, source);
                a.endRow();
            }
        }
    }

    /** The gateway's actions on one IP: counts per action and its latest hit. */
    static GatewayActivity activity(Connection c, IpAddress ip) throws SQLException {
        String where = " FROM " + TABLE + " WHERE ip_hi = " + ip.hi() + " AND ip_lo = " + ip.lo();
        Map<String, Long> actions = new LinkedHashMap<>();
        long hits = 0;
        long notEnforced = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT action, count(*) AS n, count(*) FILTER (WHERE NOT enforced)"
                + where + " GROUP BY action ORDER BY n DESC, action")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    actions.put(rs.getString(1), rs.getLong(2));
                    hits += rs.getLong(2);
                    notEnforced += rs.getLong(3);
                }
            }
        }
        if (hits == 0) {
            return GatewayActivity.NONE;
        }
        GatewayHit last = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT epoch_us(ts), ip, rule, category, confidence, action, "
                + "enforced, request_id, status, method, host, path" + where + " ORDER BY ts DESC, request_id DESC LIMIT 1")) {
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    last = row(rs, 1);
                }
            }
        }
        return new GatewayActivity(hits, actions, notEnforced, last);
    }

    /**
     * Gateway hits in {@code [from, to)} per action into {@code byAction}, and those monitor mode
     * did not enforce into {@code notEnforced}.
     */
    static void actionCounts(Connection c, long fromMicros, long toMicros, Map<String, Long> byAction,
                             Map<String, Long> notEnforced) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT action, count(*), count(*) FILTER (WHERE NOT enforced) FROM "
                + TABLE + " WHERE ts >= make_timestamp(?) AND ts < make_timestamp(?) GROUP BY action")) {
            ps.setLong(1, fromMicros);
            ps.setLong(2, toMicros);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byAction.put(rs.getString(1), rs.getLong(2));
                    if (rs.getLong(3) > 0) {
                        notEnforced.put(rs.getString(1), rs.getLong(3));
                    }
                }
            }
        }
    }

    /**
     * A gateway hit from 12 columns starting at {@code at}: epoch µs, ip, rule, category,
     * confidence, action, enforced, request_id, status, method, host, path.
     */
    static GatewayHit row(ResultSet rs, int at) throws SQLException {
        String category = rs.getString(at + 3);
        String confidence = rs.getString(at + 4);
        int status = rs.getInt(at + 8);
        int statusValue = rs.wasNull() ? -1 : status;
        return new GatewayHit(EventStore.instant(rs.getLong(at)), IpAddress.parse(rs.getString(at + 1)),
                rs.getString(at + 2), category == null ? null : Category.fromWire(category),
                confidence == null ? null : Confidence.fromWire(confidence), Action.fromWire(rs.getString(at + 5)),
                rs.getBoolean(at + 6), rs.getString(at + 7), statusValue, rs.getString(at + 9), rs.getString(at + 10),
                rs.getString(at + 11));
    }

    private static void text(DuckDBAppender a, String s) throws SQLException {
        if (s == null) {
            a.appendNull();
        } else {
            a.append(s);
        }
    }
}
