package dev.threatip.intel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a snapshot file section by section, streaming: each section's bytes go through one
 * buffer into the file while their CRC32C is computed. The file is written beside its target
 * and moved into place only when complete, so a reader never sees half a snapshot.
 */
final class SnapshotWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private final long[][] table = new long[SnapshotLayout.SECTION_COUNT][]; // id-1 -> {flags, offset, length, crc}
    private long position;
    private int current = -1;
    private long sectionStart;
    private boolean done;

    SnapshotWriter(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        Files.createDirectories(dir);
        this.temp = Files.createTempFile(dir, this.target.getFileName().toString(), ".tmp");
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.position = SnapshotLayout.HEADER_BYTES + (long) SnapshotLayout.SECTION_COUNT * SnapshotLayout.SECTION_ENTRY_BYTES;
    }

    void begin(int section) throws IOException {
        if (current >= 0) {
            throw new IllegalStateException("section " + current + " still open");
        }
        long aligned = (position + SnapshotLayout.ALIGN - 1) / SnapshotLayout.ALIGN * SnapshotLayout.ALIGN;
        position = aligned;
        channel.position(aligned);
        current = section;
        sectionStart = aligned;
        crc.reset();
    }

    void end(int flags) throws IOException {
        flush();
        table[current - 1] = new long[] {flags, sectionStart, position - sectionStart, crc.getValue()};
        current = -1;
    }

    void putShort(short v) throws IOException {
        room(2);
        buffer.putShort(v);
    }

    void putInt(int v) throws IOException {
        room(4);
        buffer.putInt(v);
    }

    void putLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    void put(byte[] bytes) throws IOException {
        int off = 0;
        while (off < bytes.length) {
            room(1);
            int n = Math.min(buffer.remaining(), bytes.length - off);
            buffer.put(bytes, off, n);
            off += n;
        }
    }

    private void room(int n) throws IOException {
        if (buffer.remaining() < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        ByteBuffer view = buffer.duplicate();
        crc.update(view);
        while (buffer.hasRemaining()) {
            position += channel.write(buffer);
        }
        buffer.clear();
    }

    /** Writes the header and section table, syncs, and moves the file into place. */
    void finish(long compiledAtMillis) throws IOException {
        for (int i = 0; i < table.length; i++) {
            if (table[i] == null) {
                throw new IllegalStateException("section " + SnapshotLayout.sectionName(i + 1) + " was not written");
            }
        }
        ByteBuffer head = ByteBuffer.allocate(SnapshotLayout.HEADER_BYTES
                + SnapshotLayout.SECTION_COUNT * SnapshotLayout.SECTION_ENTRY_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        head.put(SnapshotLayout.MAGIC).putInt(SnapshotLayout.VERSION).putInt(SnapshotLayout.SECTION_COUNT)
                .putLong(position).putLong(compiledAtMillis);
        head.position(SnapshotLayout.HEADER_BYTES);
        for (int i = 0; i < table.length; i++) {
            head.putInt(i + 1).putInt((int) table[i][0]).putLong(table[i][1]).putLong(table[i][2])
                    .putInt((int) table[i][3]).putInt(0);
        }
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(head.array(), 0, 32);
        headerCrc.update(head.array(), 36, head.capacity() - 36);
        head.putInt(32, (int) headerCrc.getValue());
        head.rewind();
        channel.position(0);
        while (head.hasRemaining()) {
            channel.write(head);
        }
        channel.truncate(position);
        channel.force(true);
        channel.close();
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        done = true;
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
        if (!done) {
            Files.deleteIfExists(temp);
        }
    }
}
