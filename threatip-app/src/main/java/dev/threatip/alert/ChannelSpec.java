package dev.threatip.alert;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A channel of {@code threatip.yaml}'s {@code alerts.channels}, by its {@code type}. Secrets
 * (webhook secret, SMTP password) never appear in {@code toString()}.
 */
public sealed interface ChannelSpec {
    /** The channel's name (its key in the config). */
    String name();

    /** The {@code type} value: webhook, slack, smtp or syslog. */
    String type();

    /**
     * A generic JSON webhook, signed with HMAC-SHA256.
     *
     * @param url     where to POST (http or https)
     * @param secret  the HMAC key of {@code X-Threatip-Signature}
     * @param headers extra request headers
     */
    record Webhook(String name, URI url, String secret, Map<String, String> headers) implements ChannelSpec {
        public Webhook {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        @Override
        public String type() {
            return "webhook";
        }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + url + ", secret=(hidden), headers=" + headers.keySet() + "]";
        }
    }

    /**
     * A Slack-compatible incoming webhook ({@code {"text": ..., "blocks": [...]}}).
     *
     * @param url the incoming-webhook URL (it is the credential; hidden from {@code toString()})
     */
    record Slack(String name, URI url) implements ChannelSpec {
        public Slack {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String type() {
            return "slack";
        }

        @Override
        public String toString() {
            return "Slack[name=" + name + ", host=" + url.getHost() + "]";
        }
    }

    /**
     * E-mail over SMTP: multipart text and HTML.
     *
     * @param host         the mail server
     * @param port         its port (587 for submission with STARTTLS, 25 for relay)
     * @param starttls     require STARTTLS before anything else is sent (refuse a server that does not offer it)
     * @param username     the login, or null for none
     * @param passwordFile the file holding the password (first line), or null without a login
     * @param from         the sender address
     * @param to           the recipients, at least one
     */
    record Smtp(String name, String host, int port, boolean starttls, String username, Path passwordFile, String from,
                List<String> to) implements ChannelSpec {
        public Smtp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(from, "from");
            to = List.copyOf(to);
            if (to.isEmpty()) {
                throw new IllegalArgumentException("an smtp channel needs at least one recipient");
            }
        }

        @Override
        public String type() {
            return "smtp";
        }
    }

    /** Syslog transports. */
    enum Transport { UDP, TCP }

    /**
     * RFC 5424 syslog: one datagram per message over UDP, octet counting over TCP.
     *
     * @param host      the collector
     * @param port      its port
     * @param transport UDP or TCP
     */
    record Syslog(String name, String host, int port, Transport transport) implements ChannelSpec {
        public Syslog {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(transport, "transport");
        }

        @Override
        public String type() {
            return "syslog";
        }
    }
}
