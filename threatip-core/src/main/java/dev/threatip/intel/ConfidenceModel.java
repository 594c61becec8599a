package dev.threatip.intel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the listings that name an address into a {@link Verdict}.
 *
 * <p>Each listing is weighed {@code w = strength × recency}, in 0-1:
 * <ul>
 *   <li>strength starts at the feed's reliability {@code r}. A feed-declared count of
 *       independent lists {@code n} (ipsum) makes it {@code 1 - (1 - r)^n}: n lists at
 *       reliability r each. A feed-declared score {@code s} (AbuseIPDB confidence, STIX
 *       confidence) scales it by {@code s / 100}. A confidence fixed in the feed spec replaces
 *       it with that confidence's threshold.</li>
 *   <li>recency is 1 while the evidence is younger than {@code fresh}; after that it halves
 *       every {@code halfLife} down to {@code floor}: a list that still names an address is
 *       still evidence, but old evidence alone only reaches {@code general}. The age is taken
 *       from the entry's last-seen date, else the feed's publication date, else when it was
 *       read. An entry past its {@code valid_until}, or past the feed's ttl, counts 0.</li>
 * </ul>
 * Listings of one category combine as independent sources, {@code p = 1 - Π(1 - w)}, where
 * feeds of one family (ipsum and its level files, blocklist.de's per-service lists, the Tor
 * lists) are one source, weighed by their strongest listing; and
 * {@code p} maps to {@code high} (≥ 0.75), {@code moderate} (≥ 0.45) or {@code general}
 * (≥ 0.10); below that the category is dropped. A known-good {@code allow} listing suppresses
 * the verdict; a {@code downgrade} listing lowers every category one step (general drops out).
 * The level is {@code high} with any high category or three moderate ones, {@code medium} with
 * any moderate one, else {@code low}.
 */
public final class ConfidenceModel {

    /**
     * The model's knobs.
     *
     * @param fresh    how long evidence counts fully; default 30 days
     * @param halfLife how fast older evidence fades; default 90 days
     * @param floor    the least old evidence counts; default 0.25
     * @param high     the combined weight for high confidence; default 0.75
     * @param moderate the combined weight for moderate confidence; default 0.45
     * @param general  the combined weight below which a category is dropped; default 0.10
     */
    public record Settings(Duration fresh, Duration halfLife, double floor, double high, double moderate,
                           double general) {
        public Settings {
            if (fresh.isNegative() || halfLife.isZero() || halfLife.isNegative()) {
                throw new IllegalArgumentException("fresh must not be negative and halfLife must be positive: "
                        + fresh + ", " + halfLife);
            }
            if (!(0 <= floor && floor <= 1)) {
                throw new IllegalArgumentException("floor must be within 0-1: " + floor);
            }
            if (!(0 < general && general < moderate && moderate < high && high <= 1)) {
                throw new IllegalArgumentException("thresholds must rise within (0, 1]: general " + general
                        + " < moderate " + moderate + " < high " + high);
            }
        }

        /** The documented defaults. */
        public static Settings defaults() {
            return new Settings(Duration.ofDays(30), Duration.ofDays(90), 0.25, 0.75, 0.45, 0.10);
        }
    }

    /** A listing with the weight it got at one moment, for explanations. */
    public record WeighedListing(Listing listing, double weight, boolean expired, boolean stale) {
    }

    private final Settings settings;

    public ConfidenceModel(Settings settings) {
        this.settings = settings;
    }

    /** The model with its documented defaults. */
    public static ConfidenceModel defaults() {
        return new ConfidenceModel(Settings.defaults());
    }

    /** The knobs in force. */
    public Settings settings() {
        return settings;
    }

    /** Weighs one listing at {@code now}. */
    public WeighedListing weigh(Listing listing, Instant now) {
        CompiledFeed feed = listing.feed();
        Evidence e = listing.evidence();
        Instant seen = e.lastSeen() != null ? e.lastSeen() : feed.asOf();
        boolean expired = (e.validUntil() != null && !e.validUntil().isAfter(now))
                || (feed.ttl() != null && seen != null && !seen.plus(feed.ttl()).isAfter(now));
        if (expired) {
            return new WeighedListing(listing, 0, true, true);
        }
        double strength;
        if (feed.confidence() != null) {
            strength = threshold(feed.confidence());
        } else {
            double r = feed.reliability();
            strength = e.listCount() > 1 ? 1 - Math.pow(1 - r, e.listCount()) : r;
            if (e.score() != Evidence.NO_SCORE) {
                strength *= e.score() / 100.0;
            }
        }
        double recency = 1;
        boolean stale = false;
        if (seen != null) {
            double ageDays = Duration.between(seen, now).toSeconds() / 86400.0;
            double freshDays = settings.fresh().toSeconds() / 86400.0;
            if (ageDays > freshDays) {
                stale = true;
                double halfLifeDays = settings.halfLife().toSeconds() / 86400.0;
                recency = Math.max(settings.floor(), Math.pow(0.5, (ageDays - freshDays) / halfLifeDays));
            }
        }
        return new WeighedListing(listing, strength * recency, false, stale);
    }

