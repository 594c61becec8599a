package dev.threatip.intel;

import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.net.SpecialRanges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compiles feeds into one immutable snapshot: reads each feed with its format's reader,
 * classifies it with the {@link FeedCatalog}, leaves out special-purpose space, refuses feeds
 * that are mostly garbage, merges everything and writes the snapshot file.
 *
 * <p>A feed is refused as a whole when more than {@value #REFUSE_MIN_BAD_LINES} of its lines
 * are bad and they make up more than {@code maxBadLineRatio} of what it held (default 5%): a
 * feed that is suddenly an HTML error page or a different format must not half-apply.
 */
public final class FeedCompiler {
    /** Bad lines a feed may always have before the ratio is even considered. */
    public static final int REFUSE_MIN_BAD_LINES = 10;

    private static final int EXCLUDED_SAMPLES = 10;

    /**
     * How to compile.
     *
     * @param clock           the compile time stamp
     * @param catalog         how feed names map to categories, reliability and role
     * @param allowedSpecial  special-purpose address classes the operator lets in (normally none)
     * @param maxBadLineRatio the share of bad lines above which a feed is refused, 0-1
     */
    public record Options(Clock clock, FeedCatalog catalog, Set<AddressClass> allowedSpecial, double maxBadLineRatio) {
        public Options {
            allowedSpecial = allowedSpecial.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowedSpecial));
            if (!(maxBadLineRatio >= 0 && maxBadLineRatio <= 1)) {
                throw new IllegalArgumentException("maxBadLineRatio must be within 0-1: " + maxBadLineRatio);
            }
        }

        /** The system clock, the built-in catalog, no special-purpose space, 5% bad lines. */
        public static Options defaults() {
            return new Options(Clock.systemUTC(), FeedCatalog.defaults(), Set.of(), 0.05);
        }

        /** These options with another clock. */
        public Options withClock(Clock c) {
            return new Options(c, catalog, allowedSpecial, maxBadLineRatio);
        }

        /** These options letting the given special-purpose classes in. */
        public Options withAllowedSpecial(Set<AddressClass> classes) {
            return new Options(clock, catalog, classes, maxBadLineRatio);
        }
    }

    /**
     * What a compile produced.
     *
     * @param snapshot the file written
     * @param manifest its manifest, with every feed's report
     * @param bytes    the file's size
     * @param elapsed  how long the compile took
     */
    public record Result(Path snapshot, SnapshotManifest manifest, long bytes, Duration elapsed) {
    }

    private final Options options;

    public FeedCompiler(Options options) {
        this.options = options;
    }

    /** Compiles the feeds into {@code out}, replacing it atomically. */
    public Result compile(List<ResolvedFeed> feeds, Path out) throws IOException {
        long started = System.nanoTime();
        Instant now = options.clock().instant();
        SnapshotBuilder builder = new SnapshotBuilder();
        List<FeedReport> reports = new ArrayList<>();
        for (ResolvedFeed feed : feeds) {
            reports.add(compileOne(feed, builder));
        }
        SnapshotManifest[] made = new SnapshotManifest[1];
        builder.write(out, now, counts -> made[0] = new SnapshotManifest(SnapshotLayout.VERSION, now,
                counts.ipv4Addresses(), counts.ipv4Ranges(), counts.ipv6Ranges(), counts.listingSets(),
                options.allowedSpecial().stream().map(AddressClass::wireName).sorted().toList(), reports));
        return new Result(out, made[0], Files.size(out), Duration.ofNanos(System.nanoTime() - started));
    }

    private FeedReport compileOne(ResolvedFeed resolved, SnapshotBuilder builder) {
        FeedSpec spec = resolved.spec();
        String name = resolved.name();
        FeedInput input = resolved.input();
        FeedFormat format = spec.format() != null ? spec.format() : FeedReaders.detect(input);
        FeedContext context = new FeedContext(name, spec.options());
        Set<Category> specCategories = spec.categories() == null ? Set.of() : spec.categories();
        // The profile depends on the header, known only after reading; entries point at the feed by index.
        int feedIndex = builder.addFeed(feedRecord(resolved, format, FeedHeader.EMPTY, profile(name, format,
                FeedHeader.EMPTY, spec), specCategories));
        SnapshotBuilder.Mark mark = builder.mark();
        Intake intake = new Intake(builder, feedIndex, name, !specCategories.isEmpty());
        FeedHeader header = FeedHeader.EMPTY;
        String refusedWhy = null;
        try {
            header = FeedReaders.forFormat(format).read(input, context, intake);
        } catch (FeedFormatException e) {
            refusedWhy = e.getMessage();
        } catch (IOException | UncheckedIOException e) {
            refusedWhy = input.displayName() + ": unreadable: " + e.getMessage();
        }
        long held = Math.max(context.linesRead(), intake.entries + intake.excluded + context.badLines());
        if (refusedWhy == null && context.badLines() > REFUSE_MIN_BAD_LINES
                && context.badLines() > options.maxBadLineRatio() * held) {
            refusedWhy = context.badLines() + " of " + held + " lines are bad (more than "
                    + Math.round(options.maxBadLineRatio() * 100) + "%); first: " + context.badLineSamples().get(0);
        }
        FeedProfile profile = profile(name, format, header, spec);
        CompiledFeed compiled = feedRecord(resolved, format, header, profile, specCategories);
        builder.updateFeed(feedIndex, compiled);
        if (refusedWhy != null) {
            builder.rollback(mark);
        }
        List<String> badSamples = context.badLineSamples().stream().map(FeedContext.BadLine::toString).toList();
        boolean refused = refusedWhy != null;
        return new FeedReport(name, input.displayName(), format.wireName(), compiled.role().wireName(),
                compiled.reliability(), compiled.categories().stream().map(Category::wireName).sorted().toList(),
                profile.rationale(), refused ? 0 : intake.entries, refused ? 0 : intake.addresses,
                refused ? 0 : intake.networks, context.badLines(), badSamples, intake.excluded, intake.excludedSamples,
                header.declaredEntries(), header.published(), resolved.fetchedAt(),
                resolved.origin().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), resolved.problem(),
                refused, refusedWhy);
    }

    private FeedProfile profile(String name, FeedFormat format, FeedHeader header, FeedSpec spec) {
        FeedProfile p = options.catalog().classify(name, format, header);
        String role = spec.options().get("role");
        String reliability = spec.options().get("reliability");
        if (role == null && reliability == null) {
            return p;
        }
        double r = p.reliability();
        if (reliability != null) {
            try {
                r = Double.parseDouble(reliability);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("feed '" + name + "': reliability must be a number within 0-1: "
                        + reliability);
            }
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException("feed '" + name + "': reliability must be within 0-1: " + reliability);
            }
        }
        return new FeedProfile(p.categories(), r, role == null ? p.role() : FeedRole.fromWire(role), p.minRefresh(),
                p.rationale() + (role != null || reliability != null ? " (overridden by the feed spec)" : ""),
                p.family());
    }

    private static CompiledFeed feedRecord(ResolvedFeed resolved, FeedFormat format, FeedHeader header,
                                           FeedProfile profile, Set<Category> specCategories) {
        FeedSpec spec = resolved.spec();
        Set<Category> categories = !specCategories.isEmpty() ? specCategories : profile.categories();
        return new CompiledFeed(resolved.name(), profile.family() != null ? profile.family() : resolved.name(),
                resolved.input().displayName(), format, profile.role(),
                profile.reliability(), categories, spec.confidence(), spec.ttl(), header.published(),
                resolved.fetchedAt());
    }

    /** Receives one feed's entries: leaves out special-purpose space and hands the rest to the builder. */
    private final class Intake implements Consumer<FeedEntry> {
        private final SnapshotBuilder builder;
        private final int feed;
        private final String feedName;
        private final boolean specCategories;
        private final Map<Evidence, Evidence> withoutCategories = new IdentityHashMap<>();
        private final List<String> excludedSamples = new ArrayList<>();
        private long entries;
        private long addresses;
        private long networks;
        private long excluded;

        Intake(SnapshotBuilder builder, int feed, String feedName, boolean specCategories) {
            this.builder = builder;
            this.feed = feed;
            this.feedName = feedName;
            this.specCategories = specCategories;
        }

        @Override
        public void accept(FeedEntry entry) {
            Cidr c = entry.network();
            AddressClass space = c.isIpv4() && c.isSingleAddress()
                    ? SpecialRanges.classifyIpv4(c.network().ipv4()) : SpecialRanges.classify(c);
            if (space != AddressClass.PUBLIC && !options.allowedSpecial().contains(space)) {
                excluded++;
                if (excludedSamples.size() < EXCLUDED_SAMPLES) {
                    excludedSamples.add(feedName + ":" + entry.line() + ": " + c + " (" + space.wireName() + ")");
                }
                return;
            }
            if (specCategories && !entry.evidence().categories().isEmpty()) {
                // The operator's category in the spec beats what entries say of themselves.
                Evidence e = withoutCategories.computeIfAbsent(entry.evidence(), k -> new Evidence(Set.of(), k.score(),
                        k.listCount(), k.firstSeen(), k.lastSeen(), k.validUntil(), k.tags()));
                entry = new FeedEntry(c, e, entry.line());
            }
            builder.add(feed, entry);
            entries++;
            if (c.isSingleAddress()) {
                addresses++;
            } else {
                networks++;
            }
        }
    }
}
