package dev.threatip.intel;

import java.nio.file.Path;

/** A snapshot file that cannot be used: truncated, corrupt, or of another format; names file and problem. */
public final class InvalidSnapshotException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSnapshotException(Path file, String why) {
        super("The intel snapshot " + file + " cannot be used: " + why);
    }
}
