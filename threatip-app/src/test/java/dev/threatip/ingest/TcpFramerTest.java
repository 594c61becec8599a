package dev.threatip.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class TcpFramerTest {

    private static final int MAX = 480;

    /** Records frames as {@code F:text} and malformed frames as {@code M:reason}. */
    static final class Events implements TcpFramer.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public boolean frame(byte[] buf, int off, int len) {
            String text = new String(buf, off, len, StandardCharsets.ISO_8859_1);
            events.add("F:" + text);
            return !text.equals("STOP");
        }

        @Override
        public void malformed(String reason, byte[] buf, int off, int len) {
            events.add("M:" + reason);
        }
    }

    /** A channel that hands out {@code data} in chunks of the sizes {@code chunk} picks. */
    static final class ChunkedChannel implements ReadableByteChannel {
        private final byte[] data;
        private final IntSupplier chunk;
        private int pos;

        ChunkedChannel(byte[] data, IntSupplier chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(Math.min(chunk.getAsInt(), dst.remaining()), data.length - pos);
            dst.put(data, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static List<String> frame(byte[] stream, IntSupplier chunk) throws IOException {
        TcpFramer framer = new TcpFramer(MAX);
        Events sink = new Events();
        ChunkedChannel ch = new ChunkedChannel(stream, chunk);
        while (framer.readFrom(ch, sink) >= 0) {
            // keep reading until the end of the stream
        }
        framer.endOfStream(sink);
        return sink.events;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String counted(String msg) {
        return ascii(msg).length + " " + msg;
    }

    @Test
    void frame_octetCountedAndLfFramedMixed_splitAnywhere_yieldsTheSameFrames() throws IOException {
        String a = "<190>Nov 23 20:00:00 web1 nginx: 203.0.113.7 - - [23/Nov/2026:20:00:00 +0000] \"GET / HTTP/1.1\" 200 5";
        String b = "<13>1 2026-11-23T20:00:00Z web1 nginx - - [x@1 a=\"1\\]\"] two\nlines inside a counted frame";
        String stream = counted(a) + a + "\n" + counted(b) + "\r\n" + a + "\r\n\n" + counted(a) + "\u0000" + a;
        List<String> expected = List.of("F:" + a, "F:" + a, "F:" + b, "F:" + a, "F:" + a, "F:" + a);
        byte[] bytes = ascii(stream);
        assertEquals(expected, frame(bytes, () -> bytes.length));
        assertEquals(expected, frame(bytes, () -> 1));
        for (int size = 2; size < 40; size++) {
            int s = size;
            assertEquals(expected, frame(bytes, () -> s), "chunks of " + size);
        }
    }

    @Test
    void frame_bareAccessLogLines_areNotMistakenForOctetCounts() throws IOException {
        String line = "203.0.113.7 - - [23/Nov/2026:20:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"-\"";
        assertEquals(List.of("F:" + line, "F:200 OK", "F:12"), frame(ascii(line + "\n200 OK\n12"), () -> 3));
    }

    @Test
    void frame_overLongCountedFrame_isSkippedByItsCountAndTheNextFrameArrives() throws IOException {
        String big = "<13>" + "x".repeat(MAX + 100);
        String next = "<13>Nov 23 20:00:00 h t: after";
        byte[] bytes = ascii(counted(big) + counted(next));
        assertEquals(List.of("M:" + TcpFramer.TOO_LONG_COUNTED, "F:" + next), frame(bytes, () -> 7));
    }

    @Test
    void frame_overLongLine_isSkippedToItsLfAndTheNextLineArrives() throws IOException {
        String big = "<13>" + "y".repeat(MAX * 5);
        String next = "<13>Nov 23 20:00:00 h t: after";
        byte[] bytes = ascii(big + "\n" + next + "\n" + big + "\n");
        List<String> expected = List.of("M:" + TcpFramer.TOO_LONG_LINE, "F:" + next, "M:" + TcpFramer.TOO_LONG_LINE);
        assertEquals(expected, frame(bytes, () -> bytes.length));
        assertEquals(expected, frame(bytes, () -> 1));
        assertEquals(expected, frame(bytes, () -> 100));
    }

    @Test
    void frame_lineOfExactlyTheMaximum_isDeliveredEvenWithCrLf() throws IOException {
        String line = "<13>" + "z".repeat(MAX - 4);
        assertEquals(List.of("F:" + line, "F:" + line), frame(ascii(line + "\r\n" + line + "\n"), () -> 1));
    }

    @Test
    void frame_streamEndsInsideACountedFrame_reportsTheTruncation() throws IOException {
        assertEquals(List.of("F:<13>Nov 23 20:00:00 h t: a", "M:" + TcpFramer.TRUNCATED),
                frame(ascii("<13>Nov 23 20:00:00 h t: a\n40 <13>Nov 23 20:00:00 h t: cut"), () -> 5));
    }

    @Test
    void frame_sinkRefusesAFrame_restOfTheStreamIsDiscarded() throws IOException {
        TcpFramer framer = new TcpFramer(MAX);
        Events sink = new Events();
        ChunkedChannel ch = new ChunkedChannel(ascii("a\nSTOP\nb\nc\n"), () -> 100);
        assertEquals(11, framer.readFrom(ch, sink));
        assertTrue(framer.stopped());
        assertEquals(-1, framer.readFrom(ch, sink), "nothing more is read once stopped");
        framer.endOfStream(sink);
        assertEquals(List.of("F:a", "F:STOP"), sink.events);
        assertEquals(0, framer.buffered());
    }

    @Test
    void frame_wrongCount_desynchronisesUntilTheNextLf() throws IOException {
        // the count says 10 but the message is longer: its tail is read as an LF-framed line
        byte[] bytes = ascii("10 <13>Nov 23 20:00:00 h t: one\n<13>Nov 23 20:00:00 h t: two\n");
        assertEquals(List.of("F:<13>Nov 23", "F: 20:00:00 h t: one", "F:<13>Nov 23 20:00:00 h t: two"),
                frame(bytes, () -> 4));
    }

    @Test
    void frame_randomStreams_matchAnOracleWhateverTheSegmentBoundaries() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            List<String> expected = new ArrayList<>();
            int frames = 1 + random.nextInt(30);
            for (int f = 0; f < frames; f++) {
                int kind = random.nextInt(10);
                int len = random.nextInt(kind < 8 ? 200 : MAX * 3);
                String body = "<" + random.nextInt(192) + ">" + "a b\"]\\".repeat(len / 6 + 1).substring(0, len);
                if (kind % 2 == 0) {
                    stream.writeBytes(ascii(counted(body)));
                    expected.add(ascii(body).length > MAX ? "M:" + TcpFramer.TOO_LONG_COUNTED : "F:" + body);
                    if (random.nextInt(4) == 0) {
                        stream.writeBytes(ascii("\n")); // a stray trailer after a counted frame
                    }
                } else {
                    String trailer = List.of("\n", "\r\n", "\u0000").get(random.nextInt(3));
                    stream.writeBytes(ascii(body + trailer));
                    expected.add(ascii(body).length > MAX ? "M:" + TcpFramer.TOO_LONG_LINE : "F:" + body);
                }
            }
            byte[] bytes = stream.toByteArray();
            List<String> got = frame(bytes, () -> 1 + random.nextInt(random.nextBoolean() ? 3 : 700));
            assertEquals(expected, got, "round " + round);
        }
    }
}
