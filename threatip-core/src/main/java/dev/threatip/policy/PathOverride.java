package dev.threatip.policy;

/** The matrix overrides of one path prefix (matched against the normalised path). */
record PathOverride(String prefix, MatrixLayer layer) {
}
