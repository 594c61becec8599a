package dev.threatip.gateway;

import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * <p>Event-loop threads never wait on the disk, a lock or the writer: {@link #record} puts the
 * hit (fields the request already holds, the time in milliseconds) on a lock-free bounded queue
 * and wakes the writer only when it sleeps idle. The writer encodes ({@link HitLine}) and appends
 * what has gathered, then lingers {@value #LINGER_MILLIS} ms so that under load it wakes about
 * that often with a batch, not once per hit, on a core it shares with the event loops. When the
 * queue holds {@code capacity} hits the next is dropped and counted ({@link #dropped()}), never
 * blocking traffic. {@link #close()} writes everything queued before it.
 */
final class HitLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HitLog.class);
    static final int CAPACITY = 65_536;
    static final long LINGER_MILLIS = 10;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int BATCH = 4096;

    /** One hit, as logged. */
    record Hit(long timeMillis, IpAddress client, String method, String host, String path, String query, int status,
               String userAgent, String rule, String category, String confidence, String action, boolean enforced,
               String requestId, String verdict, boolean shared) {
    }

    private final Path file;
    private final int capacity;
    private final ConcurrentLinkedQueue<Hit> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private boolean failed; // the writer thread's

    HitLog(Path file) throws IOException {
        this(file, CAPACITY);
    }

    /** A hit log whose queue holds at most {@code capacity} hits not yet written. */
    HitLog(Path file, int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("the hit log's queue capacity must be at least 1, not " + capacity);
        }
        this.file = file;
        this.capacity = capacity;
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

    /** Queues a hit for the writer; drops and counts it when the queue is full or the log closed. */
    void record(Hit hit) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(hit);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
    }

    long written() {
        return written.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void drain() {
        HitLine line = new HitLine();
        OutputStream out = null;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            fail(e);
        }
        while (true) {
            int n = 0;
            line.reset();
            Hit h;
            while (n < BATCH && (h = queue.poll()) != null) {
                line.append(h);
                n++;
            }
            if (n > 0) {
                if (!failed) {
                    try {
                        out.write(line.bytes(), 0, line.length());
                        written.addAndGet(n);
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                    }
                }
                if (failed) {
                    dropped.addAndGet(n);
                }
                queued.addAndGet(-n);
                if (n < BATCH && !closed) {
                    LockSupport.parkNanos(this, LINGER_NANOS); // let the next batch gather
                }
                continue;
            }
            if (closed) {
                break;
            }
            sleeping.set(true);
            if (queue.isEmpty() && !closed) { // a hit queued before the flag was seen is caught here
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
            sleeping.set(false);
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("cannot close the hit log {}: {}", file, e.toString());
            }
        }
    }

    /** The file cannot be written: from now on hits are counted as dropped (the writer keeps draining). */
    private void fail(Exception e) {
        if (!failed) {
            failed = true;
            LOG.error("cannot append to the hit log {}: {}; hits are dropped and counted from now on", file, e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            while (queue.poll() != null) { // queued while closing, after the writer's last look
                dropped.incrementAndGet();
            }
        }
    }
}
