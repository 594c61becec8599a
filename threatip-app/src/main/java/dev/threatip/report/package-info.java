/**
 * Reports of verdicts and detections: the JSON shapes of DESIGN.md §4 shared by {@code lookup} and
 * {@code scan}, NDJSON, CSV and a terminal table.
 */
package dev.threatip.report;
