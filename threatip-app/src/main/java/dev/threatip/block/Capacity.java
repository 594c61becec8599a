package dev.threatip.block;

import java.util.Objects;

/**
 * How many entries an export target holds: per address family (one set or list per family, as
 * ipset's {@code maxelem} or an AWS WAF IP set) or in total (one list for both, as a Cloudflare
 * list).
 *
 * @param limit     the most entries; {@link #UNLIMITED} when the target has no practical limit
 * @param perFamily whether IPv4 and IPv6 each have {@code limit}
 * @param source    where the number comes from, e.g. {@code "ipset's default maxelem"}
 */
public record Capacity(int limit, boolean perFamily, String source) {
    /** The limit of a target without a practical one. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public Capacity {
        if (limit < 1) {
            throw new IllegalArgumentException("a capacity must hold at least 1 entry: " + limit);
        }
        Objects.requireNonNull(source, "source");
    }

    /** A target without a practical limit. */
    static Capacity unlimited(String source) {
        return new Capacity(UNLIMITED, true, source);
    }

    /** Whether the target has no practical limit. */
    public boolean unlimited() {
        return limit == UNLIMITED;
    }

    /** The same kind of capacity with another limit, as {@code --limit} asks. */
    public Capacity withLimit(int newLimit) {
        return new Capacity(newLimit, perFamily, "--limit");
    }

    /** E.g. {@code "65536 per address family (ipset's default maxelem)"} or {@code "unlimited"}. */
    public String describe() {
        if (unlimited()) {
            return "unlimited (" + source + ")";
        }
        return limit + (perFamily ? " per address family" : " in total") + " (" + source + ")";
    }
}
