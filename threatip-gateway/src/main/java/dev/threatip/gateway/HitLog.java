package dev.threatip.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every hit (a request a rule decided, except plain allows) to a file as one JSON line,
 * in the member names {@code serve}'s JSON-lines format reads ({@code time}, {@code client_ip},
 * {@code method}, {@code host}, {@code path}, {@code query}, {@code status}, {@code user_agent}),
 * plus the decision: {@code rule}, {@code category}, {@code confidence}, {@code action},
 * {@code enforced} (false when the policy's monitor mode passed a block or challenge to the origin),
 * {@code request_id}, {@code verdict}, {@code shared}. So {@code threatip serve --watch gate-hits.log}
 * ingests it like any access log.
 *
 * <p>Event-loop threads never wait on the disk: a hit goes into a bounded queue and one writer
 * thread appends batches. When the queue is full the hit is dropped and counted
 * ({@link #dropped()}), never blocking traffic.
 */
final class HitLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HitLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int QUEUE = 65_536;

    /** One hit, as logged. */
    record Hit(long timeMillis, String clientIp, String method, String host, String path, String query, int status,
               String userAgent, String rule, String category, String confidence, String action, boolean enforced,
               String requestId, String verdict, boolean shared) {
    }

    private final Path file;
    private final BlockingQueue<Hit> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    HitLog(Path file) throws IOException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // fail at start, not at the first hit
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        writer = new Thread(this::drain, "threatip-gate-hitlog");
        writer.setDaemon(true);
        writer.start();
    }

    void record(Hit hit) {
        if (closed || !queue.offer(hit)) {
            dropped.incrementAndGet();
        }
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<Hit> batch = new ArrayList<>();
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (!closed || !queue.isEmpty()) {
                Hit first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                buf.reset();
                for (Hit h : batch) {
                    write(buf, h);
                }
                out.write(buf.toByteArray());
                out.flush();
                written.addAndGet(batch.size());
                batch.clear();
            }
        } catch (IOException e) {
            LOG.error("cannot append to the hit log {}: {}; hits are dropped from now on", file, e.getMessage());
            closed = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void write(OutputStream out, Hit h) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("time", java.time.Instant.ofEpochMilli(h.timeMillis()).toString());
            g.writeStringField("client_ip", h.clientIp());
            g.writeStringField("method", h.method());
            g.writeStringField("host", h.host());
            g.writeStringField("path", h.path());
            if (h.query() != null && !h.query().isEmpty()) {
                g.writeStringField("query", h.query());
            }
            g.writeNumberField("status", h.status());
            g.writeStringField("user_agent", h.userAgent());
            g.writeStringField("rule", h.rule());
            if (h.category() != null) {
                g.writeStringField("category", h.category());
                g.writeStringField("confidence", h.confidence());
            }
            g.writeStringField("action", h.action());
            g.writeBooleanField("enforced", h.enforced());
            g.writeStringField("request_id", h.requestId());
            g.writeStringField("verdict", h.verdict());
            if (h.shared()) {
                g.writeBooleanField("shared", true);
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
