/**
 * Ingest: bringing log lines into the running {@code serve}. Two entry types hand complete lines
 * to a {@link dev.threatip.ingest.LineBatchConsumer} in acknowledged batches:
 * {@link dev.threatip.ingest.FileTailer} follows files and globs across rotation and restarts;
 * {@link dev.threatip.ingest.SyslogReceiver} receives syslog over UDP and TCP (RFC 3164, RFC 5424,
 * RFC 6587 framing). The per-file reader, the position store, the syslog parser and framer and
 * the delivery queue behind them are package-private.
 */
package dev.threatip.ingest;
