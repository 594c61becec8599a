package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running {@code serve}'s admin API, for commands that cannot open the store while the
 * server holds it: JSON in and out, the admin token as {@code Authorization: Bearer}. An error
 * answer becomes an {@link InputException} with the server's message and status.
 */
final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    AdminClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:8080/}. */
    URI base() {
        return base;
    }

    JsonNode get(String path) throws IOException {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) throws IOException {
        return send("POST", path, body);
    }

    JsonNode delete(String path) throws IOException {
        return send("DELETE", path, null);
    }

    private JsonNode send(String method, String path, JsonNode body) throws IOException {
        URI uri = base.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new InputException(base + ": cannot connect; is threatip serve running there?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " " + uri + " interrupted", e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new InputException(method + " " + uri + ": HTTP " + r.statusCode() + ", not a threatip answer");
        }
        if (r.statusCode() >= 300) {
            String message = answer == null ? null : answer.path("error").path("message").asText(null);
            throw new InputException(base + ": " + (message != null ? message : "HTTP " + r.statusCode())
                    + " (HTTP " + r.statusCode() + ")");
        }
        return answer;
    }
}
