package dev.threatip.intel;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What threatip concludes about one IP (DESIGN.md §2). Never null: an unknown IP gets
 * {@link #clean()}. Verdicts of the index are shared, immutable objects: a lookup allocates
 * nothing.
 *
 * @param kind       malicious, suspicious or clean
 * @param level      the threat level, null when clean
 * @param categories the categories, strongest confidence first
 * @param tags       labels from the evidence (a scanner's name, a MISP tag)
 * @param firstSeen  the earliest date any evidence gives, or null
 * @param lastSeen   the latest date any evidence gives, or null
 * @param stale      whether all evidence is older than the freshness window of the confidence model
 * @param notes      why the verdict is weaker than the evidence, e.g. "suppressed: known-good (googlebot)"
 */
public record Verdict(Kind kind, ThreatLevel level, List<CategoryVerdict> categories, List<String> tags,
                      Instant firstSeen, Instant lastSeen, boolean stale, List<String> notes) {

    /** The verdict values of DESIGN.md §2. */
    public enum Kind {
        /** At least one category at moderate or high confidence. */
        MALICIOUS,
        /** Only general-confidence categories. */
        SUSPICIOUS,
        /** Nothing known. */
        CLEAN;

        /** The lower-case name used in JSON. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Verdict CLEAN = new Verdict(Kind.CLEAN, null, List.of(), List.of(), null, null, false, List.of());

    public Verdict {
        categories = List.copyOf(categories);
        tags = List.copyOf(tags);
        notes = List.copyOf(notes);
        if ((kind == Kind.CLEAN) != (level == null)) {
            throw new IllegalArgumentException("a clean verdict has no level and only a clean one: " + kind + "/" + level);
        }
    }

    /** The verdict for an IP nothing is known about. */
    public static Verdict clean() {
        return CLEAN;
    }

    /** Whether the verdict is malicious or suspicious. */
    public boolean isFlagged() {
        return kind != Kind.CLEAN;
    }

    /** The confidence of one category, or null when the verdict does not name it. */
    public Confidence confidenceOf(Category category) {
        for (CategoryVerdict c : categories) {
            if (c.category() == category) {
                return c.confidence();
            }
        }
        return null;
    }
}
