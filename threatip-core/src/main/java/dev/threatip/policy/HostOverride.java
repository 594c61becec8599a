package dev.threatip.policy;

import java.util.List;

/** The matrix overrides of one host pattern, with its own path-prefix overrides (longest prefix first). */
record HostOverride(HostPattern host, MatrixLayer layer, List<PathOverride> paths) {
    HostOverride {
        paths = List.copyOf(paths);
    }
}
