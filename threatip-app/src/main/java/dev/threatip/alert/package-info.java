/**
 * Alerting: policies over the flagged IPs of each pipeline flush, grouping and suppression, a
 * durable outbox in the store, and delivery to webhooks (HMAC-signed), Slack, SMTP and syslog
 * with retries. The entry point is {@link dev.threatip.alert.Alerts}; configuration is
 * {@link dev.threatip.alert.AlertSettings}. See README.md.
 */
package dev.threatip.alert;
