package dev.threatip.store;

import java.nio.file.Path;

/**
 * The store file cannot be opened, migrated, written or read: names the file and what failed,
 * e.g. {@code /data/threatip.duckdb: schema version 3 is newer than this build knows (2); use a
 * newer threatip or another data dir}.
 */
public final class StoreException extends RuntimeException {
    private final Path file;

    StoreException(Path file, String why, Throwable cause) {
        super(file + ": " + why + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        this.file = file;
    }

    StoreException(Path file, String why) {
        this(file, why, null);
    }

    /** The store file concerned. */
    public Path file() {
        return file;
    }
}
