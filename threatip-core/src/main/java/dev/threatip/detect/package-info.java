/**
 * Detection: what the read lines say about each client. Behaviour rules over access-log events
 * are compiled once from YAML, counted in event-time windows per IP, per IP and host, per
 * endpoint or per site, and merged with intel into one explained verdict. Entry points:
 * {@link dev.threatip.detect.Detector}, {@link dev.threatip.detect.DetectionState} (one per
 * reader thread, an {@link dev.threatip.log.EventSink}), {@link dev.threatip.detect.VerdictMerger},
 * and {@link dev.threatip.detect.ThreatScan}, which matches every event against the reputation
 * index and profiles flagged clients into a {@link dev.threatip.detect.ScanReport}. Rule files
 * are described in this package's {@code README.md}.
 */
package dev.threatip.detect;
