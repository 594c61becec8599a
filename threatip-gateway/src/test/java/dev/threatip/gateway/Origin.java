package dev.threatip.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real origin on loopback (the JDK's HTTP server) that the gateway proxies to in tests:
 * {@code /echo} answers the SHA-256 and length of the body it received, {@code /bytes?n=N} streams
 * N deterministic bytes chunked, anything else answers {@code hello from the origin}. It records
 * every request's headers and the client ports it saw (to count kept-alive connections).
 */
final class Origin implements AutoCloseable {
    record Seen(String method, String path, Headers headers) {
    }

    final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    final AtomicInteger requests = new AtomicInteger();

    Origin() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        ports.add(x.getRemoteAddress().getPort());
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getPath(), x.getRequestHeaders()));
        String path = x.getRequestURI().getPath();
        try (InputStream in = x.getRequestBody(); OutputStream out = x.getResponseBody()) {
            if (path.equals("/echo")) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[65536];
                long n = 0;
                int r;
                while ((r = in.read(buf)) > 0) {
                    md.update(buf, 0, r);
                    n += r;
                }
                byte[] body = (n + " " + HexFormat.of().formatHex(md.digest())).getBytes(StandardCharsets.UTF_8);
                x.sendResponseHeaders(200, body.length);
                out.write(body);
            } else if (path.equals("/bytes")) {
                in.readAllBytes();
                long n = Long.parseLong(x.getRequestURI().getQuery().substring(2));
                x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                x.sendResponseHeaders(200, 0); // chunked
                byte[] block = pattern(65536);
                for (long left = n; left > 0; left -= block.length) {
                    out.write(block, 0, (int) Math.min(block.length, left));
                }
            } else {
                in.readAllBytes();
                byte[] body = "hello from the origin\n".getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "text/plain");
                x.sendResponseHeaders(200, body.length);
                out.write(body);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    /** The bytes {@code /bytes} sends, repeating. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    Seen last() {
        return seen.get(seen.size() - 1);
    }

    Map<String, List<String>> lastHeaders() {
        return last().headers();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
