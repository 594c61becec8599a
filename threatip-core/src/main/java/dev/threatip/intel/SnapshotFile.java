package dev.threatip.intel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A snapshot file, memory-mapped and checked: magic, version, length, header checksum, section
 * bounds, and (unless told to trust them) every hot section's checksum. Sections are mapped in
 * chunks, so files over 2 GB work.
 */
final class SnapshotFile {
    /** One mapped section: its flags and its bytes as little-endian buffers of at most 2 GB each. */
    record Section(int id, int flags, long offset, long length, int crc, ByteBuffer[] chunks) {
    }

    private final Path path;
    private final long compiledAtMillis;
    private final Section[] sections = new Section[SnapshotLayout.SECTION_COUNT];
    private volatile boolean linesVerified;

    private SnapshotFile(Path path, long compiledAtMillis) {
        this.path = path;
        this.compiledAtMillis = compiledAtMillis;
    }

    static SnapshotFile open(Path path, boolean verifyChecksums) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            int tableBytes = SnapshotLayout.SECTION_COUNT * SnapshotLayout.SECTION_ENTRY_BYTES;
            if (size < SnapshotLayout.HEADER_BYTES) {
                throw new InvalidSnapshotException(path, "truncated: " + size + " bytes, shorter than the header");
            }
            ByteBuffer head = ByteBuffer.allocate(SnapshotLayout.HEADER_BYTES + tableBytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head, 0);
            byte[] magic = new byte[SnapshotLayout.MAGIC.length];
            head.get(0, magic);
            if (!Arrays.equals(magic, SnapshotLayout.MAGIC)) {
                throw new InvalidSnapshotException(path, "not a threatip snapshot (bad magic bytes)");
            }
            int version = head.getInt(8);
            if (version != SnapshotLayout.VERSION) {
                throw new InvalidSnapshotException(path, "format version " + version + "; this build reads version "
                        + SnapshotLayout.VERSION + " (recompile the feeds)");
            }
            int count = head.getInt(12);
            long declared = head.getLong(16);
            if (count != SnapshotLayout.SECTION_COUNT) {
                throw new InvalidSnapshotException(path, "header names " + count + " sections, expected "
                        + SnapshotLayout.SECTION_COUNT);
            }
            if (declared != size) {
                throw new InvalidSnapshotException(path, (size < declared ? "truncated: " : "trailing bytes: ")
                        + "header says " + declared + " bytes, file has " + size);
            }
            CRC32C crc = new CRC32C();
            crc.update(head.array(), 0, 32);
            crc.update(head.array(), 36, head.capacity() - 36);
            if ((int) crc.getValue() != head.getInt(32)) {
                throw new InvalidSnapshotException(path, "header checksum mismatch (corrupt header or section table)");
            }
            SnapshotFile file = new SnapshotFile(path, head.getLong(24));
            for (int i = 0; i < count; i++) {
                int base = SnapshotLayout.HEADER_BYTES + i * SnapshotLayout.SECTION_ENTRY_BYTES;
                int id = head.getInt(base);
                int flags = head.getInt(base + 4);
                long offset = head.getLong(base + 8);
                long length = head.getLong(base + 16);
                int sectionCrc = head.getInt(base + 24);
                if (id != i + 1 || offset < SnapshotLayout.HEADER_BYTES + tableBytes || length < 0
                        || offset > size || length > size - offset) {
                    throw new InvalidSnapshotException(path, "section table entry " + i + " is out of bounds");
                }
                long chunk = id == SnapshotLayout.V4_ENTRIES
                        ? (long) entryStride(flags) << SnapshotLayout.CHUNK_ENTRY_BITS
                        : 1L << 30;
                Section s = new Section(id, flags, offset, length, sectionCrc, map(ch, offset, length, chunk));
                file.sections[i] = s;
                if (verifyChecksums && id != SnapshotLayout.V4_LINES) {
                    file.verify(s);
                }
            }
            return file;
        } catch (NoSuchFileException e) {
            throw new InvalidSnapshotException(path, "no such file");
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buf.flip();
    }

    /** Bytes of one V4_ENTRIES record: u16 key and a u16 or u32 set id. */
    static int entryStride(int flags) {
        return (flags & SnapshotLayout.NARROW_SETS) != 0 ? 4 : 6;
    }

    /**
     * Maps a section in chunks of {@code chunk} bytes. The entry table is chunked on whole
     * records (2^28 of them); other sections on 1 GB, a multiple of every element size they use.
     */
    private static ByteBuffer[] map(FileChannel ch, long offset, long length, long chunk) throws IOException {
        int n = (int) Math.max(1, (length + chunk - 1) / chunk);
        ByteBuffer[] chunks = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            long from = i * chunk;
            long len = Math.min(chunk, length - from);
            chunks[i] = ch.map(FileChannel.MapMode.READ_ONLY, offset + from, Math.max(0, len)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return chunks;
    }

    private void verify(Section s) {
        CRC32C crc = new CRC32C();
        for (ByteBuffer b : s.chunks()) {
            crc.update(b.duplicate());
        }
        if ((int) crc.getValue() != s.crc()) {
            throw new InvalidSnapshotException(path, SnapshotLayout.sectionName(s.id()) + " checksum mismatch (corrupt data)");
        }
    }

    /** Verifies the line-provenance section on first use; it is not read by lookups. */
    void verifyLines() {
        if (!linesVerified) {
            verify(section(SnapshotLayout.V4_LINES));
            linesVerified = true;
        }
    }

    Section section(int id) {
        return sections[id - 1];
    }

    Path path() {
        return path;
    }

    long compiledAtMillis() {
        return compiledAtMillis;
    }

    long totalBytes(int id) {
        return section(id).length();
    }

    InvalidSnapshotException corrupt(String why) {
        return new InvalidSnapshotException(path, why);
    }
}
