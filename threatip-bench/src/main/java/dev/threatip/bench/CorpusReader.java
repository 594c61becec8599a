package dev.threatip.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a byte range of a log file the way {@code FileTailer} delivers it: complete lines as
 * {@code byte[]} without their terminator, in batches of up to {@code batchLines}, with the
 * 1-based line number of each batch's first line (counted from the range's start). Unlike the
 * tailer it keeps no position file and never waits for more data, so it measures the pipeline
 * behind it rather than the tailer's polling and position writes.
 */
final class CorpusReader {
    /** One consumer call per batch; throwing stops the read. */
    interface BatchSink {
        void accept(List<byte[]> lines, long firstLineNumber) throws Exception;
    }

    private static final int CHUNK = 4 << 20;

    private CorpusReader() {
    }

    /**
     * Splits {@code file} into {@code parts} byte ranges that start and end at line boundaries,
     * for that many parallel inputs.
     *
     * @return {@code parts + 1} offsets; range i is {@code [offsets[i], offsets[i + 1])}
     */
    static long[] split(Path file, int parts) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long[] offsets = new long[parts + 1];
            offsets[parts] = size;
            ByteBuffer one = ByteBuffer.allocate(64 << 10);
            for (int i = 1; i < parts; i++) {
                long at = Math.max(offsets[i - 1], size * i / parts);
                offsets[i] = nextLineStart(ch, at, size, one);
            }
            return offsets;
        }
    }

    private static long nextLineStart(FileChannel ch, long at, long size, ByteBuffer buf) throws IOException {
        long pos = at;
        while (pos < size) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return size;
    }

    /**
     * Reads {@code [from, to)} of {@code file} and hands its lines to {@code sink} in batches.
     *
     * @return lines delivered
     */
    static long read(Path file, long from, long to, int batchLines, BatchSink sink) throws Exception {
        long lineNumber = 1;
        long delivered = 0;
        List<byte[]> batch = new ArrayList<>(batchLines);
        byte[] buf = new byte[CHUNK];
        int len = 0;
        long pos = from;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                }
                int want = (int) Math.min(buf.length - len, to - pos);
                int n = want == 0 ? -1 : ch.read(ByteBuffer.wrap(buf, len, want), pos);
                boolean eof = n <= 0;
                if (!eof) {
                    pos += n;
                    len += n;
                }
                int start = 0;
                for (int i = 0; i < len; i++) {
                    if (buf[i] == '\n') {
                        int end = i > start && buf[i - 1] == '\r' ? i - 1 : i;
                        batch.add(Arrays.copyOfRange(buf, start, end));
                        start = i + 1;
                        if (batch.size() == batchLines) {
                            sink.accept(batch, lineNumber);
                            lineNumber += batch.size();
                            delivered += batch.size();
                            batch = new ArrayList<>(batchLines);
                        }
                    }
                }
                if (eof) {
                    if (start < len) {
                        batch.add(Arrays.copyOfRange(buf, start, len)); // a last line without newline
                    }
                    break;
                }
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
            }
        }
        if (!batch.isEmpty()) {
            sink.accept(batch, lineNumber);
            delivered += batch.size();
        }
        return delivered;
    }
}
