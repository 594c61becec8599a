package dev.threatip.cli;

import dev.threatip.store.EventStore;
import dev.threatip.store.StoreException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Where an admin command ({@code threatip bouncers …}) acts. DuckDB lets one process open the
 * store file, so:
 *
 * <ul>
 *   <li>with {@code --server URL} (or {@code $THREATIP_SERVER}) it goes through that running
 *       {@code serve}'s admin API, with the admin token from {@code --token-file}, else
 *       {@code $THREATIP_TOKEN}, else {@code DATA_DIR/admin.token};</li>
 *   <li>otherwise it opens {@code DATA_DIR/threatip.duckdb} itself; when a running {@code serve}
 *       holds the file, it stops with a message saying to pass {@code --server}.</li>
 * </ul>
 */
final class AdminTarget {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The data dir of threatip serve (default ./threatip-data): its store, or its admin.token with --server.")
    Path dataDir;

    @Option(names = "--server", paramLabel = "URL",
            description = "A running threatip serve, e.g. http://127.0.0.1:8080 (default: $THREATIP_SERVER; none: open the store).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "The admin token for --server (default: $THREATIP_TOKEN, else DATA_DIR/admin.token).")
    Path tokenFile;

    Path dataDir() {
        return dataDir != null ? dataDir : Path.of("threatip-data");
    }

    /** The server's base URL (ending in {@code /}), or null to open the store. */
    URI server() {
        String s = server != null ? server : System.getenv("THREATIP_SERVER");
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(s.endsWith("/") ? s : s + "/");
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(s, "not an http(s) URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new InputException("--server: '" + s + "' is not a server URL such as http://127.0.0.1:8080");
        }
    }

    /** The admin API of {@link #server()}. */
    AdminClient client() throws IOException {
        return new AdminClient(server(), token());
    }

    private String token() throws IOException {
        if (tokenFile == null) {
            String env = System.getenv("THREATIP_TOKEN");
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
        }
        Path file = tokenFile != null ? tokenFile : dataDir().resolve("admin.token");
        try {
            String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (t.isEmpty()) {
                throw new InputException(file + ": the admin token file is empty");
            }
            return t;
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file; give the admin token with --token-file FILE or $THREATIP_TOKEN");
        }
    }

    /**
     * The data dir's store, opened by this process.
     *
     * @throws InputException when a running {@code serve} holds it, saying to use {@code --server}
     */
    EventStore openStore() {
        Path dir = dataDir();
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": no such data dir; give --data-dir DIR (the one threatip serve uses)");
        }
        try {
            return EventStore.open(dir, Clock.systemUTC());
        } catch (StoreException e) {
            if (locked(e)) {
                throw new InputException(e.file() + " is in use by a running threatip serve (DuckDB allows one process per"
                        + " file); run this with --server http://HOST:PORT of that server (the admin token is read from "
                        + dir.resolve("admin.token") + ")");
            }
            throw e;
        }
    }

    private static boolean locked(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Could not set lock") || m.contains("Conflicting lock"))) {
                return true;
            }
        }
        return false;
    }
}
