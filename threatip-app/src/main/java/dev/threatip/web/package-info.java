/**
 * The HTTP side of {@code threatip serve}: the REST API of DESIGN.md §4, bearer-token auth, the
 * dashboard's static files, {@code /healthz} and {@code /metrics}. The entry type is
 * {@link dev.threatip.web.WebServer}; {@link dev.threatip.web.ApiTokens},
 * {@link dev.threatip.web.IngestHandler} and {@link dev.threatip.web.FeedStatusSource} are what
 * {@code serve} wires in. Endpoints, errors and knobs: {@code README.md} next to this file.
 */
package dev.threatip.web;
