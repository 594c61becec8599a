package dev.threatip.ingest;

import dev.threatip.ingest.SyslogMessage.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Receives syslog over UDP and TCP — what nginx ({@code access_log syslog:server=...}), rsyslog
 * and syslog-ng send — and hands the message part of each message, the access-log line, to a
 * {@link LineBatchConsumer} in acknowledged batches.
 *
 * <pre>{@code
 * try (SyslogReceiver syslog = SyslogReceiver.builder((source, lines, first) -> pipeline.accept(lines))
 *         .udpPort(5514)
 *         .tcpPort(5514)
 *         .build()) {
 *     syslog.start();
 *     ...                                   // syslog.stats() for /metrics
 * }
 * }</pre>
 *
 * <p>Three threads: a UDP reader, a TCP selector (accepts, reads and frames every connection,
 * RFC 6587 octet counting and LF framing decided per frame), and the delivery thread, the only one
 * that calls the consumer. Between them a bounded {@link DeliveryQueue}: the UDP lane drops what
 * does not fit and counts it ({@code dropped}); the TCP lane blocks the selector, so a slow
 * consumer stops the reading and TCP flow control pushes back on the senders. A batch the consumer
 * rejects by throwing is offered again, unchanged and with the same line numbers, after a back-off
 * (50 ms doubling to 5 s), until it is accepted or the receiver is closed.
 *
 * <p>Every batch goes to the consumer with the source name given to {@link Builder#source}
 * ({@code syslog} by default) for both transports, and line numbers that count the messages this
 * receiver has delivered since {@link #start()}, from 1. See {@code README.md} in this package.
 */
public final class SyslogReceiver implements AutoCloseable {

    /** Receives errors (consumer failures, socket errors); must not block for long. */
    @FunctionalInterface
    public interface ErrorListener {
        /** @param source {@code syslog/udp}, {@code syslog/tcp} or the source name for delivery */
        void onError(String source, Exception error);
    }

    /**
     * One malformed frame, kept as a sample.
     *
     * @param peer the sender's address and port
     * @param reason why no message could be taken from it
     * @param excerpt its first 120 bytes, non-printable bytes and the backslash escaped as
     *     {@code \xHH} and {@code \\}
     */
    public record MalformedSample(Instant at, String peer, String reason, String excerpt) {}

    /**
     * Counters of one transport.
     *
     * @param enabled whether the transport was configured
     * @param port the bound port, or -1 when disabled or not started
     * @param messages frames that carried a message, including bare lines and dropped datagrams
     * @param bytes bytes received (datagram payloads, or bytes read from connections)
     * @param bare messages without a syslog header, taken whole
     * @param malformed frames that carried no deliverable message (bad header, over-long, binary)
     * @param malformedSamples the first {@value TransportCounters#SAMPLES} malformed frames
     * @param lastMalformed the latest malformed frame, or null
     * @param dropped messages that found the queue full and were discarded (UDP only)
     * @param lastMessageAt when the last message arrived, or null
     */
    public record TransportStats(String transport, boolean enabled, int port, long messages,
            long bytes, long bare, long malformed, List<MalformedSample> malformedSamples,
            MalformedSample lastMalformed, long dropped, int connectionsOpen,
            long connectionsAccepted, long connectionsRejected, long connectionsIdleClosed,
            Instant lastMessageAt) {}

    /**
     * The receiver's counters.
     *
     * @param delivered messages the consumer acknowledged
     * @param pending messages queued or in a batch not yet acknowledged
     * @param deliveryFailures batches the consumer rejected (each retry that fails counts)
     * @param lostOnClose messages received but not delivered because {@link #close()} gave up
     *     after its timeout
     * @param lastError the last error reported, or null
     */
    public record Stats(TransportStats udp, TransportStats tcp, long delivered, long pending,
            long deliveryFailures, long lostOnClose, String lastError) {}

    static final String TOO_LONG_DATAGRAM = "datagram longer than the maximum message size";
    static final String CLOSED_IN_FRAME = "receiver closed with an incomplete frame from this connection";
    static final String FAILED_IN_FRAME = "connection failed inside a frame";

    private static final long RETRY_FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RETRY_MAX_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int UDP_RECEIVE_BUFFER = 4 * 1024 * 1024;
    private static final int MAX_DATAGRAM = 65_535;
    private static final int READ_BUDGET = 256 * 1024;

    private final LineBatchConsumer consumer;
    private final ErrorListener errorListener;
    private final String source;
    private final InetAddress bindAddress;
    private final int udpPortWanted;
    private final int tcpPortWanted;
    private final int maxMessageBytes;
    private final int batchLines;
    private final long flushNanos;
    private final int maxConnections;
    private final long idleNanos;
    private final long closeTimeoutNanos;
    private final TransportCounters udp;
    private final TransportCounters tcp;
    private final DeliveryQueue queue;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveryFailures = new AtomicLong();
    private final AtomicLong lostOnClose = new AtomicLong();
    private final Map<String, String> lastReported = new ConcurrentHashMap<>();
    private volatile String lastError;
    private volatile boolean closing;
    private volatile boolean started;
    private boolean closed;

    private DatagramChannel udpChannel;
    private ServerSocketChannel tcpServer;
    private Selector selector;
    private volatile int udpBoundPort = -1;
    private volatile int tcpBoundPort = -1;
    private Thread udpThread;
    private Thread tcpThread;
    private Thread deliveryThread;
    /** Delivery thread only. */
    private long nextLine = 1;

    private SyslogReceiver(Builder b) {
        this.consumer = b.consumer;
        this.errorListener = b.errorListener;
        this.source = b.source;
        this.bindAddress = b.bindAddress;
        this.udpPortWanted = b.udpPort;
        this.tcpPortWanted = b.tcpPort;
        this.maxMessageBytes = b.maxMessageBytes;
        this.batchLines = b.batchLines;
        this.flushNanos = b.flushInterval.toNanos();
        this.maxConnections = b.maxConnections;
        this.idleNanos = b.idleTimeout.toNanos();
        this.closeTimeoutNanos = b.closeTimeout.toNanos();
        this.udp = new TransportCounters("udp", b.clock);
        this.tcp = new TransportCounters("tcp", b.clock);
        this.queue = new DeliveryQueue(b.udpQueueCapacity, b.udpQueueBytes, b.batchLines, b.batchLines);
    }

    public static Builder builder(LineBatchConsumer consumer) {
        return new Builder(consumer);
    }

    /**
     * Binds the configured ports and starts the threads; when this returns, both sockets are
     * accepting.
     *
     * @throws IOException if a port cannot be bound (the message names transport, address and
     *     port); nothing stays bound then
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("syslog receiver already started");
        }
        if (closed) {
            throw new IllegalStateException("syslog receiver is closed");
        }
        started = true;
        try {
            if (udpPortWanted >= 0) {
                bindUdp();
            }
            if (tcpPortWanted >= 0) {
                bindTcp();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(udpChannel);
            closeQuietly(tcpServer);
            closeQuietly(selector);
            closed = true;
            throw e;
        }
        deliveryThread = daemon(this::runDelivery, "threatip-syslog-deliver");
        if (udpChannel != null) {
            udpThread = daemon(this::runUdp, "threatip-syslog-udp");
        }
        if (tcpServer != null) {
            tcpThread = daemon(this::runTcp, "threatip-syslog-tcp");
        }
    }

    /** The bound UDP port, or -1 if UDP is disabled. */
    public int udpPort() {
        requireStarted();
        return udpBoundPort;
    }

    /** The bound TCP port, or -1 if TCP is disabled. */
    public int tcpPort() {
        requireStarted();
        return tcpBoundPort;
    }

    /** The source name every batch carries. */
    public String source() {
        return source;
    }

    /** A snapshot of the counters, for metrics. */
    public Stats stats() {
        return new Stats(udp.snapshot(udpPortWanted >= 0, udpBoundPort),
                tcp.snapshot(tcpPortWanted >= 0, tcpBoundPort), delivered.get(),
                queue.pending(), deliveryFailures.get(), lostOnClose.get(), lastError);
    }

    /**
     * Stops receiving and releases the ports, then delivers what was already received: it waits up
     * to {@code closeTimeout} for the queue to drain (a consumer that keeps failing is retried
     * until then), discards the rest — counted in {@code lostOnClose} and reported — and waits for
     * a consumer call in progress to return. Bytes still in the kernel's socket buffers and
     * incomplete frames are not read; plain syslog over TCP has no acknowledgement to withhold.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closing = true;
        long deadline = System.nanoTime() + closeTimeoutNanos;
        closeQuietly(udpChannel);
        if (selector != null) {
            selector.wakeup();
        }
        joinUntil(udpThread, deadline);
        joinUntil(tcpThread, deadline);
        queue.closeInput();
        joinUntil(deliveryThread, deadline);
        if (isAlive(tcpThread) || isAlive(deliveryThread)) {
            lostOnClose.addAndGet(queue.abort());
            joinUntil(tcpThread, Long.MAX_VALUE);
            joinUntil(deliveryThread, Long.MAX_VALUE);
        }
        long lost = lostOnClose.get();
        if (lost > 0) {
            report(source, new IOException(lost + " received messages were not delivered: the consumer"
                    + " did not accept them within the close timeout"));
        }
    }

    // ---- UDP ----------------------------------------------------------------------------------

    private void bindUdp() throws IOException {
        InetSocketAddress at = new InetSocketAddress(bindAddress, udpPortWanted);
        try {
            udpChannel = DatagramChannel.open(family());
            udpChannel.setOption(StandardSocketOptions.SO_RCVBUF, UDP_RECEIVE_BUFFER);
            udpChannel.bind(at);
            udpBoundPort = ((InetSocketAddress) udpChannel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IOException("cannot bind syslog udp " + describe(at) + ": " + e.getMessage(), e);
        }
    }

    private void runUdp() {
        int size = Math.min(maxMessageBytes, MAX_DATAGRAM) + 1;
        ByteBuffer bb = ByteBuffer.allocate(size);
        byte[] a = bb.array();
        while (!closing) {
            bb.clear();
            SocketAddress from;
            try {
                from = udpChannel.receive(bb);
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (closing) {
                    break;
                }
                report(source + "/udp", e);
                pause();
                continue;
            }
            int n = bb.position();
            udp.bytes.addAndGet(n);
            if (n > maxMessageBytes) {
                udp.malformed(peer(from), TOO_LONG_DATAGRAM, a, 0, n);
                continue;
            }
            SyslogMessage m = SyslogParser.parse(a, 0, n);
            if (m.kind() == Kind.MALFORMED) {
                udp.malformed(peer(from), m.problem(), a, 0, n);
                continue;
            }
            udp.message(m.kind() == Kind.BARE);
            if (!queue.offerUdp(Arrays.copyOfRange(a, m.start(), m.end()))) {
                udp.dropped.incrementAndGet();
            }
        }
    }

    // ---- TCP ----------------------------------------------------------------------------------

    private void bindTcp() throws IOException {
        InetSocketAddress at = new InetSocketAddress(bindAddress, tcpPortWanted);
        try {
            selector = Selector.open();
            tcpServer = ServerSocketChannel.open(family());
            tcpServer.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            tcpServer.bind(at, 128);
            tcpServer.configureBlocking(false);
            tcpServer.register(selector, SelectionKey.OP_ACCEPT);
            tcpBoundPort = ((InetSocketAddress) tcpServer.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IOException("cannot bind syslog tcp " + describe(at) + ": " + e.getMessage(), e);
        }
    }

    /** One TCP connection: its framer, and the sink that parses and queues its frames. */
    private final class Connection implements TcpFramer.Sink {
        final SocketChannel channel;
        final String peer;
        final TcpFramer framer = new TcpFramer(maxMessageBytes);
        long lastActivityNanos = System.nanoTime();

        Connection(SocketChannel channel, String peer) {
            this.channel = channel;
            this.peer = peer;
        }

        @Override
        public boolean frame(byte[] buf, int off, int len) {
            SyslogMessage m = SyslogParser.parse(buf, off, len);
            if (m.kind() == Kind.MALFORMED) {
                tcp.malformed(peer, m.problem(), buf, off, len);
                // a TLS client will never speak plain syslog on this connection: close it
                // instead of counting every record of its handshake
                return !SyslogParser.TLS.equals(m.problem());
            }
            tcp.message(m.kind() == Kind.BARE);
            boolean queued;
            try {
                queued = queue.putTcp(Arrays.copyOfRange(buf, m.start(), m.end()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                queued = false;
            }
            if (!queued) {
                lostOnClose.incrementAndGet();
            }
            return true;
        }

        @Override
        public void malformed(String reason, byte[] buf, int off, int len) {
            tcp.malformed(peer, reason, buf, off, len);
        }
    }

    private void runTcp() {
        long sweepMillis = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleNanos) / 2));
        long lastSweep = System.nanoTime();
        try {
            while (!closing) {
                selector.select(sweepMillis);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext() && !closing) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        try {
                            acceptAll();
                        } catch (IOException e) {
                            // e.g. out of file descriptors: report, let the backlog wait, go on
                            report(source + "/tcp", e);
                            pause();
                        }
                    } else if (key.isReadable()) {
                        read(key, (Connection) key.attachment());
                    }
                }
                long now = System.nanoTime();
                if (now - lastSweep >= TimeUnit.MILLISECONDS.toNanos(sweepMillis)) {
                    lastSweep = now;
                    sweepIdle(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                report(source + "/tcp", e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    if (c.framer.buffered() > 0) {
                        tcp.malformed(c.peer, CLOSED_IN_FRAME, new byte[0], 0, 0);
                    }
                    closeConnection(key, c);
                }
            }
            closeQuietly(tcpServer);
            closeQuietly(selector);
        }
    }

    private void acceptAll() throws IOException {
        SocketChannel ch;
        while ((ch = tcpServer.accept()) != null) {
            if (tcp.connectionsOpen.get() >= maxConnections) {
                tcp.connectionsRejected.incrementAndGet();
                closeQuietly(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                Connection c = new Connection(ch, peer(ch.getRemoteAddress()));
                ch.register(selector, SelectionKey.OP_READ, c);
                tcp.connectionsOpen.incrementAndGet();
                tcp.connectionsAccepted.incrementAndGet();
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    /** Reads what is available, up to a budget so one busy sender cannot starve the others. */
    private void read(SelectionKey key, Connection c) {
        int total = 0;
        try {
            while (total < READ_BUDGET && !closing) {
                int n = c.framer.readFrom(c.channel, c);
                if (n < 0) {
                    c.framer.endOfStream(c);
                    closeConnection(key, c);
                    return;
                }
                if (n == 0) {
                    break;
                }
                total += n;
                tcp.bytes.addAndGet(n);
                if (c.framer.stopped()) {
                    closeConnection(key, c);
                    return;
                }
            }
        } catch (IOException e) {
            // reset by the peer: what it had sent of an unfinished frame is lost, and said so
            if (c.framer.buffered() > 0) {
                tcp.malformed(c.peer, FAILED_IN_FRAME + ": " + e.getMessage(), new byte[0], 0, 0);
            }
            closeConnection(key, c);
            return;
        }
        if (total > 0) {
            c.lastActivityNanos = System.nanoTime();
        }
    }

    /**
     * Closes connections quiet for longer than the idle timeout. A last read first: the selector
     * thread may itself have been blocked on a slow consumer, and a connection with unread bytes
     * is not idle.
     */
    private void sweepIdle(long now) {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (!(key.attachment() instanceof Connection c) || !key.isValid()
                    || now - c.lastActivityNanos < idleNanos) {
                continue;
            }
            read(key, c);
            if (key.isValid() && c.lastActivityNanos <= now) {
                c.framer.endOfStream(c);
                closeConnection(key, c);
                tcp.connectionsIdleClosed.incrementAndGet();
            }
        }
    }

    private void closeConnection(SelectionKey key, Connection c) {
        if (key.isValid() || c.channel.isOpen()) {
            key.cancel();
            closeQuietly(c.channel);
            tcp.connectionsOpen.decrementAndGet();
        }
    }

    // ---- delivery -----------------------------------------------------------------------------

    private void runDelivery() {
        try {
            while (true) {
                List<byte[]> batch = queue.takeBatch(batchLines, flushNanos);
                if (batch.isEmpty()) {
                    return;
                }
                deliver(batch);
                queue.batchDone();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Offers one batch until the consumer accepts it or the receiver gives up on close. */
    private void deliver(List<byte[]> batch) throws InterruptedException {
        List<byte[]> view = Collections.unmodifiableList(batch);
        long backoff = RETRY_FIRST_NANOS;
        while (true) {
            try {
                consumer.accept(source, view, nextLine);
                nextLine += batch.size();
                delivered.addAndGet(batch.size());
                lastReported.remove(source);
                return;
            } catch (Exception e) {
                failed(e);
            } catch (Error e) {
                // "throwing anything rejects the batch": an Error in the consumer must not kill
                // the only thread that drains the queue
                failed(new Exception("consumer failed: " + e, e));
            }
            if (queue.aborted()) {
                lostOnClose.addAndGet(batch.size());
                return;
            }
            queue.sleepUnlessAborted(backoff);
            backoff = Math.min(backoff * 2, RETRY_MAX_NANOS);
            if (queue.aborted()) {
                lostOnClose.addAndGet(batch.size());
                return;
            }
        }
    }

    private void failed(Exception e) {
        deliveryFailures.incrementAndGet();
        report(source, e);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Records the error and tells the listener, once per distinct message in a row per source. */
    private void report(String where, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        lastError = where + ": " + message;
        if (message.equals(lastReported.put(where, message))) {
            return;
        }
        try {
            errorListener.onError(where, e);
        } catch (RuntimeException ignored) {
            // a failing listener must not stop the receiver
        }
    }

    private StandardProtocolFamily family() {
        return bindAddress instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static String peer(SocketAddress a) {
        return a instanceof InetSocketAddress isa && isa.getAddress() != null ? describe(isa) : String.valueOf(a);
    }

    /** A socket error that repeats at once must not spin the thread. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("syslog receiver not started");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static boolean isAlive(Thread t) {
        return t != null && t.isAlive();
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            if (deadlineNanos == Long.MAX_VALUE) {
                t.join();
            } else {
                long left = deadlineNanos - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with the error
        }
    }

    /** Configures a {@link SyslogReceiver}; every setter validates its argument at once. */
    public static final class Builder {
        private final LineBatchConsumer consumer;
        private ErrorListener errorListener = (source, error) -> { };
        private String source = "syslog";
        private InetAddress bindAddress;
        private int udpPort = -1;
        private int tcpPort = -1;
        private int maxMessageBytes = 64 * 1024;
        private int batchLines = 1000;
        private Duration flushInterval = Duration.ofMillis(100);
        private int udpQueueCapacity = 10_000;
        private long udpQueueBytes = 16L * 1024 * 1024;
        private int maxConnections = 1024;
        private Duration idleTimeout = Duration.ofHours(1);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Clock clock = Clock.systemUTC();

        private Builder(LineBatchConsumer consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
            try {
                this.bindAddress = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError("a four-byte address is always valid", e);
            }
        }

        /** The address both sockets bind to; default 127.0.0.1. */
        public Builder bind(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Receive UDP on this port (0 picks a free one); UDP is off unless set. */
        public Builder udpPort(int port) {
            this.udpPort = port("udpPort", port);
            return this;
        }

        /** Receive TCP on this port (0 picks a free one); TCP is off unless set. */
        public Builder tcpPort(int port) {
            this.tcpPort = port("tcpPort", port);
            return this;
        }

        /** Both transports on the same port number, like {@code serve --syslog-port N}. */
        public Builder port(int port) {
            return udpPort(port).tcpPort(port);
        }

        /** Turns UDP off again. */
        public Builder noUdp() {
            this.udpPort = -1;
            return this;
        }

        /** Turns TCP off again. */
        public Builder noTcp() {
            this.tcpPort = -1;
            return this;
        }

        /** The source name every batch carries; default {@code syslog}. */
        public Builder source(String name) {
            Objects.requireNonNull(name, "source");
            if (name.isBlank()) {
                throw new IllegalArgumentException("source name must not be blank");
            }
            this.source = name;
            return this;
        }

        /**
         * Longest message accepted, in bytes, header and trailer excluded for TCP (480, the RFC
         * 5424 minimum, to 16 MiB). Default 64 KiB. A UDP datagram is at most 65,507 bytes anyway.
         */
        public Builder maxMessageBytes(int n) {
            this.maxMessageBytes = SettingBounds.within("maxMessageBytes", n, 480, 16 * 1024 * 1024);
            return this;
        }

        /** Most messages per batch (1 to 100,000); also the TCP lane's capacity. Default 1000. */
        public Builder batchLines(int n) {
            this.batchLines = SettingBounds.within("batchLines", n, 1, 100_000);
            return this;
        }

        /** Longest a message waits for its batch to fill (1 ms to 1 min). Default 100 ms. */
        public Builder flushInterval(Duration d) {
            this.flushInterval = SettingBounds.within("flushInterval", d, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** Most datagrams queued for the consumer (1 to 10,000,000); more are dropped. Default 10,000. */
        public Builder udpQueueCapacity(int n) {
            this.udpQueueCapacity = SettingBounds.within("udpQueueCapacity", n, 1, 10_000_000);
            return this;
        }

        /** Most bytes of datagrams queued (64 KiB to 4 GiB); more are dropped. Default 16 MiB. */
        public Builder udpQueueBytes(long n) {
            this.udpQueueBytes = SettingBounds.within("udpQueueBytes", n, 64 * 1024, 4L * 1024 * 1024 * 1024);
            return this;
        }

        /** Most TCP connections open at once (1 to 100,000); more are closed on accept. Default 1024. */
        public Builder maxConnections(int n) {
            this.maxConnections = SettingBounds.within("maxConnections", n, 1, 100_000);
            return this;
        }

        /** A TCP connection that sends nothing for this long is closed (10 ms to 24 h). Default 1 h. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = SettingBounds.within("idleTimeout", d, Duration.ofMillis(10), Duration.ofHours(24));
            return this;
        }

        /** How long {@link #close()} waits for queued messages to be delivered (0 to 10 min). Default 5 s. */
        public Builder closeTimeout(Duration d) {
            this.closeTimeout = SettingBounds.within("closeTimeout", d, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        /** The clock behind {@code lastMessageAt} and sample times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder errorListener(ErrorListener listener) {
            this.errorListener = Objects.requireNonNull(listener, "errorListener");
            return this;
        }

        public SyslogReceiver build() {
            if (udpPort < 0 && tcpPort < 0) {
                throw new IllegalStateException("nothing to receive: call udpPort(..), tcpPort(..) or port(..)");
            }
            return new SyslogReceiver(this);
        }

        private static int port(String what, int port) {
            return SettingBounds.within(what, port, 0, 65_535);
        }

    }
}
