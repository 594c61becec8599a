package dev.threatip.policy;

import dev.threatip.net.IpAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address (the classic rate limiter: {@code burst} tokens, refilled at
 * {@code requests} per {@code per}); a request takes one token, and a client whose bucket is
 * empty is over the rate. Buckets live in a concurrent map capped at {@code maxClients}: when it
 * is full, buckets that have refilled completely (idle clients) are swept out, and if that frees
 * nothing the map is cleared — forgetting counts errs towards letting clients through, never
 * towards unbounded memory. Evictions are counted. Each bucket is updated under its own lock,
 * so clients never contend with each other.
 */
final class RateLimit {
    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final double perNanos; // tokens per nanosecond
    private final double burst;
    private final int maxClients;
    private final LongSupplier ticker;
    private final ConcurrentHashMap<IpAddress, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong evicted = new AtomicLong();
    final String text;

    RateLimit(long requests, long perNanos, long burst, int maxClients, LongSupplier ticker, String text) {
        this.perNanos = (double) requests / perNanos;
        this.burst = burst;
        this.maxClients = maxClients;
        this.ticker = ticker;
        this.text = text;
    }

    /** Takes a token for {@code client}; true when none was left (the client is over the rate). */
    boolean exceeded(IpAddress client) {
        long now = ticker.getAsLong();
        Bucket b = buckets.get(client);
        if (b == null) {
            if (buckets.size() >= maxClients) {
                sweep(now);
            }
            b = buckets.computeIfAbsent(client, k -> new Bucket(burst, now));
        }
        synchronized (b) {
            double t = Math.min(burst, b.tokens + Math.max(0, now - b.at) * perNanos);
            b.at = now;
            if (t < 1) {
                b.tokens = t;
                return true;
            }
            b.tokens = t - 1;
            return false;
        }
    }

    private void sweep(long now) {
        synchronized (this) {
            if (buckets.size() < maxClients) {
                return;
            }
            int before = buckets.size();
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return b.tokens + Math.max(0, now - b.at) * perNanos >= burst;
                }
            });
            if (buckets.size() >= maxClients) {
                buckets.clear();
            }
            evicted.addAndGet(before - buckets.size());
        }
    }

    /** Buckets dropped to stay under the cap. */
    long evicted() {
        return evicted.get();
    }

    /** Clients tracked now. */
    int clients() {
        return buckets.size();
    }
}
