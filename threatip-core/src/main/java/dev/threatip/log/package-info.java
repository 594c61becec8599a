/**
 * Access logs: formats and their byte-level parsers, format detection, the real client
 * address behind proxies, and the parallel reader that feeds lines to detection.
 */
package dev.threatip.log;
