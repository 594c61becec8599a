package dev.threatip.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --intel FILE}: the snapshot to read; default {@code $THREATIP_INTEL}, else {@code ./intel.tis}. */
final class IntelOption {
    @Option(names = "--intel", paramLabel = "FILE",
            description = "The intel snapshot (default: $THREATIP_INTEL, else ./intel.tis).")
    Path intel;

    Path path() {
        if (intel != null) {
            return intel;
        }
        String env = System.getenv("THREATIP_INTEL");
        return Path.of(env != null && !env.isBlank() ? env : "intel.tis");
    }

    boolean given() {
        return intel != null;
    }
}
