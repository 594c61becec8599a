package dev.threatip.detect;

import dev.threatip.log.LineFields;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The compiled rules with their shared matchers: one Aho-Corasick automaton for the normalised
 * target (serving path, query and target conditions in one pass), one each for user agent,
 * referer, host and method, the regexes, and the known-good ranges.
 */
final class RuleSet {
    private final List<Rule> rules;
    private final ByteAutomaton target;
    private final Map<Field, ByteAutomaton> raw;
    // parallel arrays, not the map, on the hot path: EnumMap's entry iterator allocates
    private final Field[] rawFields;
    private final ByteAutomaton[] rawAutomata;
    private final List<Pattern> regexes;
    private final RangeSet knownGood;
    private final int maxKeysPerRule;
    private final boolean needsTarget;

    RuleSet(List<Rule> rules, ByteAutomaton target, Map<Field, ByteAutomaton> raw, List<Pattern> regexes,
            RangeSet knownGood, int maxKeysPerRule, boolean needsTarget) {
        this.rules = List.copyOf(rules);
        this.target = target;
        this.raw = new EnumMap<>(raw);
        this.rawFields = this.raw.keySet().toArray(Field[]::new);
        this.rawAutomata = this.raw.values().toArray(ByteAutomaton[]::new);
        this.regexes = List.copyOf(regexes);
        this.knownGood = knownGood;
        this.maxKeysPerRule = maxKeysPerRule;
        this.needsTarget = needsTarget;
    }

    List<Rule> rules() {
        return rules;
    }

    List<Pattern> regexes() {
        return regexes;
    }

    RangeSet knownGood() {
        return knownGood;
    }

    int maxKeysPerRule() {
        return maxKeysPerRule;
    }

    /** Bits a field's match set needs. */
    int patternCount(Field f) {
        return switch (f) {
            case PATH, QUERY, TARGET -> target.patterns();
            default -> raw.containsKey(f) ? raw.get(f).patterns() : 0;
        };
    }

    /** Normalises the request and runs every automaton once: the per-event work shared by all rules. */
    void prepare(EventView v, LineFields f) {
        v.fields = f;
        for (long[] b : v.bits) {
            java.util.Arrays.fill(b, 0);
        }
        if (needsTarget) {
            v.norm.normalize(f.path, f.query);
            target.scanTarget(v.norm.buffer(), v.norm.pathEnd(), v.norm.queryStart(), v.norm.end(),
                    v.bits[Field.PATH.ordinal()], v.bits[Field.QUERY.ordinal()], v.bits[Field.TARGET.ordinal()]);
        } else {
            v.norm.normalize(null, 0, 0, null, 0, 0);
        }
        for (int i = 0; i < rawFields.length; i++) {
            var s = v.raw(rawFields[i]);
            rawAutomata[i].scan(s.array(), s.start(), s.end(), v.bits[rawFields[i].ordinal()]);
        }
    }
}
