package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class FeedSourceTest {
    @TempDir
    Path tmp;

    private FeedSource source() {
        return new FeedSource(tmp.resolve("cache"), Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC),
                FeedSource.FetchSettings.defaults());
    }

    private Path write(String relative, String content) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void resolve_file_isOneFeedDatedByItsMtime() throws IOException {
        Path f = write("feeds/firehol-2022/blocklist_de_ssh.ipset", "192.0.2.1\n");
        Instant mtime = Instant.parse("2022-05-01T10:00:00Z");
        Files.setLastModifiedTime(f, FileTime.from(mtime));

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.parse(f + ",category=brute_force"));

        assertEquals(1, feeds.size());
        ResolvedFeed r = feeds.get(0);
        assertEquals("blocklist_de_ssh", r.name());
        assertEquals(f, r.input().path());
        assertEquals(f.toString(), r.input().displayName());
        assertEquals(mtime, r.fetchedAt());
        assertEquals(ResolvedFeed.Origin.FILE, r.origin());
        assertNull(r.problem());
        assertEquals(Set.of(Category.BRUTE_FORCE), r.spec().categories());
    }

    @Test
    void resolve_fileWithSpecName_usesTheSpecName() throws IOException {
        Path f = write("ipsum/levels/3.txt", "192.0.2.1\n");
        assertEquals("ipsum3", source().resolve(FeedSpec.parse(f + ",name=ipsum3")).get(0).name());
        assertEquals("ipsum_levels_3", source().resolve(FeedSpec.of(f.toString())).get(0).name());
    }

    @Test
    void resolve_missingFile_failsNamingIt() {
        String missing = tmp.resolve("nope/feed.txt").toString();
        FeedFormatException e = assertThrows(FeedFormatException.class, () -> source().resolve(FeedSpec.of(missing)));
        assertEquals(missing, e.file());
        assertEquals(0, e.line());
        assertEquals(missing + ": no such file or directory", e.getMessage());
    }

    @Test
    void resolve_unsupportedScheme_isRefused() {
        FeedFormatException e = assertThrows(FeedFormatException.class,
                () -> source().resolve(FeedSpec.of("ftp://feeds.example/list.txt")));
        assertTrue(e.why().startsWith("unsupported URL scheme"), e.why());
    }

    @Test
    void resolve_unreadableFile_failsNamingIt() throws IOException {
        Path f = write("secret.txt", "192.0.2.1\n");
        assertTrue(f.toFile().setReadable(false));
        try {
            if (Files.isReadable(f)) {
                return; // running as root: permissions do not apply
            }
            FeedFormatException e = assertThrows(FeedFormatException.class, () -> source().resolve(FeedSpec.of(f.toString())));
            assertEquals(f + ": not readable (permission denied)", e.getMessage());
        } finally {
            f.toFile().setReadable(true);
        }
    }

    /** A tree shaped like ../shared/data/feeds: lists, docs, licences, a MISP feed dir, nesting. */
    private Path realisticFeedFolder() throws IOException {
        write("feeds/SOURCES.md", "# sources\n");
        write("feeds/README.txt", "read me\n");
        write("feeds/LICENSE", "MIT\n");
        write("feeds/ipsum/UNLICENSE", "public domain\n");
        write("feeds/ipsum/GeoLite2-EULA.txt", "eula\n");
        write("feeds/.DS_Store", "junk\n");
        write("feeds/.git/config", "[core]\n");
        write("feeds/firehol-2022/blocklist_de_ssh.ipset", "192.0.2.1\n");
        write("feeds/firehol-2022/firehol_level1.netset", "198.51.100.0/24\n");
        write("feeds/firehol-2022/SOURCES.md", "# sources\n");
        write("feeds/ipsum/levels/3.txt", "192.0.2.3\n");
        write("feeds/ipsum/levels/1.txt.gz", "not really gzip\n");
        write("feeds/ipsum/levels/1.txt", "192.0.2.4\n");
        write("feeds/ipsum/levels/SOURCES.md", "# sources\n");
        write("feeds/misp/decian-feed/manifest.json", "{}\n");
        write("feeds/misp/decian-feed/5b6e5b1e-0000-4000-8000-000000000001.json", "{}\n");
        write("feeds/misp/decian-feed/events/custom-malicious-ips.json", "{}\n");
        write("feeds/misp/decian-feed/SOURCES.md", "# sources\n");
        write("feeds/misp/pymisp-events/existing_event.json", "{}\n");
        write("feeds/tor/tor-exit-nodes.lst", "203.0.113.9\n");
        return tmp.resolve("feeds");
    }

    @Test
    void resolve_directory_oneFeedPerFileSortedSkippingDocsAndMispEvents() throws IOException {
        Path root = realisticFeedFolder();

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.of(root.toString()));

        assertEquals(List.of(
                "firehol-2022/blocklist_de_ssh.ipset",
                "firehol-2022/firehol_level1.netset",
                "ipsum/levels/1.txt",
                "ipsum/levels/1.txt.gz",
                "ipsum/levels/3.txt",
                "misp/decian-feed",
                "misp/pymisp-events/existing_event.json",
                "tor/tor-exit-nodes.lst"),
                feeds.stream().map(r -> root.relativize(r.input().path()).toString()).toList());
        assertEquals(List.of("blocklist_de_ssh", "firehol_level1", "ipsum_levels_1", "ipsum_levels_1_2",
                        "ipsum_levels_3", "decian-feed", "existing_event", "tor-exit-nodes"),
                feeds.stream().map(ResolvedFeed::name).toList());
        assertTrue(feeds.stream().allMatch(r -> r.origin() == ResolvedFeed.Origin.FILE && r.problem() == null));
    }

    @Test
    void resolve_directoryWithSpecFields_prefixesNamesAndAppliesFieldsToEveryChild() throws IOException {
        Path root = realisticFeedFolder().resolve("firehol-2022");

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.parse(root + ",name=fh,format=ipset,confidence=general"));

        assertEquals(List.of("fh_blocklist_de_ssh", "fh_firehol_level1"), feeds.stream().map(ResolvedFeed::name).toList());
        assertTrue(feeds.stream().allMatch(r -> r.spec().format() == FeedFormat.IPSET
                && r.spec().confidence() == Confidence.GENERAL));
    }

    @Test
    void resolve_mispFeedDirectory_isOneFeed() throws IOException {
        Path dir = realisticFeedFolder().resolve("misp/decian-feed");
        Instant mtime = Instant.parse("2026-01-02T03:04:05Z");
        Files.setLastModifiedTime(dir.resolve("manifest.json"), FileTime.from(mtime));

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.parse(dir + ",format=misp"));

        assertEquals(1, feeds.size());
        assertEquals("decian-feed", feeds.get(0).name());
        assertEquals(dir, feeds.get(0).input().path());
        assertEquals(mtime, feeds.get(0).fetchedAt());
    }

    @Test
    void resolve_sameFileNameInTwoDirectories_namesDifferByParent() throws IOException {
        write("lists/a/bad.txt", "192.0.2.1\n");
        write("lists/b/bad.txt", "192.0.2.2\n");

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.of(tmp.resolve("lists").toString()));

        assertEquals(List.of("a_bad", "b_bad"), feeds.stream().map(ResolvedFeed::name).toList());
    }

    @Test
    void resolve_directoryOfOnlyDocs_failsSayingSo() throws IOException {
        write("docs/README.md", "x\n");
        write("docs/LICENSE.txt", "x\n");
        Path dir = tmp.resolve("docs");
        FeedFormatException e = assertThrows(FeedFormatException.class, () -> source().resolve(FeedSpec.of(dir.toString())));
        assertEquals(dir.toString(), e.file());
        assertTrue(e.why().startsWith("directory holds no feed files"), e.why());
    }

    @Test
    void resolve_symlinkCycle_isWalkedOnce() throws IOException {
        write("loop/list.txt", "192.0.2.1\n");
        Files.createSymbolicLink(tmp.resolve("loop/self"), tmp.resolve("loop"));

        List<ResolvedFeed> feeds = source().resolve(FeedSpec.of(tmp.resolve("loop").toString()));

        assertEquals(List.of("list"), feeds.stream().map(ResolvedFeed::name).toList());
    }

    @Test
    void isDocumentation_knowsTheUsualNames() {
        for (String doc : List.of("SOURCES.md", "README", "readme.txt", "LICENSE", "LICENSE-MIT", "UNLICENSE",
                "GeoLite2-EULA.txt", "SOURCES.txt", ".hidden", "notes.MD")) {
            assertTrue(FeedSource.isDocumentation(Path.of(doc)), doc);
        }
        for (String feed : List.of("blocklist_de.ipset", "3.txt", "opensources.ipset", "tor-exit-nodes.lst",
                "relicensed-ips.txt")) {
            assertFalse(FeedSource.isDocumentation(Path.of(feed)), feed);
        }
    }
}