    /** The combined weight at which a confidence begins. */
    public double threshold(Confidence c) {
        return switch (c) {
            case HIGH -> settings.high();
            case MODERATE -> settings.moderate();
            case GENERAL -> settings.general();
        };
    }

    /** The confidence a combined weight earns, or null below {@code general}. */
    public Confidence confidenceOf(double p) {
        if (p >= settings.high() - 1e-9) {
            return Confidence.HIGH;
        }
        if (p >= settings.moderate() - 1e-9) {
            return Confidence.MODERATE;
        }
        return p >= settings.general() - 1e-9 ? Confidence.GENERAL : null;
    }

    /** The verdict for an address named by {@code listings}, at {@code now}. */
    public Verdict assess(List<Listing> listings, Instant now) {
        if (listings.isEmpty()) {
            return Verdict.clean();
        }
        // Per category, the strongest listing of each feed family: derived lists are one source.
        Map<Category, Map<String, Double>> strongest = new EnumMap<>(Category.class);
        Map<Category, Set<String>> feedsOf = new EnumMap<>(Category.class);
        Set<String> tags = new TreeSet<>();
        List<String> allowedBy = new ArrayList<>();
        List<String> downgradedBy = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        boolean allStale = true;
        int expired = 0;
        for (Listing l : listings) {
            switch (l.feed().role()) {
                case ALLOW -> allowedBy.add(l.feed().name());
                case DOWNGRADE -> downgradedBy.add(l.feed().name());
                case THREAT -> {
                    WeighedListing w = weigh(l, now);
                    if (w.expired()) {
                        expired++;
                        continue;
                    }
                    allStale &= w.stale();
                    for (Category c : l.categories()) {
                        strongest.computeIfAbsent(c, k -> new HashMap<>()).merge(l.feed().family(), w.weight(), Math::max);
                        feedsOf.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(l.feed().name());
                    }
                    tags.addAll(l.evidence().tags());
                    Instant f = l.evidence().firstSeen() != null ? l.evidence().firstSeen() : l.feed().asOf();
                    Instant s = l.evidence().lastSeen() != null ? l.evidence().lastSeen() : l.feed().asOf();
                    first = min(first, f);
                    last = max(last, s);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        if (expired > 0) {
            notes.add("expired: " + expired + " listing(s) past valid_until or ttl");
        }
        List<CategoryVerdict> categories = new ArrayList<>();
        for (Map.Entry<Category, Map<String, Double>> m : strongest.entrySet()) {
            double miss = 1; // Π(1 - w) over independent families
            for (double w : m.getValue().values()) {
                miss *= 1 - w;
            }
            Confidence c = confidenceOf(1 - miss);
            if (c != null && !downgradedBy.isEmpty()) {
                c = c == Confidence.GENERAL ? null : Confidence.values()[c.ordinal() - 1];
            }
            if (c != null) {
                categories.add(new CategoryVerdict(m.getKey(), c, CategoryVerdict.INTEL, List.of(),
                        List.copyOf(feedsOf.get(m.getKey()))));
            }
        }
        if (!downgradedBy.isEmpty() && !strongest.isEmpty()) {
            notes.add("downgraded: known-good infrastructure (" + String.join(", ", downgradedBy) + ")");
        }
        if (!allowedBy.isEmpty()) {
            if (!categories.isEmpty()) {
                notes.add("suppressed: known-good (" + String.join(", ", allowedBy) + ")");
            }
            return notes.isEmpty() ? Verdict.clean()
                    : new Verdict(Verdict.Kind.CLEAN, null, List.of(), List.copyOf(tags), first, last, false, notes);
        }
        if (categories.isEmpty()) {
            return notes.isEmpty() ? Verdict.clean()
                    : new Verdict(Verdict.Kind.CLEAN, null, List.of(), List.of(), first, last, false, notes);
        }
        categories.sort(Comparator.comparing(CategoryVerdict::confidence).reversed()
                .thenComparing(CategoryVerdict::category));
        return new Verdict(kindOf(categories), levelOf(categories), categories, List.copyOf(tags), first, last,
                allStale, notes);
    }

    /** Malicious with any moderate or high category, suspicious with only general ones. */
    public static Verdict.Kind kindOf(List<CategoryVerdict> categories) {
        if (categories.isEmpty()) {
            return Verdict.Kind.CLEAN;
        }
        for (CategoryVerdict c : categories) {
            if (c.confidence() != Confidence.GENERAL) {
                return Verdict.Kind.MALICIOUS;
            }
        }
        return Verdict.Kind.SUSPICIOUS;
    }

    /** High with any high category or three moderate ones, medium with any moderate, else low. */
    public static ThreatLevel levelOf(List<CategoryVerdict> categories) {
        int moderate = 0;
        for (CategoryVerdict c : categories) {
            if (c.confidence() == Confidence.HIGH) {
                return ThreatLevel.HIGH;
            }
            if (c.confidence() == Confidence.MODERATE) {
                moderate++;
            }
        }
        return moderate >= 3 ? ThreatLevel.HIGH : moderate > 0 ? ThreatLevel.MEDIUM : ThreatLevel.LOW;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
