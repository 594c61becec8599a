package dev.threatip.serve;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedReport;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.net.AddressClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles the configured feeds into a snapshot and swaps it into the live reputation, on
 * {@code serve}'s schedule (default every 24 h). A refresh that fails — every feed refused, a
 * fetch error with no cached copy, a corrupt result — leaves the last good snapshot in use and
 * is reported by {@link #last()}; feeds fetched from URLs fall back to their cached copy, marked
 * stale in their report.
 */
public final class FeedRefresher {
    private final List<FeedSpec> specs;
    private final Set<AddressClass> allowedSpecial;
    private final FeedSource source;
    private final Path snapshot;
    private final Clock clock;
    private volatile Outcome last;

    /**
     * The outcome of one refresh.
     *
     * @param at      when it ran
     * @param feeds   each feed's report (entries, bad lines, fetch problem), empty when the compile failed outright
     * @param problem why no new snapshot is in use, or null when one was swapped in
     */
    public record Outcome(Instant at, List<FeedReport> feeds, String problem) {
        public Outcome {
            feeds = List.copyOf(feeds);
        }
    }

    public FeedRefresher(List<FeedSpec> specs, Set<AddressClass> allowedSpecial, Path cacheDir, Path snapshot, Clock clock) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a feed refresher needs at least one feed spec");
        }
        this.specs = List.copyOf(specs);
        this.allowedSpecial = Set.copyOf(allowedSpecial);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = new FeedSource(cacheDir, clock, FeedSource.FetchSettings.defaults());
        this.snapshot = snapshot;
    }

    /** The snapshot this refresher writes. */
    public Path snapshot() {
        return snapshot;
    }

    /** Compiles the feeds once, into place; the first compile of {@code serve}, before anything is live. */
    public FeedCompiler.Result compile() throws IOException {
        FeedCompiler.Result r = compile(specs, allowedSpecial, source, snapshot);
        last = new Outcome(clock.instant(), r.manifest().feeds(), r.snapshot() == null ? "every feed was refused" : null);
        return r;
    }

    /** Compiles again and swaps the result into {@code live}; never throws for bad feeds. */
    public Outcome refresh(LiveReputation live) {
        Outcome o;
        try {
            FeedCompiler.Result r = compile(specs, allowedSpecial, source, snapshot);
            if (r.snapshot() == null) {
                o = new Outcome(clock.instant(), r.manifest().feeds(), "every feed was refused; keeping the last good snapshot");
            } else {
                LiveReputation.Refresh swapped = live.refresh(snapshot);
                o = new Outcome(clock.instant(), r.manifest().feeds(), swapped.problem());
            }
        } catch (IOException | RuntimeException e) {
            o = new Outcome(clock.instant(), List.of(), "refresh failed, keeping the last good snapshot: " + e.getMessage());
        }
        last = o;
        return o;
    }

    /** The latest compile or refresh, or null before the first. */
    public Outcome last() {
        return last;
    }

    /**
     * Resolves and compiles {@code specs} into {@code out}, moving the result into place only
     * when at least one feed made it in, so broken feeds never replace a good snapshot.
     *
     * @return the compile's result; its snapshot is null when every feed was refused and {@code out} was left as it was
     */
    public static FeedCompiler.Result compile(List<FeedSpec> specs, Set<AddressClass> allowedSpecial, FeedSource source,
                                              Path out) throws IOException {
        List<ResolvedFeed> resolved = new ArrayList<>();
        for (FeedSpec spec : specs) {
            resolved.addAll(source.resolve(spec));
        }
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            FeedCompiler.Result r = new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(allowedSpecial))
                    .compile(resolved, temp);
            if (!specs.isEmpty() && r.manifest().feeds().stream().allMatch(FeedReport::refused)) {
                return new FeedCompiler.Result(null, r.manifest(), 0, r.elapsed());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new FeedCompiler.Result(out, r.manifest(), r.bytes(), r.elapsed());
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
