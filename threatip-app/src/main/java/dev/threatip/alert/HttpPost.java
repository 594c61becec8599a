package dev.threatip.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST with a deadline, shared by the webhook and Slack channels: a 2xx answer is the
 * acknowledgement; any other status, a redirect included (never followed: the body is signed for
 * the configured URL), is an error naming the status and the start of the answer.
 */
final class HttpPost {
    private static final int MAX_ANSWER = 200;
    private final HttpClient client;
    private final Duration timeout;

    HttpPost(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void post(URI url, Map<String, String> headers, String json) throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers.forEach(rb::setHeader);
        rb.setHeader("Content-Type", "application/json");
        rb.setHeader("User-Agent", "threatip-alerts");
        HttpResponse<String> r = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() / 100 != 2) {
            String body = r.body() == null ? "" : AlertText.clean(r.body());
            throw new IOException("HTTP " + r.statusCode() + " from " + url.getHost()
                    + (body.isBlank() ? "" : ": " + (body.length() > MAX_ANSWER ? body.substring(0, MAX_ANSWER) : body)));
        }
    }
}
