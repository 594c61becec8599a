package dev.threatip.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One followed path and the file currently open behind it.
 *
 * <p>The reader keeps no line buffer between polls: the acknowledged {@link #offset} always sits
 * at the start of a line, and each poll re-reads from there with positional reads (a partial last
 * line is simply read again next time, at most {@code maxLineBytes} of it). That makes a rejected
 * batch trivially redeliverable and the persisted state just (file key, offset, line, fingerprint).
 * The only carried scan state is {@link #skipScan}, the point an over-long line has been scanned
 * to, so a runaway line without a newline is scanned once, not once per poll.
 *
 * <p>Identity of the open file is its file key (device and inode on Unix) plus a fingerprint: a
 * hash of the first {@code min(1024, offset)} bytes, i.e. of bytes already read, which in an
 * append-only file never change. A mismatch means the file was truncated and rewritten
 * (copytruncate) or the inode was reused by a different file.
 */
final class TailedFile {

    static final int FINGERPRINT_BYTES = 1024;

    final String name;
    final Path path;
    final boolean fromGlob;

    FileChannel channel;
    String fileKey;
    volatile long offset;
    long lineNumber;
    int fingerprintLength;
    String fingerprint = "";
    /** The first {@code headLength} bytes of the file as read, for the fingerprint. */
    private final byte[] head = new byte[FINGERPRINT_BYTES];
    private int headLength;
    /** Scan position inside an over-long line being skipped, or -1. */
    long skipScan = -1;
    long lastSize = -1;
    long lastChangeMillis;
    /** The path no longer names the open file: drain it, then switch. */
    boolean retiring;
    /** A saved position to try on the first open in this process, or null. */
    PositionStore.Position saved;

    volatile long linesRead;
    volatile long linesSkipped;
    volatile long rotations;
    volatile long truncations;
    volatile long size;
    volatile long errors;
    volatile String lastError;

    TailedFile(String name, Path path, boolean fromGlob) {
        this.name = name;
        this.path = path;
        this.fromGlob = fromGlob;
    }

    /** Result of scanning from the offset: lines ending before {@code endOffset}, or a skip. */
    record Batch(List<byte[]> lines, long endOffset, long skipTo, long overlongScannedTo, byte[] rawHead) {}

    void open() throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a read-only channel has nothing to flush; nothing to do
            }
            channel = null;
        }
    }

    void resetTo(long newOffset, long newLine) throws IOException {
        offset = newOffset;
        lineNumber = newLine;
        skipScan = -1;
        fingerprintLength = -1;
        refreshFingerprint();
    }

    /**
     * Recomputes the fingerprint from the file while the read part is shorter than 1 KiB. Used
     * where no delivered bytes are at stake (open, reset, skipped line); after a delivered batch
     * {@link #extendFingerprint} uses the bytes that were actually read instead, so a file
     * replaced while the consumer held the batch is still told apart.
     */
    void refreshFingerprint() throws IOException {
        int len = (int) Math.min(FINGERPRINT_BYTES, offset);
        if (len != fingerprintLength || (len > 0 && fingerprint.isEmpty())) {
            headLength = readAt(channel, head, len, 0);
            fingerprint = digest(head, headLength);
            fingerprintLength = len;
        }
    }

    /** Extends the fingerprint with the raw bytes of an acknowledged batch read from below 1 KiB. */
    void extendFingerprint(byte[] rawHead) {
        int len = (int) Math.min(FINGERPRINT_BYTES, offset);
        if (len == fingerprintLength || rawHead == null) {
            return;
        }
        int need = Math.min(len - headLength, rawHead.length);
        System.arraycopy(rawHead, 0, head, headLength, need);
        headLength += need;
        fingerprint = digest(head, headLength);
        fingerprintLength = headLength;
    }

    boolean fingerprintMatches(int length, String expected) throws IOException {
        if (length == 0) {
            return true;
        }
        if (channel.size() < length) {
            return false;
        }
        return fingerprintOf(channel, length).equals(expected);
    }

    static String fingerprintOf(FileChannel ch, int length) throws IOException {
        if (length == 0) {
            return "";
        }
        byte[] bytes = new byte[length];
        return digest(bytes, readAt(ch, bytes, length, 0));
    }

    private static String digest(byte[] bytes, int n) {
        if (n == 0) {
            return "";
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        sha.update(bytes, 0, n);
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /**
     * Scans complete lines from {@link #offset} up to {@code size}, at most {@code maxLines} and,
     * past the first line, at most {@code maxBatchBytes} of line bytes.
     * A line longer than {@code maxLineBytes} ends the batch before it; alone, it comes back as
     * {@code skipTo} (its end is known) or {@code overlongScannedTo} (no newline yet). With
     * {@code flushPartial} a trailing unterminated line is returned as a line too.
     */
    Batch scan(byte[] buf, long size, int maxLines, long maxBatchBytes, int maxLineBytes, boolean flushPartial)
            throws IOException {
        List<byte[]> lines = new ArrayList<>();
        long batchBytes = 0;
        byte[] rawHead = null;
        long pos = offset;
        while (pos < size) {
            int n = readAt(channel, buf, (int) Math.min(buf.length, size - pos), pos);
            if (n <= 0) {
                break;
            }
            if (pos < FINGERPRINT_BYTES && rawHead == null) {
                rawHead = Arrays.copyOf(buf, (int) Math.min(n, FINGERPRINT_BYTES - pos));
            }
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                int len = i - start;
                if (len > maxLineBytes) {
                    return lines.isEmpty()
                            ? new Batch(lines, pos + start, pos + i + 1, -1, null)
                            : batch(lines, rawHead, pos + start);
                }
                if (!lines.isEmpty() && batchBytes + len > maxBatchBytes) {
                    return batch(lines, rawHead, pos + start);
                }
                lines.add(line(buf, start, len));
                batchBytes += len;
                start = i + 1;
                if (lines.size() == maxLines) {
                    return batch(lines, rawHead, pos + start);
                }
            }
            int rest = n - start;
            if (rest > maxLineBytes) {
                return lines.isEmpty()
                        ? new Batch(lines, pos + start, -1, pos + n, null)
                        : batch(lines, rawHead, pos + start);
            }
            if (start == 0) {
                // no newline in a short read: the unterminated tail of the file
                if (flushPartial) {
                    lines.add(line(buf, 0, n));
                    return batch(lines, rawHead, pos + n);
                }
                break;
            }
            pos += start;
        }
        return batch(lines, rawHead, pos);
    }

    /** Continues skipping an over-long line: the offset after its newline, or -1 if none yet. */
    long findNewline(byte[] buf, long size) throws IOException {
        long pos = skipScan;
        while (pos < size) {
            int n = readAt(channel, buf, (int) Math.min(buf.length, size - pos), pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        skipScan = pos;
        return -1;
    }

    /** Counts the lines before the last newline: the "start at end" position of a file. */
    long[] endOfLastCompleteLine(byte[] buf) throws IOException {
        long size = channel.size();
        long lines = 0;
        long end = 0;
        long pos = 0;
        while (pos < size) {
            int n = readAt(channel, buf, (int) Math.min(buf.length, size - pos), pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    lines++;
                    end = pos + i + 1;
                }
            }
            pos += n;
        }
        return new long[] {end, lines};
    }

    private static Batch batch(List<byte[]> lines, byte[] rawHead, long endOffset) {
        return new Batch(lines, endOffset, -1, -1, rawHead);
    }

    PositionStore.Position position() {
        return new PositionStore.Position(fileKey, offset, lineNumber, fingerprintLength, fingerprint);
    }

    private static byte[] line(byte[] buf, int start, int len) {
        int end = start + len;
        if (len > 0 && buf[end - 1] == '\r') {
            end--;
        }
        return Arrays.copyOfRange(buf, start, end);
    }

    private static int readAt(FileChannel ch, byte[] buf, int length, long position) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, length);
        long pos = position;
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        return bb.position();
    }
}
