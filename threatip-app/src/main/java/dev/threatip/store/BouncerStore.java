package dev.threatip.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bouncer keys in the {@code bouncers} table of the store's DuckDB file: who may pull decisions
 * over the CrowdSec bouncer protocol, and where each bouncer's decision stream stands.
 *
 * <p>A key is handed out once, when the bouncer is added, and kept only as its SHA-256 (hex), so
 * the store file does not hold credentials: {@link #authenticate} hashes the presented key and
 * looks the digest up. Keys are 256 random bits, so an unsalted fast hash loses nothing (the
 * key cannot be guessed from the digest). Writes go through the store's one write connection;
 * reads are short connections like every other store read.
 */
public final class BouncerStore {
    /** The longest bouncer name. */
    public static final int MAX_NAME = 64;
    /** The shortest key accepted when the operator supplies one. */
    public static final int MIN_KEY = 16;
    /** How often a bouncer's last pull is refreshed by lookups that do not move its stream cursor. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS =
            "SELECT name, epoch_us(created), epoch_us(last_pull), last_cursor, last_ip, user_agent FROM bouncers";

    private final EventStore store;

    /** The bouncers kept in {@code store}'s file. */
    public BouncerStore(EventStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** A new key: 256 random bits, URL-safe Base64 without padding (43 characters). */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks a bouncer name: 1 to {@value #MAX_NAME} letters, digits, {@code . _ @ -}, starting
     * with a letter or digit (it appears in URLs, logs and shell commands).
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String validName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a bouncer needs a name");
        }
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("bouncer name '" + name.substring(0, 20) + "…' is " + name.length()
                    + " characters; use at most " + MAX_NAME);
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bouncer name '" + name + "' has characters other than letters, digits"
                    + " and . _ @ - (or does not start with a letter or digit)");
        }
        return name;
    }

    /**
     * Registers a bouncer with {@code key}, keeping only the key's SHA-256.
     *
     * @param key the key the bouncer will send in {@code X-Api-Key}: {@link #newKey()}, or one the
     *            operator chose (at least {@value #MIN_KEY} printable ASCII characters)
     * @throws IllegalArgumentException  for a bad name or key
     * @throws BouncerExistsException    when the name or the key is already registered
     */
    public Bouncer add(String name, String key) {
        validName(name);
        String hash = hash(validKey(key));
        Instant now = store.clock().instant();
        store.write("add bouncer " + name, () -> {
            Connection c = store.writeConnection();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, key_hash = ? FROM bouncers WHERE name = ? OR key_hash = ?")) {
                ps.setString(1, hash);
                ps.setString(2, name);
                ps.setString(3, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw rs.getString(1).equals(name)
                                ? new BouncerExistsException("a bouncer named '" + name + "' already exists; delete it first or choose another name")
                                : new BouncerExistsException("this key is already the key of bouncer '" + rs.getString(1) + "'; use another key");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO bouncers (name, key_hash, created, last_cursor) VALUES (?, ?, make_timestamp(?), 0)")) {
                ps.setString(1, name);
                ps.setString(2, hash);
                ps.setLong(3, EventStore.micros(now));
                ps.executeUpdate();
            }
        });
        return new Bouncer(name, EventStore.instant(EventStore.micros(now)), null, 0, null, null);
    }

    /** Every bouncer, by name. */
    public List<Bouncer> list() {
        return store.read("list bouncers", c -> {
            List<Bouncer> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(COLUMNS + " ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(bouncer(rs));
                }
            }
            return out;
        });
    }

    /** The bouncer of that name. */
    public Optional<Bouncer> get(String name) {
        return one("read bouncer " + name, COLUMNS + " WHERE name = ?", name);
    }

    /**
     * Removes a bouncer: its key stops working at once.
     *
     * @return false when there was none of that name
     */
    public boolean delete(String name) {
        int[] n = new int[1];
        store.write("delete bouncer " + name, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement("DELETE FROM bouncers WHERE name = ?")) {
                ps.setString(1, name);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0] > 0;
    }

    /** The bouncer whose key this is; empty for a missing or unknown key. */
    public Optional<Bouncer> authenticate(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return one("authenticate a bouncer", COLUMNS + " WHERE key_hash = ?", hash(key));
    }

    /**
     * Records a complete stream pull: the bouncer's cursor moves to {@code cursor}, so its next
     * pull gets the changes after it.
     */
    public void recordPull(String name, Instant at, long cursor, String ip, String userAgent) {
        if (cursor < 0) {
            throw new IllegalArgumentException("a stream cursor is never negative: " + cursor);
        }
        store.write("record the pull of bouncer " + name, () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "UPDATE bouncers SET last_pull = make_timestamp(?), last_cursor = ?, last_ip = ?, user_agent = ? WHERE name = ?")) {
                ps.setLong(1, EventStore.micros(at));
                ps.setLong(2, cursor);
                ps.setString(3, ip);
                ps.setString(4, clip(userAgent));
                ps.setString(5, name);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Records a lookup that does not move the stream cursor ({@code GET /v1/decisions}): the last
     * pull time, at most once a minute (as LAPI does), or at once when the address or agent changed,
     * so a bouncer asking per request does not turn every request into a write.
     */
    public void touch(Bouncer b, Instant at, String ip, String userAgent) {
        String ua = clip(userAgent);
        boolean due = b.lastPull() == null || !b.lastPull().plus(TOUCH_EVERY).isAfter(at)
                || !Objects.equals(b.lastIp(), ip) || !Objects.equals(b.userAgent(), ua);
        if (!due) {
            return;
        }
        store.write("record a lookup of bouncer " + b.name(), () -> {
            try (PreparedStatement ps = store.writeConnection().prepareStatement(
                    "UPDATE bouncers SET last_pull = make_timestamp(?), last_ip = ?, user_agent = ? WHERE name = ?")) {
                ps.setLong(1, EventStore.micros(at));
                ps.setString(2, ip);
                ps.setString(3, ua);
                ps.setString(4, b.name());
                ps.executeUpdate();
            }
        });
    }

    // ---------------------------------------------------------------- plumbing

    private Optional<Bouncer> one(String what, String sql, String arg) {
        return store.read(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(bouncer(rs)) : Optional.<Bouncer>empty();
                }
            }
        });
    }

    private static Bouncer bouncer(ResultSet rs) throws SQLException {
        long lastPull = rs.getLong(3);
        boolean never = rs.wasNull();
        return new Bouncer(rs.getString(1), EventStore.instant(rs.getLong(2)), never ? null : EventStore.instant(lastPull),
                rs.getLong(4), rs.getString(5), rs.getString(6));
    }

    private static String validKey(String key) {
        if (key == null || key.length() < MIN_KEY) {
            throw new IllegalArgumentException("a bouncer key needs at least " + MIN_KEY + " characters"
                    + (key == null ? "" : "; this one has " + key.length()));
        }
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch <= ' ' || ch > '~') {
                throw new IllegalArgumentException("a bouncer key has a character outside printable ASCII at position " + (i + 1));
            }
        }
        return key;
    }

    /** A user agent as stored: bounded, as it is the client's to choose. */
    private static String clip(String s) {
        return s == null || s.length() <= 256 ? s : s.substring(0, 256);
    }

    static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
