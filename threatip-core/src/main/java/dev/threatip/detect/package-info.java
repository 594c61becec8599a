/**
 * Detection: what the read lines say about each client. {@link dev.threatip.detect.IntelScan}
 * matches every event against the reputation index and profiles the flagged clients into a
 * {@link dev.threatip.detect.ScanReport}; behaviour rules join here as the {@code Detector}.
 */
package dev.threatip.detect;
