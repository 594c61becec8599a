package dev.threatip.log;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads access logs at disk speed: every core parses, nothing is allocated per line, and every
 * event line reaches an {@link EventSink} with its client address resolved.
 *
 * <p>Structure. Work is a sequence of <em>chunks</em>, numbered in input order, handed by one
 * feeder thread to {@code threads} workers through a small bounded queue (back-pressure: memory
 * stays at a few blocks per thread whatever the input size).
 * <ul>
 * <li>A plain file is split into chunks on line boundaries (about four per worker, 1-256 MiB).
 *     A worker memory-maps its chunk in windows of 64 MiB and copies each window into its own
 *     4 MiB block with one bulk copy, so parsers work on a {@code byte[]}; the copy costs far less
 *     than parsing. Windows are unmapped as soon as they are consumed: mapped pages count towards
 *     the process's resident memory, and the garbage collector, which would otherwise unmap them,
 *     hardly runs in a loop that allocates nothing.</li>
 * <li>A gzip file or standard input is decompressed by the feeder into blocks cut at line ends;
 *     each block is a chunk whose first line number the feeder knows, because it counts newlines
 *     as it cuts.</li>
 * </ul>
 * Workers find line ends eight bytes at a time ({@link Lines}), strip {@code \r}, parse with
 * their own parser per input, resolve the client with the {@link ClientIpResolver} and call
 * their own sink. Line numbers are never computed per line: sinks get an opaque reference
 * ({@code chunk << 32 | line in chunk}) that {@link ScanSummary#position} resolves after the read
 * from prefix sums of chunk line counts, so only the lines someone keeps pay for a position.
 *
 * <p>Counting. {@code lines == parsed + unparsed}: an event line with a valid client is parsed;
 * a malformed line, an event without a valid client address, a line longer than
 * {@code maxLineBytes} (skipped without being buffered) and a line the parser failed on are
 * unparsed; blank lines and the format's directive lines are in neither. Bad lines are never
 * thrown: the first {@value #BAD_LINE_SAMPLES} are kept with file and line.
 *
 * <p>Header-defined formats (W3C {@code #Fields:}, Zeek {@code #fields}) are split across workers
 * too: each parser that starts inside a file is first shown the directive lines among the file's
 * first lines. A header that changes mid-file applies from there within the chunk that holds it.
 */
public final class LogReader {
    /** How many unparsed lines a summary keeps as samples. */
    public static final int BAD_LINE_SAMPLES = 10;

    private static final int BLOCK_BYTES = 4 << 20;
    private static final long WINDOW_BYTES = 64L << 20;
    private static final long MIN_CHUNK_BYTES = 1L << 20;
    private static final long MAX_CHUNK_BYTES = 256L << 20;
    private static final int HEAD_BYTES = 64 << 10;
    private static final int GZIP_BUFFER = 256 << 10;

    /**
     * How to read.
     *
     * @param threads      worker threads, 1-1024
     * @param maxLineBytes longer lines are counted unparsed and skipped, 256 B-64 MiB
     */
    public record Options(int threads, int maxLineBytes) {
        public Options {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("threads " + threads + " out of range 1-1024");
            }
            if (maxLineBytes < 256 || maxLineBytes > (64 << 20)) {
                throw new IllegalArgumentException("max line bytes " + maxLineBytes + " out of range 256-" + (64 << 20));
            }
        }

        /** One thread per core, lines up to 64 KiB. */
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), 64 << 10);
        }

        /** These options with another thread count. */
        public Options withThreads(int n) {
            return new Options(n, maxLineBytes);
        }
    }

    /** Told how far the read is, about four times a second, from the thread that called {@link #read}. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param bytesDone  bytes read so far (compressed bytes for gzip inputs)
         * @param bytesTotal the size of all file inputs, or -1 when standard input is among them
         */
        void update(long bytesDone, long bytesTotal);
    }

    private final Options options;
    private final InputStream stdin;
    private final Progress progress;

    public LogReader(Options options) {
        this(options, System.in, null);
    }

    private LogReader(Options options, InputStream stdin, Progress progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.stdin = stdin;
        this.progress = progress;
    }

    /** This reader reading {@code -} from {@code in} instead of {@link System#in}. */
    public LogReader withStdin(InputStream in) {
        return new LogReader(options, Objects.requireNonNull(in, "stdin"), progress);
    }

    /** This reader reporting progress to {@code p}. */
    public LogReader withProgress(Progress p) {
        return new LogReader(options, stdin, p);
    }

    /**
     * Reads every input and hands each event line to a sink.
     *
     * @param inputs        the inputs, in the order reports list them
     * @param selector      chooses each input's format
     * @param resolver      finds each line's client address
     * @param sinkPerThread called once per worker thread, on the calling thread, before the read
     * @return counts per input, bad-line samples and the resolver of line references
     * @throws IOException when the read was interrupted; problems of single inputs (unreadable,
     *                     truncated, undetectable) are reported in the summary instead
     */
    public ScanSummary read(List<LogInput> inputs, FormatSelector selector, ClientIpResolver resolver,
                            Supplier<EventSink> sinkPerThread) throws IOException {
        long started = System.nanoTime();
        Run run = new Run(inputs, selector, resolver);
        try {
            run.plan();
            List<Worker> workers = new ArrayList<>();
            for (int i = 0; i < options.threads(); i++) {
                workers.add(new Worker(run, Objects.requireNonNull(sinkPerThread.get(), "sink")));
            }
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                threads.add(start(workers.get(i), "threatip-read-" + i));
            }
            Thread feeder = start(run::feed, "threatip-feed");
            await(run, feeder, threads);
            if (run.failure != null) {
                if (run.failure instanceof RuntimeException r) {
                    throw r;
                }
                if (run.failure instanceof Error e) {
                    throw e;
                }
                throw new IOException(run.failure);
            }
            return run.summarise(workers, (System.nanoTime() - started) / 1_000_000);
        } finally {
            run.close();
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void await(Run run, Thread feeder, List<Thread> threads) throws IOException {
        try {
            for (Thread t : threads) {
                while (t.isAlive()) {
                    t.join(250);
                    if (progress != null) {
                        progress.update(run.bytesDone.get(), run.bytesTotal);
                    }
                }
            }
            feeder.join();
        } catch (InterruptedException e) {
            run.fail(e);
            Thread.currentThread().interrupt();
            throw new IOException("read interrupted", e);
        }
    }

    /** One input's plan and outcome. */
    private static final class Input {
        final int index;
        final LogInput input;
        final List<long[]> ranges = new ArrayList<>();
        boolean stream;
        long size = -1;
        FileChannel channel;
        FormatChoice choice;
        List<byte[]> prelude = List.of();
        private String problem;

        Input(int index, LogInput input) {
            this.index = index;
            this.input = input;
        }

        synchronized void problem(String p) {
            if (problem == null) {
                problem = p;
            }
        }

        synchronized String problem() {
            return problem;
        }
    }

    /**
     * A unit of work: a byte range of a plain file, or a block of a stream. Written by one worker
     * (or by the feeder for a skipped oversize stream line), read after all threads are joined.
     */
    private static final class Chunk {
        final int id;
        final Input input;
        final long start;
        final long end;
        final byte[] block;
        final int length;
        /** The chunk's first line number, 0-based; -1 until the prefix sum for plain files. */
        long firstLine;
        long lines;
        long parsed;
        long unparsed;

        Chunk(int id, Input input, long start, long end, byte[] block, int length, long firstLine) {
            this.id = id;
            this.input = input;
            this.start = start;
            this.end = end;
            this.block = block;
            this.length = length;
            this.firstLine = firstLine;
        }

        boolean startsFile() {
            return block == null ? start == 0 : firstLine == 0;
        }
    }

    private static final Chunk POISON = new Chunk(-1, null, 0, 0, null, 0, 0);

    /** Bad-line sample before its position is resolved. */
    private record RawBadLine(long ref, String reason, String excerpt) {
    }

    /** The state of one {@link #read} call, shared by its threads. */
    private final class Run {
        final List<Input> inputs = new ArrayList<>();
        final FormatSelector selector;
        final ClientIpResolver resolver;
        final int blockBytes = Math.max(BLOCK_BYTES, BlockCutter.minBlockBytes(options.maxLineBytes()));
        final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(2 * options.threads());
        /** Blocks of stream chunks, recycled: at most queue size + one per worker + one being filled. */
        final BlockingQueue<byte[]> freeBlocks = new ArrayBlockingQueue<>(3 * options.threads() + 1);
        int allocatedBlocks;
        /** Appended only by the feeder (the main thread before it starts); read after the join. */
        final List<Chunk> chunks = new ArrayList<>();
        final List<RawBadLine> feederBadLines = new ArrayList<>();
        final AtomicLong bytesDone = new AtomicLong();
        long bytesTotal;
        volatile Throwable failure;

        Run(List<LogInput> in, FormatSelector selector, ClientIpResolver resolver) {
            for (int i = 0; i < in.size(); i++) {
                inputs.add(new Input(i, in.get(i)));
            }
            this.selector = Objects.requireNonNull(selector, "selector");
            this.resolver = Objects.requireNonNull(resolver, "resolver");
        }

        synchronized void fail(Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }

        /** Opens plain files, picks their formats from their heads and splits them into chunks. */
        void plan() {
            boolean stdinSeen = false;
            for (Input in : inputs) {
                if (in.input.isStdin()) {
                    in.stream = true;
                    stdinSeen = true;
                    continue;
                }
                try {
                    if (!Files.isRegularFile(in.input.path()) || isGzip(in)) {
                        in.stream = true;
                        if (Files.isRegularFile(in.input.path())) {
                            in.size = Files.size(in.input.path());
                            bytesTotal += in.size;
                        }
                        continue;
                    }
                    in.channel = FileChannel.open(in.input.path(), StandardOpenOption.READ);
                    in.size = in.channel.size();
                    bytesTotal += in.size;
                    if (in.size == 0) {
                        in.choice = FormatChoice.none("empty file");
                        continue;
                    }
                    ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, in.size));
                    while (head.hasRemaining() && in.channel.read(head, head.position()) > 0) {
                        // reads until the head is full or the file ends
                    }
                    if (!choose(in, head.array(), head.position(), head.position() == in.size)) {
                        continue;
                    }
                    split(in);
                } catch (IOException e) {
                    in.problem("cannot read (" + message(e) + ")");
                }
            }
            if (stdinSeen) {
                bytesTotal = -1;
            }
        }

        private boolean isGzip(Input in) throws IOException {
            try (InputStream s = Files.newInputStream(in.input.path())) {
                return s.read() == 0x1f && s.read() == 0x8b;
            }
        }

        /** Asks the selector about the first lines; false (with the input's problem set) when no format fits. */
        boolean choose(Input in, byte[] head, int length, boolean complete) {
            List<byte[]> lines = new ArrayList<>();
            int s = 0;
            while (s < length && lines.size() < FormatSelector.SAMPLE_LINES) {
                int nl = Lines.indexOfNewline(head, s, length);
                if (nl < 0 && !complete) {
                    break; // a cut-off line would mislead detection
                }
                int e = nl < 0 ? length : nl;
                int stripped = e > s && head[e - 1] == '\r' ? e - 1 : e;
                lines.add(Arrays.copyOfRange(head, s, stripped));
                s = nl < 0 ? length : nl + 1;
            }
            List<String> text = new ArrayList<>(lines.size());
            for (byte[] l : lines) {
                text.add(new String(l, StandardCharsets.UTF_8));
            }
            FormatChoice choice;
            try {
                choice = selector.select(in.input, List.copyOf(text));
            } catch (RuntimeException e) {
                choice = FormatChoice.none("format: " + message(e));
            }
            in.choice = choice == null ? FormatChoice.none("no format chosen") : choice;
            if (in.choice.format() == null) {
                in.problem(in.choice.reason());
                return false;
            }
            in.prelude = prelude(in.choice.format(), lines);
            return true;
        }

        /** The directive lines among the first lines, to prime parsers that start mid-file. */
        private List<byte[]> prelude(LogFormat format, List<byte[]> lines) {
            List<byte[]> out = new ArrayList<>();
            LineParser probe = format.newParser();
            LineFields fields = new LineFields();
            for (byte[] l : lines) {
                fields.reset();
                try {
                    if (probe.parse(l, 0, l.length, fields) == LineParser.Outcome.DIRECTIVE) {
                        out.add(l);
                    }
                } catch (RuntimeException e) {
                    // a parser failing on a head line is counted when the line is read for real
                }
            }
            return out;
        }

        /** Cuts a plain file into chunks that start at line starts. */
        private void split(Input in) throws IOException {
            long target = Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, in.size / (4L * options.threads())));
            ByteBuffer probe = ByteBuffer.allocate(64 << 10);
            long start = 0;
            while (start < in.size) {
                long end = start + target >= in.size ? in.size : lineStartAfter(in.channel, start + target - 1, in.size, probe);
                in.ranges.add(new long[] {start, end});
                start = end;
            }
        }

        /** The position after the first newline at or after {@code from}, or {@code size}. */
        private long lineStartAfter(FileChannel ch, long from, long size, ByteBuffer probe) throws IOException {
            long pos = from;
            while (pos < size) {
                probe.clear();
                int n = ch.read(probe, pos);
                if (n <= 0) {
                    return size;
                }
                int nl = Lines.indexOfNewline(probe.array(), 0, n);
                if (nl >= 0) {
                    return pos + nl + 1;
                }
                pos += n;
            }
            return size;
        }

        /** The feeder: enqueues plain-file chunks and decompresses streams, in input order, then stops the workers. */
        void feed() {
            try {
                for (Input in : inputs) {
                    if (failure != null) {
                        break;
                    }
                    if (in.stream) {
                        stream(in);
                    } else {
                        for (long[] r : in.ranges) {
                            if (!put(register(in, r[0], r[1], null, 0, -1))) {
                                break;
                            }
                        }
                    }
                }
            } catch (Throwable t) {
                fail(t);
            } finally {
                for (int i = 0; i < options.threads(); i++) {
                    // Workers drain the queue even after a failure, so this always finds room.
                    while (true) {
                        try {
                            queue.put(POISON);
                            break;
                        } catch (InterruptedException e) {
                            fail(e);
                        }
                    }
                }
            }
        }

        private Chunk register(Input in, long start, long end, byte[] block, int length, long firstLine) {
            Chunk c = new Chunk(chunks.size(), in, start, end, block, length, firstLine);
            chunks.add(c);
            return c;
        }

        private boolean put(Chunk c) throws InterruptedException {
            while (!queue.offer(c, 100, TimeUnit.MILLISECONDS)) {
                if (failure != null) {
                    return false;
                }
            }
            return true;
        }

        private byte[] takeBlock() throws InterruptedException {
            byte[] b = freeBlocks.poll();
            if (b != null) {
                return b;
            }
            if (allocatedBlocks < 3 * options.threads() + 1) {
                allocatedBlocks++;
                return new byte[blockBytes];
            }
            while (b == null && failure == null) {
                b = freeBlocks.poll(100, TimeUnit.MILLISECONDS);
            }
            return b;
        }

        /** Decompresses (when gzip) and cuts one stream into block chunks. */
        private void stream(Input in) throws InterruptedException {
            BlockCutter cutter = new BlockCutter(options.maxLineBytes());
            long line = 0;
            byte[] block = null;
            InputStream raw = null;
            boolean gzip = false;
            try {
                raw = in.input.isStdin() ? new NonClosing(stdin) : Files.newInputStream(in.input.path());
                BufferedInputStream buffered = new BufferedInputStream(new Counting(raw, bytesDone), GZIP_BUFFER);
                buffered.mark(2);
                gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
                buffered.reset();
                InputStream data = gzip ? new GZIPInputStream(buffered, GZIP_BUFFER) : buffered;
                cutter.reset(data::read);
                block = takeBlock();
                boolean chosen = false;
                while (block != null) {
                    int end = cutter.next(block);
                    if (end == BlockCutter.END) {
                        break;
                    }
                    if (end == BlockCutter.OVERSIZE) {
                        Chunk c = register(in, 0, 0, null, 0, line);
                        c.lines = 1;
                        c.unparsed = 1;
                        if (feederBadLines.size() < BAD_LINE_SAMPLES) {
                            feederBadLines.add(new RawBadLine((long) c.id << 32, tooLong(),
                                    Lines.excerpt(cutter.excerpt(), 0, cutter.excerptLength(), BlockCutter.EXCERPT_BYTES)));
                        }
                        line++;
                        continue;
                    }
                    if (!chosen) {
                        if (!choose(in, block, end, true)) {
                            return;
                        }
                        chosen = true;
                    }
                    Chunk c = register(in, 0, 0, block, end, line);
                    line += Lines.countNewlines(block, 0, end) + (block[end - 1] == '\n' ? 0 : 1);
                    block = null;
                    if (!put(c)) {
                        return;
                    }
                    block = takeBlock();
                }
                if (!chosen && in.choice == null) {
                    in.choice = FormatChoice.none(line == 0 ? "empty file" : "no line short enough to detect a format");
                }
                if (cutter.failure() != null) {
                    in.problem(readProblem(cutter.failure(), gzip, line));
                }
            } catch (IOException e) {
                in.problem(readProblem(e, gzip, line));
            } finally {
                if (block != null) {
                    freeBlocks.offer(block);
                }
                if (raw != null) {
                    try {
                        raw.close();
                    } catch (IOException e) {
                        // nothing left to read from it
                    }
                }
            }
        }

        private String readProblem(IOException e, boolean gzip, long line) {
            if (e instanceof EOFException) {
                return (gzip ? "truncated gzip" : "unexpected end") + " after " + line + " lines";
            }
            if (e instanceof ZipException) {
                return "corrupt gzip after " + line + " lines (" + message(e) + ")";
            }
            return "read error after " + line + " lines (" + message(e) + ")";
        }

        String tooLong() {
            return "line longer than " + options.maxLineBytes() + " bytes";
        }

        ScanSummary summarise(List<Worker> workers, long elapsedMillis) {
            String[] names = new String[inputs.size()];
            for (Input in : inputs) {
                names[in.index] = in.input.name();
            }
            int[] fileOfChunk = new int[chunks.size()];
            long[] firstLine = new long[chunks.size()];
            long[] lineCursor = new long[inputs.size()];
            long[][] counts = new long[inputs.size()][2];
            for (Chunk c : chunks) {
                int f = c.input.index;
                fileOfChunk[c.id] = f;
                if (c.firstLine < 0) {
                    c.firstLine = lineCursor[f];
                }
                firstLine[c.id] = c.firstLine;
                lineCursor[f] = c.firstLine + c.lines;
                counts[f][0] += c.parsed;
                counts[f][1] += c.unparsed;
            }
            LinePositions positions = new LinePositions(names, fileOfChunk, firstLine);
            List<FileSummary> files = new ArrayList<>();
            long parsed = 0;
            long unparsed = 0;
            for (Input in : inputs) {
                long p = counts[in.index][0];
                long u = counts[in.index][1];
                parsed += p;
                unparsed += u;
                FormatChoice choice = in.choice;
                String format = choice == null || choice.format() == null ? "-" : choice.format().name();
                String reason = choice == null ? "not read" : choice.reason();
                files.add(new FileSummary(in.input.name(), format, reason, p + u, p, u, in.problem()));
            }
            List<RawBadLine> raw = new ArrayList<>(feederBadLines);
            for (Worker w : workers) {
                raw.addAll(w.badLines);
            }
            raw.sort((a, b) -> Long.compare(a.ref, b.ref));
            List<BadLine> bad = new ArrayList<>();
            for (RawBadLine r : raw.subList(0, Math.min(BAD_LINE_SAMPLES, raw.size()))) {
                LinePosition at = positions.position(r.ref);
                bad.add(new BadLine(at.file(), at.line(), r.reason, r.excerpt));
            }
            return new ScanSummary(inputs.size(), parsed + unparsed, parsed, unparsed, elapsedMillis, files, bad, positions);
        }

        void close() {
            for (Input in : inputs) {
                if (in.channel != null) {
                    try {
                        in.channel.close();
                    } catch (IOException e) {
                        // read-only channel: nothing is lost
                    }
                }
            }
        }
    }

    /** One worker thread: its block, cutter, fields, parsers per input and sink. */
    private final class Worker implements Runnable {
        final Run run;
        final EventSink sink;
        final LineFields fields = new LineFields();
        final LineParser[] parsers;
        final BlockCutter cutter = new BlockCutter(options.maxLineBytes());
        final List<RawBadLine> badLines = new ArrayList<>();
        final int maxLine = options.maxLineBytes();
        byte[] block;
        long parsed;
        long unparsed;

        Worker(Run run, EventSink sink) {
            this.run = run;
            this.sink = sink;
            this.parsers = new LineParser[run.inputs.size()];
        }

        @Override
        public void run() {
            while (true) {
                Chunk c;
                try {
                    c = run.queue.take();
                } catch (InterruptedException e) {
                    run.fail(e);
                    continue;
                }
                if (c == POISON) {
                    return;
                }
                if (run.failure != null) {
                    recycle(c);
                    continue; // drain, so the feeder is never blocked
                }
                try {
                    if (c.block != null) {
                        streamChunk(c);
                    } else {
                        mappedChunk(c);
                    }
                } catch (IOException e) {
                    c.input.problem("read error (" + message(e) + ")");
                } catch (InternalError e) {
                    // A mapped page vanished: the file was truncated while being read (log rotation).
                    c.input.problem("file changed while being read (" + message(e) + ")");
                } catch (Throwable t) {
                    run.fail(t);
                } finally {
                    recycle(c);
                }
            }
        }

        private void recycle(Chunk c) {
            if (c.block != null) {
                run.freeBlocks.offer(c.block);
            }
        }

        private LineParser parser(Chunk c) {
            LineParser p = parsers[c.input.index];
            if (p == null) {
                p = c.input.choice.format().newParser();
                if (!c.startsFile()) {
                    for (byte[] l : c.input.prelude) {
                        fields.reset();
                        try {
                            p.parse(l, 0, l.length, fields);
                        } catch (RuntimeException e) {
                            // the head line is counted when its own chunk is read
                        }
                    }
                }
                parsers[c.input.index] = p;
            }
            return p;
        }

        private void streamChunk(Chunk c) {
            parsed = 0;
            unparsed = 0;
            c.lines = lines(c, parser(c), c.block, c.length, 0);
            c.parsed = parsed;
            c.unparsed = unparsed;
        }

        private void mappedChunk(Chunk c) throws IOException {
            if (block == null) {
                block = new byte[run.blockBytes];
            }
            parsed = 0;
            unparsed = 0;
            LineParser parser = parser(c);
            try (Mapped source = new Mapped(c.input.channel, c.start, c.end)) {
                cutter.reset(source);
                long local = 0;
                while (true) {
                    int end = cutter.next(block);
                    if (end == BlockCutter.END) {
                        break;
                    }
                    if (end == BlockCutter.OVERSIZE) {
                        unparsed++;
                        bad(((long) c.id << 32) | local, run.tooLong(), cutter.excerpt(), 0, cutter.excerptLength());
                        local++;
                    } else {
                        local = lines(c, parser, block, end, local);
                    }
                    run.bytesDone.getAndAdd(source.take());
                }
                c.lines = local;
                if (cutter.failure() != null) {
                    throw cutter.failure();
                }
            } finally {
                c.parsed = parsed;
                c.unparsed = unparsed;
            }
        }

        /** The hot loop: every line of {@code b[0, end)}; returns the chunk's line counter after them. */
        private long lines(Chunk c, LineParser parser, byte[] b, int end, long local) {
            long chunkBase = (long) c.id << 32;
            int s = 0;
            while (s < end) {
                int nl = Lines.indexOfNewline(b, s, end);
                int e = nl < 0 ? end : nl;
                int next = nl < 0 ? end : nl + 1;
                if (e > s && b[e - 1] == '\r') {
                    e--;
                }
                long ref = chunkBase | local;
                local++;
                if (e > s) {
                    line(c, parser, b, s, e, ref);
                }
                s = next;
            }
            return local;
        }

        private void line(Chunk c, LineParser parser, byte[] b, int s, int e, long ref) {
            if (e - s > maxLine) {
                unparsed++;
                bad(ref, run.tooLong(), b, s, e);
                return;
            }
            LineFields f = fields;
            f.reset();
            LineParser.Outcome o;
            try {
                o = parser.parse(b, s, e, f);
            } catch (RuntimeException ex) {
                unparsed++;
                bad(ref, "parser " + c.input.choice.format().name() + " failed (" + ex.getClass().getSimpleName() + ")", b, s, e);
                return;
            }
            if (o == LineParser.Outcome.EVENT) {
                if (run.resolver.resolve(f)) {
                    parsed++;
                    sink.accept(f, b, s, e, ref);
                } else {
                    unparsed++;
                    bad(ref, "no valid client address", b, s, e);
                }
            } else if (o != LineParser.Outcome.DIRECTIVE) {
                unparsed++;
                bad(ref, "does not match format " + c.input.choice.format().name(), b, s, e);
            }
        }

        private void bad(long ref, String reason, byte[] b, int s, int e) {
            if (badLines.size() < BAD_LINE_SAMPLES) {
                badLines.add(new RawBadLine(ref, reason, Lines.excerpt(b, s, e, BlockCutter.EXCERPT_BYTES)));
            }
        }
    }

    /**
     * A byte range of a file, mapped in windows and unmapped as it is consumed (see the class
     * comment for why unmapping cannot be left to the garbage collector).
     */
    private static final class Mapped implements BlockCutter.Source, AutoCloseable {
        private static final MethodHandle UNMAP = unmapper();
        private final FileChannel channel;
        private final long end;
        private long position;
        private MappedByteBuffer window;
        private long consumed;

        Mapped(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (window == null || !window.hasRemaining()) {
                unmap();
                if (position >= end) {
                    return -1;
                }
                long n = Math.min(WINDOW_BYTES, end - position);
                window = channel.map(FileChannel.MapMode.READ_ONLY, position, n);
                position += n;
            }
            int n = Math.min(len, window.remaining());
            window.get(b, off, n);
            consumed += n;
            return n;
        }

        /** Bytes read since the last call. */
        long take() {
            long n = consumed;
            consumed = 0;
            return n;
        }

        @Override
        public void close() {
            unmap();
        }

        private void unmap() {
            MappedByteBuffer w = window;
            window = null;
            if (w != null && UNMAP != null) {
                try {
                    UNMAP.invokeExact((ByteBuffer) w);
                } catch (Throwable t) {
                    // the garbage collector will unmap it
                }
            }
        }

        /** {@code sun.misc.Unsafe.invokeCleaner}, the JDK's supported-if-unofficial unmap (as Lucene uses), or null. */
        private static MethodHandle unmapper() {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field f = unsafeClass.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                Object unsafe = f.get(null);
                return MethodHandles.lookup()
                        .findVirtual(unsafeClass, "invokeCleaner", java.lang.invoke.MethodType.methodType(void.class, ByteBuffer.class))
                        .bindTo(unsafe);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }

    /** Counts the raw bytes a stream delivers, for progress. */
    private static final class Counting extends FilterInputStream {
        private final AtomicLong counter;

        Counting(InputStream in, AtomicLong counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counter.addAndGet(n);
            }
            return n;
        }
    }

    /** Standard input is not the reader's to close. */
    private static final class NonClosing extends FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // leave the caller's stream open
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
    }
}
