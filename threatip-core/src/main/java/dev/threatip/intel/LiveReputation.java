package dev.threatip.intel;

import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reputation index a long-running process serves from: lookups go to the current snapshot,
 * and {@link #refresh} swaps in a new one atomically while lookups run. A refresh that fails
 * (a missing, truncated or corrupt file) keeps the last good snapshot and records the failure,
 * as threat-intel adapters must: a bad download may never blind the detector.
 *
 * <p>The old index is not closed: its mapped memory is released by the garbage collector once
 * no lookup holds it, so a lookup racing a swap can never touch unmapped memory.
 */
public final class LiveReputation {
    /**
     * The outcome of the latest refresh.
     *
     * @param at      when it was attempted
     * @param path    the snapshot it tried
     * @param problem why it failed, or null when it succeeded
     */
    public record Refresh(Instant at, Path path, String problem) {
        /** Whether the refresh swapped a new snapshot in. */
        public boolean succeeded() {
            return problem == null;
        }
    }

    private final AtomicReference<ReputationIndex> current;
    private final ReputationIndex.OpenOptions options;
    private final Clock clock;
    private volatile Refresh lastRefresh;

    private LiveReputation(ReputationIndex first, ReputationIndex.OpenOptions options) {
        this.current = new AtomicReference<>(first);
        this.options = options;
        this.clock = options.clock();
        this.lastRefresh = new Refresh(clock.instant(), first.path(), null);
    }

    /**
     * Opens the first snapshot; unlike a refresh, a bad first snapshot is an error.
     *
     * @throws InvalidSnapshotException when it is missing, truncated or corrupt
     */
    public static LiveReputation open(Path snapshot, ReputationIndex.OpenOptions options) throws IOException {
        return new LiveReputation(ReputationIndex.open(snapshot, options), options);
    }

    /** The snapshot lookups use now. */
    public ReputationIndex current() {
        return current.get();
    }

    /** The verdict from the current snapshot; never null, allocation-free. */
    public Verdict lookup(IpAddress address) {
        return current.get().lookup(address);
    }

    /** The verdict from the current snapshot for an IPv4 address; allocation-free. */
    public Verdict lookupIpv4(int address) {
        return current.get().lookupIpv4(address);
    }

    /**
     * Opens {@code snapshot} and, when it is valid, makes it current. When it is not, the
     * current snapshot stays and the returned refresh says why.
     */
    public Refresh refresh(Path snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        Refresh r;
        try {
            ReputationIndex next = ReputationIndex.open(snapshot, options);
            current.set(next);
            r = new Refresh(clock.instant(), snapshot, null);
        } catch (InvalidSnapshotException | IOException | UncheckedIOException e) {
            r = new Refresh(clock.instant(), snapshot, e.getMessage());
        }
        lastRefresh = r;
        return r;
    }

    /** The latest refresh, successful or not. */
    public Refresh lastRefresh() {
        return lastRefresh;
    }
}
