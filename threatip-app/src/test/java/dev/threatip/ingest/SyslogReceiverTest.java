package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.threatip.ingest.SyslogReceiver.MalformedSample;
import dev.threatip.ingest.SyslogReceiver.Stats;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SyslogReceiverTest {

    private static final long TIMEOUT_MS = 15_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** Collects "lineNumber:text" per delivered line, as acknowledged. */
    static final class Collector implements LineBatchConsumer {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<String> sources = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String source, List<byte[]> batch, long first) {
            for (int i = 0; i < batch.size(); i++) {
                lines.add((first + i) + ":" + new String(batch.get(i), StandardCharsets.UTF_8));
            }
            sources.add(source);
        }

        List<String> texts() {
            return lines.stream().map(l -> l.substring(l.indexOf(':') + 1)).toList();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private SyslogReceiver.Builder builder(LineBatchConsumer consumer) {
        return SyslogReceiver.builder(consumer)
                .flushInterval(Duration.ofMillis(10))
                .errorListener((source, e) -> errors.add(source + ": " + e.getMessage()));
    }

    private SyslogReceiver started(SyslogReceiver.Builder b) throws IOException {
        SyslogReceiver r = b.build();
        open.add(r);
        r.start();
        return r;
    }

    private Socket connect(SyslogReceiver r) throws IOException {
        Socket s = new Socket(LOOPBACK, r.tcpPort());
        s.setTcpNoDelay(true);
        open.add(s);
        return s;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private static void awaitLines(Collector c, int n) throws InterruptedException {
        await(n + " lines (have " + c.lines.size() + ")", () -> c.lines.size() >= n);
    }

    private static void send(DatagramSocket socket, int port, String message) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, new InetSocketAddress(LOOPBACK, port)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String accessLine(String ip, int n) {
        return ip + " - - [23/Nov/2026:20:00:00 +0000] \"GET /item/" + n + "?q=a%20b HTTP/1.1\" 200 612"
                + " \"https://shop.example.org/\" \"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\"";
    }

    private static String nginx(String line) {
        return "<190>Nov 23 20:00:00 web1 nginx: " + line;
    }

    private static String octet(String msg) {
        return bytes(msg).length + " " + msg;
    }

    private static List<String> numbered(List<String> texts) {
        return IntStream.range(0, texts.size()).mapToObj(i -> (i + 1) + ":" + texts.get(i)).toList();
    }

    @Test
    void udp_nginxRfc3164Messages_arriveAsTheExactLogLines() throws Exception {
        Collector c = new Collector();
        Instant now = Instant.parse("2026-11-23T20:00:01Z");
        SyslogReceiver r = started(builder(c).udpPort(0).clock(Clock.fixed(now, ZoneOffset.UTC)));
        List<String> lines = List.of(accessLine("203.0.113.7", 1), accessLine("198.51.100.23", 2),
                accessLine("2001:db8::7", 3));
        try (DatagramSocket client = new DatagramSocket()) {
            send(client, r.udpPort(), nginx(lines.get(0)));
            send(client, r.udpPort(), "<190>Nov  3 20:00:00 web1 nginx: " + lines.get(1) + "\n");
            send(client, r.udpPort(), "<190>Nov 23 20:00:00 nginx: " + lines.get(2)); // nohostname
            awaitLines(c, 3);
        }

        assertEquals(numbered(lines), c.lines);
        assertTrue(c.sources.stream().allMatch("syslog"::equals), c.sources.toString());
        Stats s = r.stats();
        assertEquals(3, s.udp().messages());
        assertEquals(0, s.udp().bare());
        assertEquals(0, s.udp().malformed());
        assertEquals(0, s.udp().dropped());
        assertEquals(now, s.udp().lastMessageAt());
        assertEquals(3, s.delivered());
        assertEquals(r.udpPort(), s.udp().port());
        assertTrue(s.udp().enabled() && !s.tcp().enabled());
        assertNull(s.tcp().lastMessageAt());
    }

    @Test
    void udp_rfc5424WithStructuredDataAndBom_deliversTheMsgPart() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).udpPort(0));
        String line = accessLine("203.0.113.7", 1);
        try (DatagramSocket client = new DatagramSocket()) {
            send(client, r.udpPort(), "<165>1 2026-11-23T20:00:00.003Z web1.example.org nginx 4211 ACCESS"
                    + " [exampleSDID@32473 iut=\"3\" note=\"a \\\"quoted\\\" ] bracket\"][meta x=\"1\"] \uFEFF" + line);
            send(client, r.udpPort(), "<165>1 - - - - - - " + line);
            awaitLines(c, 2);
        }
        assertEquals(List.of("1:" + line, "2:" + line), c.lines);
    }

    @Test
    void udp_overLongAndGarbageDatagrams_countedMalformedWithSamples() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).udpPort(0).maxMessageBytes(480));
        try (DatagramSocket client = new DatagramSocket()) {
            send(client, r.udpPort(), nginx("x".repeat(1000)));
            send(client, r.udpPort(), "<999>not a priority");
            send(client, r.udpPort(), "");
            send(client, r.udpPort(), accessLine("203.0.113.7", 9)); // bare: delivered, counted
            awaitLines(c, 1);
            await("three malformed", () -> r.stats().udp().malformed() == 3);
        }
        assertEquals(List.of("1:" + accessLine("203.0.113.7", 9)), c.lines);
        Stats s = r.stats();
        assertEquals(1, s.udp().bare());
        assertEquals(1, s.udp().messages());
        List<String> reasons = s.udp().malformedSamples().stream().map(MalformedSample::reason).toList();
        assertEquals(List.of(SyslogReceiver.TOO_LONG_DATAGRAM, SyslogParser.BAD_PRI, SyslogParser.EMPTY), reasons);
        MalformedSample first = s.udp().malformedSamples().get(0);
        assertTrue(first.excerpt().startsWith("<190>Nov 23 20:00:00 web1 nginx: xxx") && first.excerpt().endsWith("..."),
                first.excerpt());
        assertTrue(first.peer().startsWith("127.0.0.1:"), first.peer());
        assertEquals(SyslogParser.EMPTY, s.udp().lastMalformed().reason());
    }

    @Test
    void tcp_octetCountedLfFramedAndMixed_writtenInOddChunks_arriveInOrder() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0));
        List<String> lines = IntStream.range(0, 12).mapToObj(i -> accessLine("203.0.113." + (i + 1), i)).toList();
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String msg = i % 3 == 2 ? "<165>1 2026-11-23T20:00:00Z web1 nginx - - [a@1 b=\"]\"] " + lines.get(i)
                    : nginx(lines.get(i));
            stream.append(i % 2 == 0 ? octet(msg) : msg + (i % 4 == 1 ? "\r\n" : "\n"));
        }
        byte[] all = bytes(stream.toString());
        try (Socket s = connect(r)) {
            OutputStream out = s.getOutputStream();
            int pos = 0;
            int[] chunks = {1, 1, 1, 2, 3, 5, 7, 11, 13, 1, 97, 4, 250};
            for (int k = 0; pos < all.length; k++) {
                int n = Math.min(chunks[k % chunks.length], all.length - pos);
                out.write(all, pos, n);
                out.flush();
                pos += n;
                if (k % 5 == 0) {
                    Thread.sleep(1); // let segments go out separately
                }
            }
            awaitLines(c, lines.size());
        }
        assertEquals(numbered(lines), c.lines);
        assertEquals(lines.size(), r.stats().tcp().messages());
        assertEquals(all.length, r.stats().tcp().bytes());
    }

    @Test
    void tcp_manyClientsAtOnce_everyMessageArrivesInEachClientsOrder() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0).batchLines(64));
        int clients = 40;
        int perClient = 250;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int k = 0; k < clients; k++) {
                int client = k;
                done.add(pool.submit(() -> {
                    try (Socket s = new Socket(LOOPBACK, r.tcpPort())) {
                        go.await();
                        OutputStream out = s.getOutputStream();
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < perClient; i++) {
                            String msg = nginx("192.0.2." + client + " - - [23/Nov/2026:20:00:00 +0000] \"GET /c"
                                    + client + "/" + i + " HTTP/1.1\" 200 5 \"-\" \"-\"");
                            sb.append(client % 2 == 0 ? octet(msg) : msg + "\n");
                            if (sb.length() > 3000) {
                                out.write(bytes(sb.toString()));
                                sb.setLength(0);
                            }
                        }
                        out.write(bytes(sb.toString()));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        awaitLines(c, clients * perClient);
        await("connections closed", () -> r.stats().tcp().connectionsOpen() == 0);

        Map<String, List<Integer>> byClient = new ConcurrentHashMap<>();
        for (String text : c.texts()) {
            String path = text.substring(text.indexOf("GET /c") + 6, text.indexOf(" HTTP/"));
            String[] parts = path.split("/");
            byClient.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        List<Integer> expected = IntStream.range(0, perClient).boxed().toList();
        assertEquals(clients, byClient.size());
        byClient.forEach((client, seq) -> assertEquals(expected, seq, "client " + client));
        List<Long> numbers = c.lines.stream().map(l -> Long.parseLong(l.substring(0, l.indexOf(':')))).toList();
        assertEquals(LongStreamRange.of(1, clients * perClient), numbers);
        assertEquals(clients, r.stats().tcp().connectionsAccepted());
    }

    /** 1..n as a list, for line-number checks. */
    static final class LongStreamRange {
        static List<Long> of(long from, long toInclusive) {
            List<Long> out = new ArrayList<>();
            for (long i = from; i <= toInclusive; i++) {
                out.add(i);
            }
            return out;
        }
    }

    @Test
    void tcp_overLongAndGarbageFrames_countedMalformed_laterMessagesStillDelivered() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0).maxMessageBytes(480));
        String before = accessLine("203.0.113.1", 1);
        String after = accessLine("203.0.113.2", 2);
        String tail = accessLine("203.0.113.3", 3);
        try (Socket s = connect(r)) {
            OutputStream out = s.getOutputStream();
            out.write(bytes(nginx(before) + "\n"));
            out.write(bytes(octet(nginx("o".repeat(5000)))));         // over-long, counted: skipped by count
            out.write(bytes(nginx("l".repeat(5000)) + "\n"));         // over-long line: skipped to its LF
            out.write(bytes("<999>Nov 23 20:00:00 web1 nginx: x\n"));  // bad PRI
            out.write(new byte[] {'G', 'E', 'T', '\r', 0x01, '\n'});   // binary junk
            out.write(bytes(octet(nginx(after))));
            out.write(bytes(nginx(tail) + "\n"));
            out.flush();
            awaitLines(c, 3);
        }
        assertEquals(numbered(List.of(before, after, tail)), c.lines);
        await("four malformed", () -> r.stats().tcp().malformed() == 4);
        List<String> reasons = r.stats().tcp().malformedSamples().stream().map(MalformedSample::reason).toList();
        assertEquals(List.of(TcpFramer.TOO_LONG_COUNTED, TcpFramer.TOO_LONG_LINE, SyslogParser.BAD_PRI,
                SyslogParser.BINARY), reasons);
        assertEquals("GET\\x0d\\x01", r.stats().tcp().malformedSamples().get(3).excerpt());
    }

    @Test
    void tcp_tlsHandshakeOnThePlainPort_countedOnceAndConnectionClosed() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0));
        // the start of a TLS 1.2 ClientHello record: NULs in it would otherwise split it into frames
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xf1, 0x01, 0x00, 0x00, (byte) 0xed, 0x03, 0x03, '\n',
            0x55, 0x00, 0x21, 0x00, 0x0a};
        Socket s = connect(r);
        s.getOutputStream().write(hello);
        s.setSoTimeout((int) TIMEOUT_MS);
        try {
            assertEquals(-1, s.getInputStream().read(), "closed by the receiver");
        } catch (IOException reset) {
            // closed with unread bytes: a reset is as good as an end of stream here
        }
        await("closed", () -> r.stats().tcp().connectionsOpen() == 0);
        assertEquals(1, r.stats().tcp().malformed());
        assertEquals(SyslogParser.TLS, r.stats().tcp().lastMalformed().reason());
        assertTrue(r.stats().tcp().lastMalformed().excerpt().startsWith("\\x16\\x03\\x01"));
        assertTrue(c.lines.isEmpty());
    }

    @Test
    void tcp_slowConsumer_blocksTheSenderWithBoundedMemory_andLosesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong next = new AtomicLong();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicLong nextLine = new AtomicLong(1);
        LineBatchConsumer slow = (source, batch, first) -> {
            release.await();
            if (first != nextLine.get()) {
                outOfOrder.incrementAndGet();
            }
            nextLine.addAndGet(batch.size());
            for (byte[] line : batch) {
                String text = new String(line, StandardCharsets.US_ASCII);
                long seq = Long.parseLong(text.substring(text.indexOf("/seq/") + 5, text.indexOf(" HTTP/")));
                if (seq != next.getAndIncrement()) {
                    outOfOrder.incrementAndGet();
                }
            }
        };
        int batch = 100;
        SyslogReceiver r = started(builder(slow).tcpPort(0).batchLines(batch));
        String pad = "x".repeat(900);
        int total = 50_000; // ~51 MB: more than the kernel buffers on both ends can hold
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Socket s = new Socket(LOOPBACK, r.tcpPort())) {
                OutputStream out = s.getOutputStream();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < total; i++) {
                    sb.append(nginx("203.0.113.7 - - [23/Nov/2026:20:00:00 +0000] \"GET /seq/" + i
                            + " HTTP/1.1\" 200 5 \"-\" \"" + pad + "\"")).append('\n');
                    if (sb.length() >= 64 * 1024 || i == total - 1) {
                        byte[] b = bytes(sb.toString());
                        out.write(b);
                        written.addAndGet(b.length);
                        sb.setLength(0);
                    }
                }
            } catch (IOException e) {
                errors.add("writer: " + e);
            }
        }, "slow-consumer-writer");
        writer.start();

        // wait until the writer makes no progress for half a second: it is blocked in write()
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (System.nanoTime() - stableSince < TimeUnit.MILLISECONDS.toNanos(500)) {
            if (System.nanoTime() > deadline) {
                fail("the sender never blocked; written " + written.get());
            }
            long w = written.get();
            if (w != last) {
                last = w;
                stableSince = System.nanoTime();
            }
            Thread.sleep(20);
        }
        Stats blocked = r.stats();
        assertTrue(writer.isAlive(), "writer still blocked in write()");
        long messageBytes = 1000;
        assertTrue(blocked.pending() <= 2L * batch, "pending " + blocked.pending());
        assertTrue(blocked.tcp().bytes() <= (2L * batch + 200) * messageBytes,
                "receiver read only what its bounded queue holds: " + blocked.tcp().bytes());
        assertEquals(0, blocked.delivered());

        release.countDown();
        writer.join(TIMEOUT_MS);
        await("all delivered", () -> r.stats().delivered() == total);
        assertEquals(total, next.get());
        assertEquals(0, outOfOrder.get());
        assertEquals(0, r.stats().tcp().malformed());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void udp_queueOverflow_countsDroppedDatagrams() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Collector c = new Collector();
        LineBatchConsumer blocked = (source, batch, first) -> {
            release.await();
            c.accept(source, batch, first);
        };
        SyslogReceiver r = started(builder(blocked).udpPort(0).batchLines(1).udpQueueCapacity(5));
        int sent = 40;
        try (DatagramSocket client = new DatagramSocket()) {
            for (int i = 0; i < sent; i++) {
                send(client, r.udpPort(), nginx(accessLine("203.0.113.7", i)));
                int expected = i + 1;
                await("datagram " + expected, () -> r.stats().udp().messages() == expected);
            }
        }
        Stats full = r.stats();
        assertTrue(full.udp().dropped() >= sent - 6, "dropped " + full.udp().dropped());
        assertEquals(sent, full.udp().dropped() + full.pending());

        release.countDown();
        await("queued ones delivered", () -> r.stats().pending() == 0);
        long delivered = r.stats().delivered();
        assertEquals(sent, delivered + r.stats().udp().dropped());
        assertEquals(numbered(c.texts()), c.lines);
        assertEquals(accessLine("203.0.113.7", 0), c.texts().get(0));
    }

    @Test
    void consumerThrows_batchIsRetriedWithTheSameLineNumbers_nothingLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Collector c = new Collector();
        LineBatchConsumer flaky = (source, batch, first) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IOException("store unavailable");
            }
            c.accept(source, batch, first);
        };
        SyslogReceiver r = started(builder(flaky).port(0).flushInterval(Duration.ofMillis(200)));
        List<String> lines = IntStream.range(0, 6).mapToObj(i -> accessLine("198.51.100." + i, i)).toList();
        try (DatagramSocket client = new DatagramSocket(); Socket s = connect(r)) {
            for (int i = 0; i < 3; i++) {
                send(client, r.udpPort(), nginx(lines.get(i)));
            }
            OutputStream out = s.getOutputStream();
            for (int i = 3; i < 6; i++) {
                out.write(bytes(octet(nginx(lines.get(i)))));
            }
            out.flush();
            awaitLines(c, 6);
        }
        assertEquals(lines.stream().sorted().toList(), c.texts().stream().sorted().toList());
        assertEquals(numbered(c.texts()), c.lines);
        assertEquals(2, r.stats().deliveryFailures());
        assertEquals(6, r.stats().delivered());
        // the same failure twice in a row is reported once
        assertEquals(List.of("syslog: store unavailable"), errors);
        assertEquals("syslog: store unavailable", r.stats().lastError());
    }

    @Test
    void close_deliversWhatWasQueuedAndReleasesThePorts() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = builder(c).port(0).flushInterval(Duration.ofSeconds(30)).batchLines(1000).build();
        r.start();
        int udpPort = r.udpPort();
        int tcpPort = r.tcpPort();
        Socket s = connect(r);
        s.getOutputStream().write(bytes(nginx(accessLine("203.0.113.7", 1)) + "\n"));
        await("queued", () -> r.stats().pending() == 1);

        r.close(); // the 30 s flush interval must not hold the queued message back

        assertEquals(List.of("1:" + accessLine("203.0.113.7", 1)), c.lines);
        assertEquals(0, r.stats().lostOnClose());
        s.setSoTimeout((int) TIMEOUT_MS);
        assertEquals(-1, s.getInputStream().read(), "connection closed by the receiver");
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(LOOPBACK, tcpPort));
            udp.bind(new InetSocketAddress(LOOPBACK, udpPort));
        }
    }

    @Test
    void close_consumerKeepsFailing_givesUpAfterTheTimeoutAndCountsTheLoss() throws Exception {
        LineBatchConsumer broken = (source, batch, first) -> {
            throw new IllegalStateException("disk full");
        };
        SyslogReceiver r = builder(broken).udpPort(0).closeTimeout(Duration.ofMillis(200))
                .flushInterval(Duration.ofMillis(5)).build();
        r.start();
        try (DatagramSocket client = new DatagramSocket()) {
            for (int i = 0; i < 3; i++) {
                send(client, r.udpPort(), nginx(accessLine("203.0.113.7", i)));
            }
        }
        await("received", () -> r.stats().udp().messages() == 3);
        await("a failure", () -> r.stats().deliveryFailures() > 0);
        r.close();
        assertEquals(3, r.stats().lostOnClose());
        assertEquals(0, r.stats().delivered());
        assertTrue(errors.stream().anyMatch(e -> e.contains("3 received messages were not delivered")), errors.toString());
    }

    @Test
    void tcp_halfClosedAndIdleConnections_areCleanedUpAndTheirLastLineDelivered() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0).idleTimeout(Duration.ofMillis(300)));
        Socket halfClosed = connect(r);
        halfClosed.getOutputStream().write(bytes(nginx(accessLine("203.0.113.1", 1)))); // no LF
        halfClosed.shutdownOutput();
        awaitLines(c, 1);
        await("half-closed connection closed", () -> r.stats().tcp().connectionsOpen() == 0);

        Socket idle = connect(r);
        idle.getOutputStream().write(bytes(nginx(accessLine("203.0.113.2", 2)))); // no LF, then silence
        await("connection open", () -> r.stats().tcp().connectionsOpen() == 1);
        await("idle connection closed", () -> r.stats().tcp().connectionsIdleClosed() == 1);
        awaitLines(c, 2);
        assertEquals(numbered(List.of(accessLine("203.0.113.1", 1), accessLine("203.0.113.2", 2))), c.lines);
        assertEquals(0, r.stats().tcp().connectionsOpen());
        idle.setSoTimeout((int) TIMEOUT_MS);
        assertEquals(-1, idle.getInputStream().read());
    }

    @Test
    void tcp_connectionsBeyondTheLimit_areRefusedAndCounted() throws Exception {
        Collector c = new Collector();
        SyslogReceiver r = started(builder(c).tcpPort(0).maxConnections(2));
        Socket a = connect(r);
        Socket b = connect(r);
        await("two open", () -> r.stats().tcp().connectionsOpen() == 2);
        Socket extra = connect(r);
        extra.setSoTimeout((int) TIMEOUT_MS);
        InputStream in = extra.getInputStream();
        try {
            assertEquals(-1, in.read(), "refused connection closed");
        } catch (SocketTimeoutException e) {
            fail("the connection over the limit stayed open");
        } catch (IOException reset) {
            // closed by the receiver: a reset is as good as an end of stream here
        }
        assertEquals(1, r.stats().tcp().connectionsRejected());
        a.getOutputStream().write(bytes(nginx("one") + "\n"));
        b.getOutputStream().write(bytes(nginx("two") + "\n"));
        awaitLines(c, 2);
        assertEquals(List.of("one", "two"), c.texts().stream().sorted().toList());
    }

    @Test
    void start_portTaken_failsNamingItAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
            int udpPort;
            try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
                udpPort = probe.getLocalPort();
            }
            SyslogReceiver r = SyslogReceiver.builder((s, l, f) -> { })
                    .udpPort(udpPort).tcpPort(taken.getLocalPort()).build();
            IOException e = assertThrows(IOException.class, r::start);
            assertTrue(e.getMessage().startsWith("cannot bind syslog tcp 127.0.0.1:" + taken.getLocalPort()),
                    e.getMessage());
            try (DatagramSocket again = new DatagramSocket(udpPort, LOOPBACK)) {
                assertEquals(udpPort, again.getLocalPort());
            }
            r.close();
        }
    }

    @Test
    void builder_outOfRangeValues_areRefusedWithTheRange() {
        SyslogReceiver.Builder b = SyslogReceiver.builder((s, l, f) -> { });
        assertEquals("maxMessageBytes must be between 480 and 16777216, was 100",
                assertThrows(IllegalArgumentException.class, () -> b.maxMessageBytes(100)).getMessage());
        assertEquals("udpPort must be between 0 and 65535, was 70000",
                assertThrows(IllegalArgumentException.class, () -> b.udpPort(70_000)).getMessage());
        assertEquals("batchLines must be between 1 and 100000, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.batchLines(0)).getMessage());
        assertEquals("udpQueueCapacity must be between 1 and 10000000, was 0",
                assertThrows(IllegalArgumentException.class, () -> b.udpQueueCapacity(0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.flushInterval(Duration.ZERO))
                .getMessage().startsWith("flushInterval must be between PT0.001S and PT1M"));
        assertEquals("nothing to receive: call udpPort(..), tcpPort(..) or port(..)",
                assertThrows(IllegalStateException.class, b::build).getMessage());
        assertEquals("syslog", b.udpPort(0).build().source());
    }

    @Test
    void stats_beforeAnyTraffic_areZeroAndNamed() throws Exception {
        SyslogReceiver r = started(builder(new Collector()).port(0));
        Stats s = r.stats();
        assertEquals(List.of("udp", "tcp"), List.of(s.udp().transport(), s.tcp().transport()));
        assertEquals(List.of(0L, 0L, 0L), List.of(s.udp().messages(), s.tcp().messages(), s.delivered()));
        assertEquals(r.tcpPort(), s.tcp().port());
        assertTrue(s.udp().malformedSamples().isEmpty());
        assertNull(s.lastError());
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
