/**
 * The event store: access events, detections and per-IP profiles in one embedded DuckDB file in
 * the data dir, with a versioned schema, batched durable appends and the queries the REST API
 * answers from. The entry type is {@link dev.threatip.store.EventStore}; the schema and its
 * migrations are package-private. Schema and concurrency model: {@code README.md} next to this file.
 */
package dev.threatip.store;
