package dev.threatip.alert;

import java.time.Instant;

/**
 * Delivers alert messages to one configured channel. {@link #send} returns only when the
 * receiver acknowledged the message (an HTTP 2xx, an SMTP 250 after DATA, a syslog message
 * written out); anything else throws, and the outbox retries.
 */
interface Channel {
    /** What the channel was built from. */
    ChannelSpec spec();

    /**
     * Sends one message.
     *
     * @throws Exception why it was not acknowledged (the message goes into the outbox's {@code last_error})
     */
    void send(Outgoing message) throws Exception;

    /**
     * One message as a channel sends it.
     *
     * @param id      the outbox id: {@code X-Threatip-Alert-Id}, the e-mail's {@code Message-ID}, syslog's {@code id}
     * @param alert   the alert
     * @param payload the alert as stored (the webhook body without {@code id}, {@code sent_at})
     * @param now     when this attempt is made
     */
    record Outgoing(long id, Alert alert, String payload, Instant now) {
    }

    /** The channel for {@code spec}; {@code settings} gives the per-attempt timeout. */
    static Channel of(ChannelSpec spec, DeliverySettings settings) {
        if (spec instanceof ChannelSpec.Webhook w) {
            return new WebhookChannel(w, settings.timeout());
        }
        if (spec instanceof ChannelSpec.Slack s) {
            return new SlackChannel(s, settings.timeout());
        }
        if (spec instanceof ChannelSpec.Smtp m) {
            return new SmtpChannel(m, settings.timeout());
        }
        return new SyslogChannel((ChannelSpec.Syslog) spec, settings.timeout());
    }
}
