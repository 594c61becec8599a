package dev.threatip.alert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The generic webhook: POSTs the alert JSON (README's payload schema) with
 * {@code X-Threatip-Signature: sha256=HEX} (HMAC-SHA256 of the exact body bytes with the
 * channel's secret), {@code X-Threatip-Timestamp} (epoch seconds, also the body's
 * {@code sent_at}, so the signature covers it: a replayed body is recognisably old) and
 * {@code X-Threatip-Alert-Id} (the outbox id, the same on every retry: receivers dedupe on it).
 */
final class WebhookChannel implements Channel {
    /** The signature header. */
    static final String SIGNATURE = "X-Threatip-Signature";
    /** The timestamp header (epoch seconds). */
    static final String TIMESTAMP = "X-Threatip-Timestamp";
    /** The alert id header. */
    static final String ALERT_ID = "X-Threatip-Alert-Id";

    private final ChannelSpec.Webhook spec;
    private final HttpPost http;

    WebhookChannel(ChannelSpec.Webhook spec, Duration timeout) {
        this.spec = spec;
        this.http = new HttpPost(timeout);
    }

    @Override
    public ChannelSpec spec() {
        return spec;
    }

    @Override
    public void send(Outgoing m) throws Exception {
        long sentAt = m.now().getEpochSecond();
        String body = AlertJson.body(m.id(), sentAt, m.payload());
        Map<String, String> headers = new LinkedHashMap<>(spec.headers());
        headers.put(SIGNATURE, "sha256=" + sign(spec.secret(), body));
        headers.put(TIMESTAMP, Long.toString(sentAt));
        headers.put(ALERT_ID, Long.toString(m.id()));
        http.post(spec.url(), headers, body);
    }

    /** Lower-case hex HMAC-SHA256 of the body's UTF-8 bytes. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
