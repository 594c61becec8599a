package dev.threatip.detect;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ConfidenceModel;
import dev.threatip.intel.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges what the feeds say about one IP with what its behaviour showed into one verdict
 * (DESIGN.md §2, §4). Per category: the stronger confidence of the two; {@code source} is
 * {@code intel}, {@code behavior} or, when both name the category, {@code intel+behavior}; the
 * rule ids that fired and the feeds that list it. Kind and level are recomputed with
 * {@link ConfidenceModel#kindOf} and {@link ConfidenceModel#levelOf}; tags are the union (a
 * {@code shared} tag from behaviour tells policies to challenge rather than block). An IP the
 * intel verdict suppressed as known-good stays clean, with a note that behaviour was suppressed too.
 */
public final class VerdictMerger {
    /** The source value for evidence from behaviour rules. */
    public static final String BEHAVIOR = "behavior";
    /** The source value when feeds and behaviour both name a category. */
    public static final String BOTH = CategoryVerdict.INTEL + "+" + BEHAVIOR;

    private VerdictMerger() {
    }

    /**
     * The merged verdict.
     *
     * @param intel      the index's verdict for the IP ({@link Verdict#clean()} when unknown)
     * @param detections the detections that flag this IP (those with {@code ip} equal to it)
     */
    public static Verdict merge(Verdict intel, List<Detection> detections) {
        if (detections.isEmpty()) {
            return intel;
        }
        boolean suppressed = intel.kind() == Verdict.Kind.CLEAN
                && intel.notes().stream().anyMatch(n -> n.startsWith("suppressed:"));
        if (suppressed) {
            List<String> notes = new ArrayList<>(intel.notes());
            notes.add("suppressed: behaviour rules (" + String.join(", ", ruleIds(detections)) + ") on a known-good address");
            return new Verdict(Verdict.Kind.CLEAN, null, List.of(), intel.tags(), intel.firstSeen(), intel.lastSeen(),
                    intel.stale(), notes);
        }
        Map<Category, Confidence> behaviour = new EnumMap<>(Category.class);
        Map<Category, Set<String>> rules = new EnumMap<>(Category.class);
        Set<String> tags = new TreeSet<>(intel.tags());
        Instant first = intel.firstSeen();
        Instant last = intel.lastSeen();
        for (Detection d : detections) {
            behaviour.merge(d.category(), d.confidence(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            rules.computeIfAbsent(d.category(), k -> new TreeSet<>()).add(d.ruleId());
            tags.addAll(d.tags());
            if (d.firstMillis() >= 0) {
                Instant f = Instant.ofEpochMilli(d.firstMillis());
                first = first == null || f.isBefore(first) ? f : first;
            }
            if (d.lastMillis() >= 0) {
                Instant l = Instant.ofEpochMilli(d.lastMillis());
                last = last == null || l.isAfter(last) ? l : last;
            }
        }
        List<CategoryVerdict> categories = new ArrayList<>();
        for (CategoryVerdict c : intel.categories()) {
            Confidence b = behaviour.remove(c.category());
            if (b == null) {
                categories.add(c);
            } else {
                Confidence max = b.compareTo(c.confidence()) > 0 ? b : c.confidence();
                categories.add(new CategoryVerdict(c.category(), max, BOTH,
                        List.copyOf(rules.get(c.category())), c.feeds()));
            }
        }
        for (Map.Entry<Category, Confidence> e : behaviour.entrySet()) {
            categories.add(new CategoryVerdict(e.getKey(), e.getValue(), BEHAVIOR,
                    List.copyOf(rules.get(e.getKey())), List.of()));
        }
        categories.sort(Comparator.comparing(CategoryVerdict::confidence).reversed()
                .thenComparing(CategoryVerdict::category));
        return new Verdict(ConfidenceModel.kindOf(categories), ConfidenceModel.levelOf(categories), categories,
                List.copyOf(tags), first, last, false, intel.notes());
    }

    private static List<String> ruleIds(List<Detection> detections) {
        Set<String> ids = new LinkedHashSet<>();
        for (Detection d : detections) {
            ids.add(d.ruleId());
        }
        return List.copyOf(ids);
    }
}
