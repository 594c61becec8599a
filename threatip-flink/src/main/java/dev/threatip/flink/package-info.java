/**
 * The scale-out job: threatip's core on Apache Flink, reading access-log lines from Kafka or files
 * and writing one DESIGN.md §4 verdict per IP, again whenever it strengthens, to Kafka (exactly
 * once) and optionally to files. {@link dev.threatip.flink.ThreatipJob} is the entry point; see
 * {@code threatip-flink/README.md}.
 */
package dev.threatip.flink;
