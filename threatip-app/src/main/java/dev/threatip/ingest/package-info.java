/**
 * Ingest: bringing log lines into the running {@code serve}. The entry type is
 * {@link dev.threatip.ingest.FileTailer}, which follows files and globs across rotation and
 * restarts and hands complete lines to a {@link dev.threatip.ingest.LineBatchConsumer}; the
 * per-file reader and the position store behind it are package-private.
 */
package dev.threatip.ingest;
