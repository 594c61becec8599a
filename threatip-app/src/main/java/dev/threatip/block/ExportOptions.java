package dev.threatip.block;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to export: at which time (what has expired, the timeouts left), how many entries at most,
 * whether only bans, and the name of the firewall objects written.
 *
 * <pre>{@code
 * ExportOptions o = ExportOptions.at(clock.instant()).withLimit(1000).withBansOnly(true);
 * }</pre>
 *
 * @param now      the export's time: decisions expired by then are left out, timeouts count from it
 * @param limit    the most entries, overriding the target's own limit; 0 keeps the target's
 * @param bansOnly leave challenge (captcha) decisions out of formats that could carry them too
 * @param name     the base name of the table, sets, chain, variable or list written; lower-case
 *                 letters, digits and {@code _}, starting with a letter, at most
 *                 {@value #MAX_NAME} characters; {@value #DEFAULT_NAME} by default
 */
public record ExportOptions(Instant now, int limit, boolean bansOnly, String name) {
    /** The default name of the objects written. */
    public static final String DEFAULT_NAME = "threatip";
    /** The longest name: ipset's 31 characters leave room for {@code -ban4-new}. */
    public static final int MAX_NAME = 20;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0," + (MAX_NAME - 1) + "}");

    public ExportOptions {
        Objects.requireNonNull(now, "now");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative (0 keeps the target's own): " + limit);
        }
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad export name '" + name + "': lower-case letters, digits and _,"
                    + " starting with a letter, at most " + MAX_NAME + " characters");
        }
    }

    /** Exporting at {@code now}, with the target's own limit, both types, the default name. */
    public static ExportOptions at(Instant now) {
        return new ExportOptions(now, 0, false, DEFAULT_NAME);
    }

    /** With another limit; 0 keeps the target's own. */
    public ExportOptions withLimit(int newLimit) {
        return new ExportOptions(now, newLimit, bansOnly, name);
    }

    /** With or without challenge decisions in the formats that can carry them. */
    public ExportOptions withBansOnly(boolean only) {
        return new ExportOptions(now, limit, only, name);
    }

    /** With another name for the objects written. */
    public ExportOptions withName(String newName) {
        return new ExportOptions(now, limit, bansOnly, newName);
    }
}
