package dev.threatip.geo;

import java.io.IOException;
import java.nio.file.Path;

/** A geo or ASN database that cannot be read: names the file, the line where there is one, and why. */
public final class GeoDatabaseException extends IOException {
    private static final long serialVersionUID = 1L;

    GeoDatabaseException(Path file, long line, String why) {
        super(file + (line > 0 ? ":" + line : "") + ": " + why);
    }

    GeoDatabaseException(Path file, String why, Throwable cause) {
        super(file + ": " + why, cause);
    }
}
