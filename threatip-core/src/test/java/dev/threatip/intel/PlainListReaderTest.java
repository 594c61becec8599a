package dev.threatip.intel;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainListReaderTest {
    @TempDir
    Path dir;

    private List<FeedEntry> read(String text, FeedContext ctx) throws IOException {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        List<FeedEntry> out = new ArrayList<>();
        new PlainListReader().read(FeedInput.of(file), ctx, out::add);
        return out;
    }

    @Test
    void read_manyLinesAcrossChunkBoundaries_matchesTextParse() throws IOException {
        // Line lengths vary and CRLF mixes in so that line breaks, CRs and BOM-free starts fall
        // on every offset of the 64 KiB read chunks; the oracle is Cidr.parse on each line.
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            String ip = random.nextBoolean()
                    ? IpAddress.ipv4ToString(random.nextInt())
                    : "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + "::" + Integer.toHexString(i & 0xFFFF);
            String cidr = random.nextInt(4) == 0 ? ip + "/" + (ip.contains(":") ? 64 : 24) : ip;
            expected.add(Cidr.parse(cidr).toString());
            text.append(" ".repeat(random.nextInt(3))).append(cidr);
            if (random.nextInt(5) == 0) {
                text.append(" # c").append(random.nextInt(3));
            }
            text.append(random.nextBoolean() ? "\r\n" : "\n");
        }
        FeedContext ctx = new FeedContext("big", Map.of());
        List<FeedEntry> entries = read(text.toString(), ctx);
        assertEquals(0, ctx.badLines(), () -> ctx.badLineSamples().toString());
        assertEquals(expected.size(), entries.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), entries.get(i).network().toString(), "line " + (i + 1));
            assertEquals(i + 1, entries.get(i).line());
        }
        assertEquals(200_000, ctx.linesRead());
    }

    @Test
    void read_trailingHashComments_shareOneEvidencePerDistinctTag() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            text.append("192.0.2.").append(i % 256).append(" # scanner-").append(i % 50).append('\n');
        }
        List<FeedEntry> entries = read(text.toString(), new FeedContext("tags", Map.of()));
        Set<Evidence> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        entries.forEach(e -> distinct.add(e.evidence()));
        assertEquals(50, distinct.size());
        assertEquals(List.of("scanner-7"), entries.get(7).evidence().tags());
    }

    @Test
    void read_bareEntries_useSharedNoneEvidence() throws IOException {
        List<FeedEntry> entries = read("192.0.2.1\n192.0.2.2 ; comment\n", new FeedContext("bare", Map.of()));
        assertSame(Evidence.NONE, entries.get(0).evidence());
        assertSame(Evidence.NONE, entries.get(1).evidence());
    }

    @Test
    void read_longTrailingComment_tagCutToLimit() throws IOException {
        List<FeedEntry> entries = read("192.0.2.1 # " + "é".repeat(200) + "\n", new FeedContext("long", Map.of()));
        assertEquals(ListLineParser.MAX_TAG, entries.get(0).evidence().tags().get(0).length());
    }

    @Test
    void read_badLine_whyQuotesAtMostSixtyCharacters() throws IOException {
        FeedContext ctx = new FeedContext("bad", Map.of());
        read("x".repeat(3000) + "\n", ctx);
        String why = ctx.badLineSamples().get(0).why();
        assertTrue(why.length() < 100, why);
        assertTrue(why.contains("'" + "x".repeat(AddressToken.QUOTE_LIMIT) + "...'"), why);
    }

    @Test
    void read_lineOfExactlyMaxLength_isReadNotOverlong() throws IOException {
        String line = "192.0.2.1" + " ".repeat(ListLineScanner.MAX_LINE - 9);
        FeedContext ctx = new FeedContext("edge", Map.of());
        List<FeedEntry> entries = read(line + "\r\n" + line + "x\n192.0.2.2", ctx);
        assertEquals(2, entries.size());
        assertEquals(1, ctx.badLines());
        assertEquals(2, ctx.badLineSamples().get(0).line());
        assertEquals(3, entries.get(1).line());
    }
}
