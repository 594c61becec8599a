package dev.threatip.alert;

import dev.threatip.store.AlertOutbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The delivery thread: takes due rows from the outbox, oldest first, hands each to its channel,
 * and records the outcome in the store right after it: {@code delivered} once the channel
 * acknowledged, otherwise a failed attempt due again after the backoff of
 * {@link DeliverySettings#backoffAfter}, or {@code failed} for good when the attempts are used up.
 *
 * <p>A channel that fails is not tried again before that backoff ends, even for its other rows,
 * so an outage costs one timeout per backoff step rather than one per owed message; other
 * channels go on. The thread sleeps until the next row is due (at most a second) or until
 * {@link #wake()} says something was enqueued.
 *
 * <p>At-least-once: a crash between the acknowledgement and the store's update leaves the row
 * pending, and it is sent again after the restart with the same id.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final int BATCH = 100;
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);
    /** Delivered rows are kept this long for the API, then deleted. */
    static final Duration KEEP_DELIVERED = Duration.ofDays(7);

    /** Per-channel delivery counters for {@code /metrics}. */
    record Counters(AtomicLong delivered, AtomicLong retried, AtomicLong failed) {
        Counters() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private final AlertOutbox outbox;
    private final Map<String, Channel> channels;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Consumer<String> log;
    private final Map<String, Instant> blockedUntil = new HashMap<>();
    private final Map<String, Counters> counters = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private volatile boolean closed;
    private Thread thread;
    private Instant lastPurge = Instant.MIN;
    private String lastProblem;

    DeliveryWorker(AlertOutbox outbox, Map<String, Channel> channels, DeliverySettings settings, Clock clock, Consumer<String> log) {
        this.outbox = outbox;
        this.channels = Map.copyOf(channels);
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        channels.keySet().forEach(c -> counters.put(c, new Counters()));
    }

    void start() {
        thread = new Thread(this::loop, "threatip-alert-delivery");
        thread.setDaemon(true);
        thread.start();
    }

    /** Something was enqueued: deliver now rather than at the next tick. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Map<String, Counters> counters() {
        return counters;
    }

    private void loop() {
        while (!closed) {
            int attempted = 0;
            try {
                attempted = deliverDue();
                purge();
                lastProblem = null;
            } catch (RuntimeException e) {
                report("alert delivery: " + e.getMessage());
            }
            if (closed) {
                break;
            }
            if (attempted == 0) {
                await(nextWake());
            }
        }
    }

    /**
     * One pass over the due rows.
     *
     * @return how many were attempted (a row of a channel in backoff is skipped, not attempted)
     */
    int deliverDue() {
        Instant now = clock.instant();
        List<AlertOutbox.Entry> due = outbox.due(now, BATCH);
        int attempted = 0;
        for (AlertOutbox.Entry e : due) {
            if (closed || Thread.currentThread().isInterrupted()) {
                break;
            }
            Instant blocked = blockedUntil.get(e.channel());
            if (blocked != null && now.isBefore(blocked)) {
                continue;
            }
            attempted++;
            deliver(e);
            now = clock.instant();
        }
        return attempted;
    }

    private void deliver(AlertOutbox.Entry e) {
        Channel channel = channels.get(e.channel());
        Counters c = counters.computeIfAbsent(e.channel(), k -> new Counters());
        Alert alert;
        try {
            alert = AlertJson.read(e.payload());
        } catch (RuntimeException bad) {
            outbox.markAttemptFailed(e.id(), "the stored payload cannot be read: " + bad.getMessage(), null);
            c.failed().incrementAndGet();
            return;
        }
        Instant now = clock.instant();
        try {
            if (channel == null) {
                throw new IllegalStateException("no channel named '" + e.channel() + "' is configured (any more)");
            }
            channel.send(new Channel.Outgoing(e.id(), alert, e.payload(), now));
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt(); // closing: the row stays pending and is sent after the restart
            return;
        } catch (Exception failure) {
            Duration backoff = settings.backoffAfter(e.attempts() + 1);
            Instant next = backoff == null ? null : clock.instant().plus(backoff);
            outbox.markAttemptFailed(e.id(), describe(failure), next);
            if (next == null) {
                c.failed().incrementAndGet();
                report("alert " + e.id() + " to " + e.channel() + " failed for good after " + (e.attempts() + 1)
                        + " attempts: " + describe(failure));
            } else {
                c.retried().incrementAndGet();
                blockedUntil.put(e.channel(), next);
            }
            return;
        }
        blockedUntil.remove(e.channel());
        outbox.markDelivered(e.id(), clock.instant());
        c.delivered().incrementAndGet();
    }

    private Instant nextWake() {
        Instant now = clock.instant();
        Instant next = now.plus(IDLE);
        try {
            Optional<Instant> due = outbox.nextDue();
            if (due.isPresent() && due.get().isAfter(now) && due.get().isBefore(next)) {
                next = due.get();
            }
        } catch (RuntimeException e) {
            return next;
        }
        for (Instant b : blockedUntil.values()) {
            if (b.isAfter(now) && b.isBefore(next)) {
                next = b;
            }
        }
        return next;
    }

    private void await(Instant until) {
        lock.lock();
        try {
            long nanos = Duration.between(clock.instant(), until).toNanos();
            while (!woken && !closed && nanos > 0) {
                nanos = signal.awaitNanos(nanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void purge() {
        Instant now = clock.instant();
        if (Duration.between(lastPurge, now).compareTo(PURGE_EVERY) < 0 && lastPurge != Instant.MIN) {
            return;
        }
        lastPurge = now;
        outbox.deleteDeliveredBefore(now.minus(KEEP_DELIVERED));
    }

    private void report(String problem) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            log.accept(problem);
        }
    }

    static String describe(Throwable e) {
        Throwable t = e;
        StringBuilder sb = new StringBuilder();
        while (t != null && sb.length() < 400) {
            String m = t.getMessage();
            String part = t.getClass().getSimpleName() + (m == null ? "" : ": " + AlertText.clean(m));
            if (sb.indexOf(part) < 0) {
                sb.append(sb.length() == 0 ? "" : "; caused by ").append(part);
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return sb.toString();
    }

    /** Stops the thread; a send in progress may finish (at most one timeout), nothing owed is dropped. */
    @Override
    public void close() {
        closed = true;
        wake();
        if (thread != null) {
            try {
                thread.join(settings.timeout().toMillis() + 2000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(TimeUnit.SECONDS.toMillis(2));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
