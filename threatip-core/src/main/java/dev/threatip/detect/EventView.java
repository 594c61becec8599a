package dev.threatip.detect;

import dev.threatip.log.LineFields;
import dev.threatip.log.Slice;
import java.util.regex.Matcher;

/**
 * One thread's view of the event being evaluated: the normalised request, the literal-match
 * bits of every field and the reusable regex matchers. Filled once per event by
 * {@link RuleSet#prepare}, then read by every rule's filter; nothing in it is allocated per event.
 */
final class EventView {
    final RequestNormalizer norm = new RequestNormalizer();
    final long[][] bits = new long[Field.values().length][];
    final Matcher[] matchers;
    final ByteChars chars = new ByteChars();
    LineFields fields;

    EventView(RuleSet rules) {
        for (Field f : Field.values()) {
            bits[f.ordinal()] = new long[Math.max(1, (rules.patternCount(f) + 63) >>> 6)];
        }
        matchers = new Matcher[rules.regexes().size()];
        for (int i = 0; i < matchers.length; i++) {
            matchers[i] = rules.regexes().get(i).matcher("");
        }
    }

    byte[] array(Field f) {
        return switch (f) {
            case PATH, QUERY, TARGET -> norm.buffer();
            default -> raw(f).array();
        };
    }

    int start(Field f) {
        return switch (f) {
            case PATH, TARGET -> 0;
            case QUERY -> norm.queryStart();
            default -> raw(f).start();
        };
    }

    int end(Field f) {
        return switch (f) {
            case PATH -> norm.pathEnd();
            case QUERY, TARGET -> norm.end();
            default -> raw(f).array() == null ? raw(f).start() : raw(f).end();
        };
    }

    Slice raw(Field f) {
        return switch (f) {
            case METHOD -> fields.method;
            case HOST -> fields.host;
            case USER_AGENT -> fields.userAgent;
            case REFERER -> fields.referer;
            default -> throw new IllegalArgumentException(f.wire + " is not a raw text field");
        };
    }
}
