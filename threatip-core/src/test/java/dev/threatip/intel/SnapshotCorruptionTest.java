package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt snapshot is refused with a typed error naming the problem: never a crash, never a wrong answer. */
class SnapshotCorruptionTest {
    @TempDir
    Path dir;

    private byte[] good() throws IOException {
        return Files.readAllBytes(SnapshotFixtures.small(dir));
    }

    private InvalidSnapshotException refused(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.tis");
        Files.write(p, bytes);
        return assertThrows(InvalidSnapshotException.class, () -> {
            ReputationIndex index = ReputationIndex.open(p);
            // Lines are verified on first explain: a corruption there must surface as the same type.
            index.explain(IpAddress.parse("198.51.100.7"));
        });
    }

    @Test
    void open_goodSnapshot_answers() throws IOException {
        ReputationIndex index = ReputationIndex.open(SnapshotFixtures.small(dir));
        assertTrue(index.lookup(IpAddress.parse("198.51.100.7")).isFlagged());
        assertEquals(1, index.explain(IpAddress.parse("203.0.113.9")).line());
    }

    @Test
    void open_missingFile_namesIt() {
        InvalidSnapshotException e = assertThrows(InvalidSnapshotException.class,
                () -> ReputationIndex.open(dir.resolve("nope.tis")));
        assertTrue(e.getMessage().contains("nope.tis") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void open_emptyFile_saysTruncated() throws IOException {
        assertTrue(refused(new byte[0]).getMessage().contains("truncated"));
    }

    @Test
    void open_otherFormat_saysBadMagic() throws IOException {
        byte[] b = good();
        b[0] = 'X';
        assertTrue(refused(b).getMessage().contains("magic"));
    }

    @Test
    void open_futureVersion_saysVersion() throws IOException {
        byte[] b = good();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        assertTrue(refused(b).getMessage().contains("version 99"));
    }

    @Test
    void open_everyTruncation_isRefused() throws IOException {
        byte[] b = good();
        for (int len = 0; len < b.length; len += Math.max(1, b.length / 200)) {
            String msg = refused(Arrays.copyOf(b, len)).getMessage();
            assertTrue(msg.contains("truncated"), len + ": " + msg);
        }
    }

    @Test
    void open_trailingGarbage_isRefused() throws IOException {
        byte[] b = good();
        assertTrue(refused(Arrays.copyOf(b, b.length + 10)).getMessage().contains("trailing bytes"));
    }

    @Test
    void open_anySingleFlippedByte_isRefused() throws IOException {
        byte[] b = good();
        // Every byte of the header, table and small sections; a seeded sample of the large
        // directory (rewriting the file once per byte of it would take minutes).
        Random rnd = new Random(17);
        for (int at = 0; at < b.length; at++) {
            boolean sampled = at < 4096 || at > b.length - 8192 || rnd.nextInt(64) == 0;
            if (!sampled || (at >= 32 && at < 36) || isPadding(b, at)) {
                continue; // bytes 32-35 are the header checksum itself: flipping it is checked below
            }
            byte[] c = b.clone();
            c[at] ^= 0x5A;
            refused(c);
        }
        byte[] c = b.clone();
        c[33] ^= 1;
        assertTrue(refused(c).getMessage().contains("header checksum"));
    }

    /** Alignment padding between sections carries no data and no checksum. */
    private static boolean isPadding(byte[] b, int at) {
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (at < SnapshotLayout.HEADER_BYTES + SnapshotLayout.SECTION_COUNT * SnapshotLayout.SECTION_ENTRY_BYTES) {
            return false;
        }
        for (int i = 0; i < SnapshotLayout.SECTION_COUNT; i++) {
            int base = SnapshotLayout.HEADER_BYTES + i * SnapshotLayout.SECTION_ENTRY_BYTES;
            long off = h.getLong(base + 8);
            long len = h.getLong(base + 16);
            if (at >= off && at < off + len) {
                return false;
            }
        }
        return true;
    }

    @Test
    void open_randomBytes_isRefused() throws IOException {
        Random rnd = new Random(11);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[rnd.nextInt(4096)];
            rnd.nextBytes(b);
            if (i % 2 == 0 && b.length >= 8) {
                System.arraycopy(SnapshotLayout.MAGIC, 0, b, 0, 8); // get past the magic check
            }
            refused(b);
        }
    }
}
