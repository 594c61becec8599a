/** Reports of verdicts and detections: the JSON shapes of DESIGN.md §4, shared by {@code lookup} and {@code scan}. */
package dev.threatip.report;
