package dev.threatip.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time searches against a byte-by-byte oracle. */
class LinesSearchTest {
    private static int naiveEither(byte[] b, int from, int to, byte x, byte y) {
        for (int i = from; i < to; i++) {
            if (b[i] == x || b[i] == y) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void indexOfEither_randomBuffers_matchesByteByByteSearch() {
        Random rnd = new Random(42);
        byte[] alphabet = {'"', '\\', ' ', 'a', (byte) 0xE2, (byte) 0x80, (byte) 0x9C, '\n', 0, (byte) 0xFF};
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[rnd.nextInt(70)];
            for (int i = 0; i < b.length; i++) {
                // sparse matches, so whole words without one are common
                b[i] = rnd.nextInt(6) == 0 ? alphabet[rnd.nextInt(alphabet.length)] : (byte) ('b' + rnd.nextInt(20));
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int to = from + (b.length == from ? 0 : rnd.nextInt(b.length - from + 1));
            byte x = alphabet[rnd.nextInt(alphabet.length)];
            byte y = alphabet[rnd.nextInt(alphabet.length)];
            assertEquals(naiveEither(b, from, to, x, y), Lines.indexOfEither(b, from, to, x, y), "round " + round);
        }
    }
}
