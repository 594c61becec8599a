package dev.threatip.ingest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows log files like {@code tail -F}, across rotation and restarts, and hands their complete
 * lines to a {@link LineBatchConsumer} in acknowledged batches.
 *
 * <pre>{@code
 * try (FileTailer tailer = FileTailer.builder((source, lines, first) -> store.append(source, lines))
 *         .follow("/var/log/nginx/access.log")
 *         .follow("/var/log/apps/*.log")
 *         .stateDir(dataDir.resolve("tail"))
 *         .build()) {
 *     tailer.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>One thread polls every file each {@code pollInterval}: it compares the path's file key with
 * the open file's (rename rotation, delete and recreate), checks size and fingerprint against the
 * acknowledged offset (copytruncate), reads complete lines from that offset and calls the
 * consumer synchronously — no queue, so a slow consumer slows the reading (back-pressure). After
 * each acknowledged batch the position is persisted atomically, so a restart resumes exactly
 * there. Errors (unreadable file, consumer failure, state write) go to the {@link ErrorListener}
 * and are retried on the next poll; they never stop the thread. See {@code README.md} in this
 * package for the policies and their limits.
 */
public final class FileTailer implements AutoCloseable {

    /** Where to start in a file that exists at {@link #start()} and has no saved position. */
    public enum StartPosition {
        /** After its last complete line, like {@code tail -F} (the default). */
        END,
        /** At its first byte. */
        BEGINNING
    }

    /** Receives errors; called on the tailer thread, must not block for long. */
    @FunctionalInterface
    public interface ErrorListener {
        /** @param source the file concerned, or {@code "*"} for the tailer as a whole */
        void onError(String source, Exception error);
    }

    /**
     * Counters of one followed file, for metrics.
     *
     * @param bytesBehind size of the open file minus the acknowledged offset: the ingest lag in bytes
     * @param lastError the message of the last error on this file, or null
     */
    public record SourceStats(String source, long linesRead, long linesSkipped, long offset,
            long size, long bytesBehind, long rotations, long truncations, long errors,
            String lastError) {}

    private static final String ANY = "*";

    private final LineBatchConsumer consumer;
    private final ErrorListener errorListener;
    private final List<String> literalPaths;
    private final List<Glob> globs;
    private final PositionStore store;
    private final Clock clock;
    private final long pollMillis;
    private final long rescanMillis;
    private final long partialFlushMillis;
    private final long rotationGraceMillis;
    private final int batchLines;
    private final long batchBytes;
    private final int maxLineBytes;
    private final StartPosition startPosition;
    private final byte[] buf;

    private final Map<String, TailedFile> files = new LinkedHashMap<>();
    private final Map<String, TailedFile> published = new ConcurrentHashMap<>();
    private final Map<String, PositionStore.Position> savedUnopened = new TreeMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String lastError;
    private volatile Thread thread;
    private long lastRescanMillis;
    private boolean stateDirty;

    private record Glob(Path dir, String pattern) {}

    private FileTailer(Builder b) {
        this.consumer = b.consumer;
        this.errorListener = b.errorListener;
        this.literalPaths = List.copyOf(b.literals);
        this.globs = List.copyOf(b.globs);
        this.store = new PositionStore(b.stateDir);
        this.clock = b.clock;
        this.pollMillis = b.pollInterval.toMillis();
        this.rescanMillis = b.rescanInterval.toMillis();
        this.partialFlushMillis = b.partialLineFlush.toMillis();
        this.rotationGraceMillis = b.rotationGrace.toMillis();
        this.batchLines = b.batchLines;
        this.batchBytes = b.batchBytes;
        this.maxLineBytes = b.maxLineBytes;
        this.startPosition = b.startPosition;
        this.buf = new byte[Math.max(64 * 1024, maxLineBytes + 1)];
    }

    public static Builder builder(LineBatchConsumer consumer) {
        return new Builder(consumer);
    }

    /**
     * Loads the saved positions, opens the files that exist now (so lines appended after this
     * returns are never taken for old content) and starts the polling thread.
     *
     * @throws IOException if the state file exists but cannot be read: refusing to start beats
     *     silently re-reading or skipping everything
     */
    public synchronized void start() throws IOException {
        if (thread != null) {
            throw new IllegalStateException("tailer already started");
        }
        savedUnopened.putAll(store.load());
        for (String p : literalPaths) {
            track(p, false);
        }
        rescanGlobs();
        for (TailedFile f : List.copyOf(files.values())) {
            pollGuarded(f, startPosition);
        }
        saveIfDirty();
        Thread t = new Thread(this::run, "threatip-tail");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops polling after the batch in flight (if any) and waits for the thread to end. */
    @Override
    public void close() {
        stop.countDown();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The counters of every followed file, by source name. */
    public Map<String, SourceStats> stats() {
        Map<String, SourceStats> out = new TreeMap<>();
        for (TailedFile f : published.values()) {
            long offset = f.offset;
            long size = f.size;
            out.put(f.name, new SourceStats(f.name, f.linesRead, f.linesSkipped, offset, size,
                    Math.max(0, size - offset), f.rotations, f.truncations, f.errors, f.lastError));
        }
        return out;
    }

    /** The last error reported on any source, or null. */
    public String lastError() {
        return lastError;
    }

    /** The state file holding the saved positions. */
    public Path stateFile() {
        return store.file();
    }

    private void run() {
        try {
            while (!stop.await(pollMillis, TimeUnit.MILLISECONDS)) {
                pollAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (TailedFile f : files.values()) {
                f.closeChannel();
            }
        }
    }

    private void pollAll() {
        long now = clock.millis();
        if (!globs.isEmpty() && now - lastRescanMillis >= rescanMillis) {
            lastRescanMillis = now;
            rescanGlobs();
        }
        for (TailedFile f : List.copyOf(files.values())) {
            if (stop.getCount() == 0) {
                break;
            }
            // anything that appears after start() is new: read it from its first byte
            pollGuarded(f, StartPosition.BEGINNING);
        }
        saveIfDirty();
    }

    private void rescanGlobs() {
        for (Glob g : globs) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(g.dir(), g.pattern())) {
                for (Path p : dir) {
                    if (Files.isRegularFile(p)) {
                        track(p.toString(), true);
                    }
                }
            } catch (NoSuchFileException e) {
                // the directory may appear later
            } catch (IOException | RuntimeException e) {
                report(null, e);
            }
        }
    }

    private void track(String pathString, boolean fromGlob) {
        Path path = Path.of(pathString).toAbsolutePath().normalize();
        String name = path.toString();
        if (!files.containsKey(name)) {
            TailedFile f = new TailedFile(name, path, fromGlob);
            f.saved = savedUnopened.get(name);
            files.put(name, f);
            published.put(name, f);
        }
    }

    private void pollGuarded(TailedFile f, StartPosition firstSeen) {
        try {
            poll(f, firstSeen);
            f.lastError = null;
        } catch (Exception e) {
            report(f, e);
        }
    }

    private void poll(TailedFile f, StartPosition firstSeen) throws Exception {
        BasicFileAttributes attrs = attributes(f.path);
        if (f.channel == null) {
            if (attrs == null || !attrs.isRegularFile()) {
                return;
            }
            openCurrent(f, firstSeen);
        } else if (!f.retiring && (attrs == null || !keyOf(attrs).equals(f.fileKey))) {
            f.retiring = true;
            f.lastChangeMillis = clock.millis();
        }
        long now = clock.millis();
        long size = f.channel.size();
        if (size < f.offset || !f.fingerprintMatches(f.fingerprintLength, f.fingerprint)) {
            f.truncations++;
            f.resetTo(0, 0);
            stateDirty = true;
        }
        if (size != f.lastSize) {
            f.lastSize = size;
            f.lastChangeMillis = now;
        }
        f.size = size;
        long idle = now - f.lastChangeMillis;
        boolean flush = idle >= (f.retiring ? Math.min(rotationGraceMillis, partialFlushMillis)
                : partialFlushMillis);
        drain(f, size, flush);
        if (f.retiring && f.offset >= size && f.skipScan < 0 && idle >= rotationGraceMillis) {
            finishRotation(f, firstSeen);
        }
    }

    /** The old file is drained and quiet: close it and move on to whatever the path names now. */
    private void finishRotation(TailedFile f, StartPosition firstSeen) throws Exception {
        f.closeChannel();
        f.retiring = false;
        f.fileKey = null;
        f.offset = 0;
        f.lineNumber = 0;
        f.fingerprintLength = 0;
        f.fingerprint = "";
        f.lastSize = -1;
        f.size = 0;
        BasicFileAttributes attrs = attributes(f.path);
        if (attrs != null && attrs.isRegularFile()) {
            f.rotations++;
            poll(f, StartPosition.BEGINNING);
        } else if (f.fromGlob) {
            files.remove(f.name);
            published.remove(f.name);
            savedUnopened.remove(f.name);
            stateDirty = true;
        } else {
            f.rotations++;
            savedUnopened.remove(f.name);
            stateDirty = true;
        }
    }

    private void openCurrent(TailedFile f, StartPosition firstSeen) throws IOException {
        f.open();
        try {
            BasicFileAttributes attrs = Files.readAttributes(f.path, BasicFileAttributes.class);
            f.fileKey = keyOf(attrs);
            PositionStore.Position saved = f.saved;
            f.saved = null;
            long size = f.channel.size();
            if (saved != null) {
                boolean same = saved.fileKey().equals(f.fileKey) && size >= saved.offset()
                        && f.fingerprintMatches(saved.fingerprintLength(), saved.fingerprint());
                if (same) {
                    f.resetTo(saved.offset(), saved.line());
                } else {
                    f.rotations++;
                    f.resetTo(0, 0);
                }
            } else if (firstSeen == StartPosition.END) {
                long[] end = f.endOfLastCompleteLine(buf);
                f.resetTo(end[0], end[1]);
            } else {
                f.resetTo(0, 0);
            }
            f.lastSize = -1;
            f.retiring = false;
            stateDirty = true;
        } catch (IOException | RuntimeException e) {
            f.closeChannel();
            throw e;
        }
    }

    private void drain(TailedFile f, long size, boolean flush) throws Exception {
        while (stop.getCount() > 0 || thread == null) {
            if (f.skipScan >= 0) {
                long next = f.findNewline(buf, size);
                if (next < 0) {
                    if (!flush || f.skipScan < size) {
                        return;
                    }
                    next = size;
                }
                skipLine(f, next);
                continue;
            }
            TailedFile.Batch b = f.scan(buf, size, batchLines, batchBytes, maxLineBytes, flush);
            if (b.skipTo() >= 0) {
                skipLine(f, b.skipTo());
                continue;
            }
            if (b.overlongScannedTo() >= 0) {
                f.skipScan = b.overlongScannedTo();
                continue;
            }
            if (b.lines().isEmpty()) {
                return;
            }
            int n = b.lines().size();
            consumer.accept(f.name, b.lines(), f.lineNumber + 1);
            f.offset = b.endOffset();
            f.lineNumber += n;
            f.linesRead += n;
            f.extendFingerprint(b.rawHead());
            persist(f);
        }
    }

    private void skipLine(TailedFile f, long next) throws IOException {
        long line = f.lineNumber + 1;
        f.offset = next;
        f.lineNumber = line;
        f.skipScan = -1;
        f.linesSkipped++;
        f.refreshFingerprint();
        persist(f);
        report(f, new IOException(f.name + ": line " + line + " is longer than " + maxLineBytes
                + " bytes; skipped"));
    }

    private void persist(TailedFile f) throws IOException {
        stateDirty = true;
        saveIfDirtyOrThrow();
    }

    private void saveIfDirty() {
        try {
            saveIfDirtyOrThrow();
        } catch (IOException | RuntimeException e) {
            report(null, e);
        }
    }

    private void saveIfDirtyOrThrow() throws IOException {
        if (!stateDirty) {
            return;
        }
        Map<String, PositionStore.Position> all = new TreeMap<>(savedUnopened);
        for (TailedFile f : files.values()) {
            if (f.channel != null && f.fileKey != null) {
                all.put(f.name, f.position());
            }
        }
        store.save(all);
        stateDirty = false;
    }

    private void report(TailedFile f, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        lastError = (f == null ? ANY : f.name) + ": " + message;
        if (f != null) {
            f.errors++;
            boolean repeat = message.equals(f.lastError);
            f.lastError = message;
            if (repeat) {
                return;
            }
        }
        try {
            errorListener.onError(f == null ? ANY : f.name, e);
        } catch (RuntimeException ignored) {
            // a failing listener must not stop the tailer
        }
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String keyOf(BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        if (key != null) {
            return key.toString();
        }
        Instant created = attrs.creationTime().toInstant();
        return "created:" + created;
    }

    /** Configures a {@link FileTailer}; every setter validates its argument at once. */
    public static final class Builder {
        private final LineBatchConsumer consumer;
        private ErrorListener errorListener = (source, error) -> { };
        private final List<String> literals = new ArrayList<>();
        private final List<Glob> globs = new ArrayList<>();
        private Path stateDir;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofMillis(250);
        private Duration rescanInterval = Duration.ofSeconds(2);
        private Duration partialLineFlush = Duration.ofSeconds(5);
        private Duration rotationGrace = Duration.ofSeconds(2);
        private int batchLines = 1000;
        private long batchBytes = 16L * 1024 * 1024;
        private int maxLineBytes = 64 * 1024;
        private StartPosition startPosition = StartPosition.END;

        private Builder(LineBatchConsumer consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
        }

        /**
         * A file to follow, or a glob in the file name part ({@code /var/log/nginx/*.log},
         * {@code access.{log,json}}); the directory part must be literal.
         */
        public Builder follow(String pathOrGlob) {
            Objects.requireNonNull(pathOrGlob, "pathOrGlob");
            if (pathOrGlob.isBlank()) {
                throw new IllegalArgumentException("path to follow must not be blank");
            }
            Path p = Path.of(pathOrGlob);
            Path fileName = p.getFileName();
            Path parent = p.getParent();
            if (parent != null && isGlob(parent.toString())) {
                throw new IllegalArgumentException("glob characters are allowed only in the file name: '"
                        + pathOrGlob + "'");
            }
            if (fileName != null && isGlob(fileName.toString())) {
                Path dir = (parent == null ? Path.of("") : parent).toAbsolutePath().normalize();
                globs.add(new Glob(dir, fileName.toString()));
            } else {
                literals.add(pathOrGlob);
            }
            return this;
        }

        public Builder follow(Path path) {
            return follow(path.toString());
        }

        /** Directory of the position file {@value PositionStore#FILE_NAME}; required. */
        public Builder stateDir(Path dir) {
            this.stateDir = Objects.requireNonNull(dir, "stateDir");
            return this;
        }

        public Builder errorListener(ErrorListener listener) {
            this.errorListener = Objects.requireNonNull(listener, "errorListener");
            return this;
        }

        /** The clock behind idle times (partial-line flush, rotation grace). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often each file is checked; 1 ms to 1 min. Default 250 ms. */
        public Builder pollInterval(Duration d) {
            this.pollInterval = SettingBounds.within("pollInterval", d, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** How often globs are listed again for new files; 1 ms to 1 h. Default 2 s. */
        public Builder rescanInterval(Duration d) {
            this.rescanInterval = SettingBounds.within("rescanInterval", d, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /** How long an unterminated last line may stay unchanged before it is delivered; default 5 s. */
        public Builder partialLineFlush(Duration d) {
            this.partialLineFlush = SettingBounds.within("partialLineFlush", d, Duration.ofMillis(1), Duration.ofHours(1));
            return this;
        }

        /**
         * After the path stops naming the open file, how long the old file must stay unchanged at
         * its end before the tailer switches to the new one; default 2 s.
         */
        public Builder rotationGrace(Duration d) {
            this.rotationGrace = SettingBounds.within("rotationGrace", d, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        /** Most lines per batch; 1 to 1,000,000. Default 1000. */
        public Builder batchLines(int n) {
            this.batchLines = SettingBounds.within("batchLines", n, 1, 1_000_000);
            return this;
        }

        /**
         * Most bytes of lines per batch (a batch always holds at least one line); 1 KiB to 1 GiB.
         * Default 16 MiB. With {@link #batchLines} it bounds the memory a batch of long lines takes.
         */
        public Builder batchBytes(long n) {
            this.batchBytes = SettingBounds.within("batchBytes", n, 1024, 1L << 30);
            return this;
        }

        /** Longest line delivered, in bytes without the terminator; 16 to 16 MiB. Default 64 KiB. */
        public Builder maxLineBytes(int n) {
            this.maxLineBytes = SettingBounds.within("maxLineBytes", n, 16, 16 * 1024 * 1024);
            return this;
        }

        /** Where to start in files present at start without a saved position; default END. */
        public Builder startPosition(StartPosition p) {
            this.startPosition = Objects.requireNonNull(p, "startPosition");
            return this;
        }

        public FileTailer build() {
            if (stateDir == null) {
                throw new IllegalStateException("stateDir is required");
            }
            if (literals.isEmpty() && globs.isEmpty()) {
                throw new IllegalStateException("nothing to follow: call follow(path or glob)");
            }
            return new FileTailer(this);
        }

        private static boolean isGlob(String s) {
            return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
        }

    }
}
