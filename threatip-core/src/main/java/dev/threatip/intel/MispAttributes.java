package dev.threatip.intel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;

/**
 * The MISP rules both MISP readers share: which attribute types carry addresses, the
 * {@code to_ids} option, threat levels, tags, and MISP's several ways of writing time.
 */
final class MispAttributes {
    /** The feed option that chooses attributes by {@code to_ids}. */
    static final String TO_IDS_OPTION = "to-ids";
    /** At most this many tags are kept per entry; attribute tags come first. */
    static final int MAX_TAGS = 16;

    private static final Set<String> IP_TYPES = Set.of("ip-src", "ip-dst", "ip");
    private static final Set<String> IP_PORT_TYPES = Set.of("ip-src|port", "ip-dst|port");

    private MispAttributes() {
    }

    /**
     * Whether attributes are taken whatever their {@code to_ids}: the feed option
     * {@code to-ids=any}. The default, {@code to-ids=true}, takes only attributes marked for
     * detection, as MISP's own IDS exports do.
     *
     * @throws FeedFormatException naming the allowed values when the option has another
     */
    static boolean anyToIds(FeedContext context, String file) {
        String v = context.option(TO_IDS_OPTION, "true");
        if (v.equals("true")) {
            return false;
        }
        if (v.equals("any")) {
            return true;
        }
        throw new FeedFormatException(file, 0, "option " + TO_IDS_OPTION + "='" + v + "'; allowed: true, any");
    }

    /** Whether attributes of {@code type} carry an address. */
    static boolean isAddressType(String type) {
        return type != null && (IP_TYPES.contains(type) || IP_PORT_TYPES.contains(type) || type.equals("domain|ip"));
    }

    /**
     * The address text in a value of an address type: the value itself, the part before
     * {@code |} for {@code ip-src|port}/{@code ip-dst|port}, the part after it for
     * {@code domain|ip}.
     */
    static String addressPart(String type, String value) {
        if (IP_PORT_TYPES.contains(type)) {
            int bar = value.indexOf('|');
            return bar < 0 ? value : value.substring(0, bar);
        }
        if (type.equals("domain|ip")) {
            return value.substring(value.lastIndexOf('|') + 1);
        }
        return value;
    }

    /** MISP's {@code to_ids}: true for JSON true, {@code 1}, {@code "1"} or {@code "true"} in any case. */
    static boolean isTrue(String text) {
        return text != null && (text.equals("1") || text.equalsIgnoreCase("true"));
    }

    /** Evidence score for an event threat level: 1 high → 90, 2 medium → 60, 3 low → 30, else none. */
    static int score(String threatLevelId) {
        if (threatLevelId == null) {
            return Evidence.NO_SCORE;
        }
        switch (threatLevelId.trim()) {
            case "1":
                return 90;
            case "2":
                return 60;
            case "3":
                return 30;
            default:
                return Evidence.NO_SCORE; // 4 is MISP's "undefined"
        }
    }

    /**
     * Adds one MISP tag: its categories (see {@link IntelTagVocabulary}) and the tag itself.
     * TLP markings and analyst workflow tags say nothing about the address and are dropped.
     */
    static void addTag(String name, Set<Category> categories, Collection<String> tags) {
        if (name == null) {
            return;
        }
        String t = name.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (t.isEmpty() || lower.startsWith("tlp:") || lower.startsWith("workflow:")) {
            return;
        }
        categories.addAll(IntelTagVocabulary.categoriesOf(t));
        tags.add(t);
    }

    /**
     * A MISP time: epoch seconds (attribute and event {@code timestamp}, CSV {@code date}),
     * {@code yyyyMMdd}, {@code yyyy-MM-dd} (event {@code date}, as midnight UTC) or RFC 3339
     * ({@code first_seen}).
     *
     * @return the instant, or null when {@code text} is null or blank
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    static Instant time(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        try {
            if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                if (s.length() == 8) {
                    return LocalDate.parse(s, DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (s.length() <= 12) {
                    return Instant.ofEpochSecond(Long.parseLong(s));
                }
            } else if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                return OffsetDateTime.parse(s).toInstant();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException("'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s)
                + "' is not a MISP time (epoch seconds, yyyyMMdd, yyyy-MM-dd or RFC 3339)");
    }

    static Instant newest(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
