package dev.threatip.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * A real HTTP receiver on loopback (the JDK's HttpServer) recording every POST with its headers
 * and body. Answers 200 unless statuses were queued ({@link #answer}); {@link #stop()} and
 * {@link #restart()} on the same port simulate an outage.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    record Request(String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final List<Request> received = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final int port;
    private HttpServer server;

    WebhookReceiver() throws IOException {
        this(0);
    }

    private WebhookReceiver(int port) throws IOException {
        server = listen(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer listen(int p) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 0);
        s.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                Integer status = statuses.poll();
                int code = status == null ? 200 : status;
                if (code / 100 == 2) {
                    received.add(new Request(exchange.getRequestURI().getPath(), headers, body));
                }
                byte[] answer = (code / 100 == 2 ? "ok" : "upstream trouble").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(code, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        s.start();
        return s;
    }

    /** The next requests are answered with these statuses, in order (then 200 again). */
    void answer(Integer... codes) {
        statuses.addAll(List.of(codes));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Requests answered 2xx so far. */
    List<Request> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Waits until the acknowledged requests satisfy {@code until}. */
    List<Request> await(Predicate<List<Request>> until, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            List<Request> now = received();
            if (until.test(now)) {
                return now;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the receiver never got there; received " + received());
    }

    /** Stops listening: connections are refused until {@link #restart()}. */
    void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    void restart() throws IOException {
        server = listen(port);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
