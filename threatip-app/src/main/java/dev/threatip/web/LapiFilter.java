package dev.threatip.web;

import dev.threatip.block.Decision;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The decision filters a bouncer sends as LAPI query parameters, each a comma-separated list
 * (the values of the bouncer's own config keys of the same names):
 *
 * <ul>
 *   <li>{@code scopes}: LAPI scope names, case-insensitive; threatip's decisions are {@code ip}
 *       and {@code range}, so {@code scopes=ip} drops networks and {@code scopes=country} drops
 *       everything. Absent: {@code ip,range}, LAPI's default;</li>
 *   <li>{@code origins}: {@code auto}, {@code manual}, {@code import} (case-insensitive);</li>
 *   <li>{@code scenarios_containing}: keep decisions whose scenario (the reason) contains any of
 *       the words, case-insensitive; {@code scenarios_not_containing}: drop those containing any.</li>
 * </ul>
 *
 * Empty items ({@code a,,b}, a trailing comma) are ignored.
 */
record LapiFilter(List<String> scopes, List<String> origins, List<String> containing, List<String> notContaining)
        implements Predicate<Decision> {

    /** The filters of the request; absent parameters filter nothing. */
    static LapiFilter of(Context ctx) {
        return new LapiFilter(list(ctx, "scopes"), list(ctx, "origins"), list(ctx, "scenarios_containing"),
                list(ctx, "scenarios_not_containing"));
    }

    @Override
    public boolean test(Decision d) {
        if (scopes != null && !scopes.contains(LapiDecisions.scope(d).toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (origins != null && !origins.contains(d.origin().wireName())) {
            return false;
        }
        String scenario = LapiDecisions.scenario(d).toLowerCase(Locale.ROOT);
        if (containing != null && containing.stream().noneMatch(scenario::contains)) {
            return false;
        }
        return notContaining == null || notContaining.stream().noneMatch(scenario::contains);
    }

    /** The lower-cased items, or null when the parameter is absent or has none. */
    private static List<String> list(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + ": given " + values.size() + " times; give it once, comma-separated");
        }
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String item : values.get(0).split(",")) {
            String s = item.strip().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }
}
