package dev.threatip.intel;

import java.util.List;

/**
 * One category of a verdict, as DESIGN.md §4 prints it.
 *
 * @param category   the category
 * @param confidence how sure
 * @param source     {@code intel}, {@code behavior} or {@code intel+behavior}
 * @param rules      ids of the behaviour rules that fired (empty for intel alone)
 * @param feeds      names of the feeds that list the IP in this category (empty for behaviour alone)
 */
public record CategoryVerdict(Category category, Confidence confidence, String source, List<String> rules,
                              List<String> feeds) {
    /** The source value for evidence from feeds. */
    public static final String INTEL = "intel";

    public CategoryVerdict {
        rules = List.copyOf(rules);
        feeds = List.copyOf(feeds);
    }
}
