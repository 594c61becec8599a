package dev.threatip.web;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.WireNamed;
import dev.threatip.net.IpAddress;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The query parameters of one request, validated: every getter answers the value or throws a
 * 400 {@link ApiError} naming the parameter and what it allows. An empty value counts as absent;
 * an unknown parameter is an error (it is almost always a typo that would silently widen a filter).
 */
final class QueryParams {
    /** The default page size. */
    static final int DEFAULT_LIMIT = 50;
    /** The largest page. */
    static final int MAX_LIMIT = 1000;
    /** The widest {@code from}/{@code to} window. */
    static final Duration MAX_WINDOW = Duration.ofDays(366);
    /** The default window: the last 24 hours. */
    static final Duration DEFAULT_WINDOW = Duration.ofHours(24);

    private final Context ctx;

    private QueryParams(Context ctx) {
        this.ctx = ctx;
    }

    /** The parameters of {@code ctx}, refusing any not in {@code known}. */
    static QueryParams of(Context ctx, String... known) {
        Set<String> allowed = Set.of(known);
        Set<String> unknown = new TreeSet<>(ctx.queryParamMap().keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            String list = known.length == 0 ? "none" : Arrays.stream(known).sorted().collect(Collectors.joining(", "));
            throw ApiError.badRequest("unknown query parameter '" + unknown.iterator().next() + "'; this endpoint takes: " + list);
        }
        return new QueryParams(ctx);
    }

    /** The value, or null when absent or empty. */
    String string(String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ApiError.badRequest(name + ": given " + values.size() + " times; give it once");
        }
        String v = values.isEmpty() ? null : values.get(0);
        return v == null || v.isEmpty() ? null : v;
    }

    int limit() {
        return integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    int limit(int defaultValue) {
        return integer("limit", defaultValue, 1, MAX_LIMIT);
    }

    int offset() {
        return integer("offset", 0, 0, Integer.MAX_VALUE);
    }

    int integer(String name, int defaultValue, int min, int max) {
        String v = string(name);
        if (v == null) {
            return defaultValue;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name + ": '" + clip(v) + "' is not a whole number; allowed " + range(min, max));
        }
        if (n < min || n > max) {
            throw ApiError.badRequest(name + ": " + n + " is out of range; allowed " + range(min, max));
        }
        return (int) n;
    }

    Category category() {
        return wire("category", Category.class);
    }

    Confidence confidence() {
        return wire("confidence", Confidence.class);
    }

    ThreatLevel level() {
        return wire("level", ThreatLevel.class);
    }

    /** One of {@code allowed} (exact, lower case), or null when absent. */
    String oneOf(String name, List<String> allowed) {
        String v = string(name);
        if (v != null && !allowed.contains(v)) {
            throw ApiError.badRequest(name + ": unknown value '" + clip(v) + "'; allowed: " + String.join(", ", allowed));
        }
        return v;
    }

    /** An ISO-8601 instant with offset ({@code 2026-11-01T00:00:00Z}), or null when absent. */
    Instant time(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + ": '" + clip(v) + "' is not an ISO-8601 time with offset, e.g. "
                    + "2026-11-01T00:00:00Z or 2026-11-01T01:00:00+01:00");
        }
    }

    /**
     * The {@code from}/{@code to} window: both default to the last 24 hours before now; one given
     * alone spans 24 hours from or to it (capped at now for a {@code from}).
     */
    Instant[] window(Clock clock) {
        Instant from = time("from");
        Instant to = time("to");
        Instant now = clock.instant();
        if (to == null) {
            to = from == null || from.plus(DEFAULT_WINDOW).isAfter(now) ? now : from.plus(DEFAULT_WINDOW);
        }
        if (from == null) {
            from = to.minus(DEFAULT_WINDOW);
        }
        if (!to.isAfter(from)) {
            throw ApiError.badRequest("to: " + to + " must be after from " + from);
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw ApiError.badRequest("from, to: the window is longer than " + MAX_WINDOW.toDays() + " days");
        }
        return new Instant[] {from, to};
    }

    /** A path parameter that must be an IP address. */
    static IpAddress ip(Context ctx) {
        String v = ctx.pathParam("ip");
        try {
            return IpAddress.parse(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("ip: '" + clip(v) + "' is not an IPv4 or IPv6 address");
        }
    }

    private <E extends Enum<E> & WireNamed> E wire(String name, Class<E> type) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.wireName().equals(v)) {
                return e;
            }
        }
        throw ApiError.badRequest(name + ": unknown value '" + clip(v) + "'; allowed: "
                + Arrays.stream(type.getEnumConstants()).map(WireNamed::wireName).collect(Collectors.joining(", ")));
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? min + " or more" : min + " to " + max;
    }

    /** A value echoed in a message, bounded so that an error never mirrors a huge parameter. */
    static String clip(String v) {
        return v.length() <= 64 ? v : v.substring(0, 64) + "…";
    }
}
