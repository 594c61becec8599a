/** Renders scan reports: JSON and NDJSON (DESIGN.md §4), CSV and a terminal table. */
package dev.threatip.report;
