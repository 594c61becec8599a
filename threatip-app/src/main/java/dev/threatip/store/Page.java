package dev.threatip.store;

import java.util.List;

/**
 * One page of a paged answer.
 *
 * @param total how many items match in all
 * @param items the items of this page, in the query's order
 */
public record Page<T>(long total, List<T> items) {
    public Page {
        items = List.copyOf(items);
    }
}
