package dev.threatip.serve;

import dev.threatip.intel.FeedReport;
import dev.threatip.web.FeedFetchStatus;
import dev.threatip.web.FeedStatusSource;
import java.util.ArrayList;
import java.util.List;

/** The feed refresher's latest outcome as {@code GET /api/v1/feeds} merges it into the snapshot's feed list. */
final class RefresherFeedStatus implements FeedStatusSource {
    private final FeedRefresher refresher;

    RefresherFeedStatus(FeedRefresher refresher) {
        this.refresher = refresher;
    }

    @Override
    public List<FeedFetchStatus> feedStatuses() {
        FeedRefresher.Outcome o = refresher.last();
        if (o == null) {
            return List.of();
        }
        List<FeedFetchStatus> out = new ArrayList<>();
        for (FeedReport f : o.feeds()) {
            String error = f.refused() ? f.refusedWhy() : f.problem();
            // a feed served from its cached copy after a failed fetch was last read at its fetch time
            out.add(new FeedFetchStatus(f.name(), f.source(), f.fetchedAt() != null ? f.fetchedAt() : o.at(), error,
                    f.problem() != null));
        }
        return out;
    }
}
