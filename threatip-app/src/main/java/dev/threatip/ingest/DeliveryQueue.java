package dev.threatip.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two bounded lanes between the socket readers and the delivery thread.
 *
 * <p>The UDP lane never blocks: a datagram that does not fit (by count or by bytes) is refused
 * and the reader counts it as dropped — UDP has no way to slow the sender. The TCP lane blocks the
 * reader until there is room, so a slow consumer stops the reading and TCP flow control reaches
 * the sender. Both are FIFO; {@link #takeBatch} alternates between them so neither starves.
 *
 * <p>A lane always accepts a message when it is empty, whatever its size, so a message larger than
 * the byte budget still gets through.
 */
final class DeliveryQueue {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition tcpRoom = lock.newCondition();
    private final ArrayDeque<byte[]> udp = new ArrayDeque<>();
    private final ArrayDeque<byte[]> tcp = new ArrayDeque<>();
    private final int udpMaxMessages;
    private final long udpMaxBytes;
    private final int tcpMaxMessages;
    private final int batchTrigger;
    private long udpBytes;
    /** Messages handed out by the last {@link #takeBatch} and not yet acknowledged. */
    private int inFlight;
    private boolean inputClosed;
    private boolean aborted;

    DeliveryQueue(int udpMaxMessages, long udpMaxBytes, int tcpMaxMessages, int batchTrigger) {
        this.udpMaxMessages = udpMaxMessages;
        this.udpMaxBytes = udpMaxBytes;
        this.tcpMaxMessages = tcpMaxMessages;
        this.batchTrigger = batchTrigger;
    }

    /** Queues a datagram's message unless the UDP lane is full or input is closed. */
    boolean offerUdp(byte[] message) {
        lock.lock();
        try {
            if (inputClosed || aborted) {
                return false;
            }
            if (!udp.isEmpty() && (udp.size() >= udpMaxMessages || udpBytes + message.length > udpMaxBytes)) {
                return false;
            }
            udp.addLast(message);
            udpBytes += message.length;
            signalIfReady();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a TCP message, waiting while the TCP lane is full.
     *
     * @return false if the queue was aborted (the receiver is closing and gave up waiting)
     */
    boolean putTcp(byte[] message) throws InterruptedException {
        lock.lock();
        try {
            while (!aborted && tcp.size() >= tcpMaxMessages) {
                tcpRoom.await();
            }
            if (aborted) {
                return false;
            }
            tcp.addLast(message);
            signalIfReady();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for at least one message, then up to {@code flushNanos} for {@code max} of them.
     *
     * @return the batch; empty once input is closed and the lanes are drained, or after an abort
     */
    List<byte[]> takeBatch(int max, long flushNanos) throws InterruptedException {
        lock.lock();
        try {
            while (size() == 0 && !inputClosed && !aborted) {
                ready.await();
            }
            long deadline = System.nanoTime() + flushNanos;
            while (size() < max && !inputClosed && !aborted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                ready.awaitNanos(left);
            }
            if (aborted) {
                return List.of();
            }
            int n = Math.min(max, size());
            inFlight = n;
            List<byte[]> batch = new ArrayList<>(n);
            while (batch.size() < n) {
                if (!udp.isEmpty()) {
                    byte[] m = udp.pollFirst();
                    udpBytes -= m.length;
                    batch.add(m);
                }
                if (!tcp.isEmpty() && batch.size() < n) {
                    batch.add(tcp.pollFirst());
                }
            }
            if (n > 0) {
                tcpRoom.signalAll();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** The batch from the last {@link #takeBatch} was delivered or given up on. */
    void batchDone() {
        lock.lock();
        try {
            inFlight = 0;
        } finally {
            lock.unlock();
        }
    }

    /** No more input will come: {@link #takeBatch} returns what is left, then an empty batch. */
    void closeInput() {
        lock.lock();
        try {
            inputClosed = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up: blocked and later puts fail, takes return empty.
     *
     * @return how many queued messages were discarded
     */
    int abort() {
        lock.lock();
        try {
            aborted = true;
            int discarded = size();
            udp.clear();
            tcp.clear();
            udpBytes = 0;
            ready.signalAll();
            tcpRoom.signalAll();
            return discarded;
        } finally {
            lock.unlock();
        }
    }

    boolean aborted() {
        lock.lock();
        try {
            return aborted;
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} unless aborted first; for retry back-off. */
    void sleepUnlessAborted(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (!aborted && left > 0) {
                left = ready.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Messages queued plus those of the batch being delivered. */
    int pending() {
        lock.lock();
        try {
            return size() + inFlight;
        } finally {
            lock.unlock();
        }
    }

    private int size() {
        return udp.size() + tcp.size();
    }

    /** Wakes the delivery thread when a batch can start or is full, not on every message. */
    private void signalIfReady() {
        int size = size();
        if (size == 1 || size >= batchTrigger) {
            ready.signal();
        }
    }
}
