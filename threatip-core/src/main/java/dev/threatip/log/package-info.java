/**
 * Access logs: formats and their byte-level parsers, format detection, the real client
 * address behind proxies, and the parallel reader that feeds lines to detection.
 *
 * <p>Entry points: {@link dev.threatip.log.LogInput#expand} turns command-line arguments into
 * inputs; a {@link dev.threatip.log.FormatSelector} picks each input's
 * {@link dev.threatip.log.LogFormat}; {@link dev.threatip.log.ClientIpResolver} finds the client
 * behind trusted proxies; {@link dev.threatip.log.LogReader#read} parses everything on all cores
 * into per-thread {@link dev.threatip.log.EventSink}s and returns a
 * {@link dev.threatip.log.ScanSummary} whose {@code position(lineRef)} turns the sinks' line
 * references into file and line.
 */
package dev.threatip.log;
