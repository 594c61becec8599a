package dev.threatip.alert;

import java.time.Duration;
import java.util.Map;

/**
 * A Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat accept the shape):
 * {@code {"text": ..., "blocks": [...]}} rendered by {@link AlertText#slack}.
 */
final class SlackChannel implements Channel {
    private final ChannelSpec.Slack spec;
    private final HttpPost http;

    SlackChannel(ChannelSpec.Slack spec, Duration timeout) {
        this.spec = spec;
        this.http = new HttpPost(timeout);
    }

    @Override
    public ChannelSpec spec() {
        return spec;
    }

    @Override
    public void send(Outgoing m) throws Exception {
        http.post(spec.url(), Map.of(WebhookChannel.ALERT_ID, Long.toString(m.id())),
                AlertJson.MAPPER.writeValueAsString(AlertText.slack(m.alert())));
    }
}
