package dev.threatip.flink;

import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intel snapshot of each task manager: one memory-mapped {@link LiveReputation} per path and
 * JVM, shared by every task slot that asks for it (the operating system shares the mapped pages
 * anyway; sharing the index also shares its verdict tables). A daemon thread looks at the file
 * every interval and, when its size, modification time or identity changed (a new version moved
 * into place), opens it and swaps it in atomically; lookups never wait. A version that fails to
 * open keeps the last good one, as {@code serve} does. The last holder to {@link Handle#close}
 * stops the watch.
 */
final class IntelSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(IntelSnapshots.class);
    private static final Map<Path, Shared> OPEN = new HashMap<>();

    private IntelSnapshots() {
    }

    /** A task's use of a shared snapshot. */
    interface Handle extends AutoCloseable {
        /** The verdict from the current version; never null, allocation-free. */
        Verdict lookup(long hi, long lo);

        /** Versions swapped in since the first was opened in this JVM. */
        long reloads();

        /** When the current version was compiled. */
        Instant compiledAt();

        @Override
        void close();
    }

    /**
     * Opens (or joins) the snapshot at {@code path}, checked for new versions every {@code checkEvery}.
     *
     * @throws IOException when the first version cannot be opened
     */
    static synchronized Handle acquire(Path path, Duration checkEvery) throws IOException {
        Path key = path.toAbsolutePath().normalize();
        Shared s = OPEN.get(key);
        if (s == null) {
            s = new Shared(key, checkEvery);
            OPEN.put(key, s);
        }
        s.holders++;
        Shared shared = s;
        return new Handle() {
            private boolean closed;

            @Override
            public Verdict lookup(long hi, long lo) {
                return shared.live.current().lookup(hi, lo);
            }

            @Override
            public long reloads() {
                return shared.reloads.get();
            }

            @Override
            public Instant compiledAt() {
                return shared.live.current().compiledAt();
            }

            @Override
            public void close() {
                synchronized (IntelSnapshots.class) {
                    if (!closed) {
                        closed = true;
                        release(key, shared);
                    }
                }
            }
        };
    }

    private static void release(Path key, Shared s) {
        if (--s.holders == 0) {
            s.watch.shutdownNow();
            OPEN.remove(key);
        }
    }

    /** One path's live index and its watch. */
    private static final class Shared {
        final Path path;
        final LiveReputation live;
        final ScheduledExecutorService watch;
        final AtomicLong reloads = new AtomicLong();
        int holders;
        private Object version;

        Shared(Path path, Duration checkEvery) throws IOException {
            this.path = path;
            this.version = version(path);
            this.live = LiveReputation.open(path, ReputationIndex.OpenOptions.defaults());
            this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "threatip-intel-watch " + path.getFileName());
                t.setDaemon(true);
                return t;
            });
            long ms = checkEvery.toMillis();
            watch.scheduleWithFixedDelay(this::check, ms, ms, TimeUnit.MILLISECONDS);
            LOG.info("intel snapshot {} compiled {}", path, live.current().compiledAt());
        }

        private void check() {
            try {
                Object now = version(path);
                if (Objects.equals(now, version)) {
                    return;
                }
                LiveReputation.Refresh r = live.refresh(path);
                version = now;
                if (r.succeeded()) {
                    reloads.incrementAndGet();
                    LOG.info("intel snapshot {} reloaded: compiled {}", path, live.current().compiledAt());
                } else {
                    LOG.warn("intel snapshot {} not reloaded, keeping the last good one: {}", path, r.problem());
                }
            } catch (IOException | RuntimeException e) {
                // a missing file mid-replace: try again at the next check, keep serving the last good one
                LOG.debug("intel snapshot {} not readable now: {}", path, e.toString());
            }
        }

        /** What identifies a version on disk: file identity, size and modification time. */
        private static Object version(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return java.util.Arrays.asList(a.fileKey(), a.size(), a.lastModifiedTime());
        }
    }
}
