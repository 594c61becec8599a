package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feeds compiled again on schedule: a good refresh swaps in, a bad one keeps the last good snapshot. */
class FeedRefresherTest {
    @TempDir
    Path dir;

    @Test
    void aRefreshSwapsTheNewSnapshotInAndAFailedOneKeepsTheLastGood() throws Exception {
        Path feed = dir.resolve("ipsum.txt");
        Files.writeString(feed, "45.155.205.233\t8\n");
        FeedRefresher refresher = new FeedRefresher(List.of(FeedSpec.parse(feed.toString())), Set.of(), dir.resolve("cache"),
                dir.resolve("data/intel.tis"), Clock.systemUTC());
        assertTrue(refresher.compile().snapshot() != null);
        LiveReputation live = LiveReputation.open(refresher.snapshot(), ReputationIndex.OpenOptions.defaults());
        IpAddress first = IpAddress.parse("45.155.205.233");
        IpAddress second = IpAddress.parse("185.220.101.37");
        assertTrue(live.lookup(first).isFlagged());
        assertTrue(!live.lookup(second).isFlagged());

        Files.writeString(feed, "185.220.101.37\t8\n");
        FeedRefresher.Outcome ok = refresher.refresh(live);
        assertNull(ok.problem());
        assertEquals(1, ok.feeds().size());
        assertTrue(live.lookup(second).isFlagged(), "the new snapshot is in use");
        assertTrue(!live.lookup(first).isFlagged());

        StringBuilder garbage = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            garbage.append("<html>this is an error page, not a feed ").append(i).append("</html>\n");
        }
        Files.writeString(feed, garbage);
        FeedRefresher.Outcome failed = refresher.refresh(live);
        assertTrue(failed.problem() != null && failed.problem().contains("keeping the last good snapshot"), failed.toString());
        assertTrue(failed.feeds().get(0).refused());
        assertTrue(live.lookup(second).isFlagged(), "the last good snapshot stays");
        assertEquals(failed, refresher.last());
    }
}
