package dev.threatip.detect;

import java.util.regex.Matcher;

/**
 * A compiled rule condition. Filters are immutable and shared by all threads; per-thread state
 * (match bits, regex matchers) lives in the {@link EventView}. Conjunctions evaluate their
 * cheapest members first ({@link #cost()}), so a regex only runs after the literal and numeric
 * tests beside it have passed.
 */
abstract class Filter {
    abstract boolean test(EventView v);

    /** Relative evaluation cost: bit tests 0, numbers 1, byte comparisons 2, regex 3. */
    abstract int cost();

    static final class All extends Filter {
        private final Filter[] parts;

        All(Filter[] parts) {
            this.parts = parts.clone();
            java.util.Arrays.sort(this.parts, java.util.Comparator.comparingInt(Filter::cost));
        }

        @Override
        boolean test(EventView v) {
            for (Filter f : parts) {
                if (!f.test(v)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        int cost() {
            return parts.length == 0 ? 0 : parts[parts.length - 1].cost();
        }
    }

    static final class Any extends Filter {
        private final Filter[] parts;

        Any(Filter[] parts) {
            this.parts = parts.clone();
            java.util.Arrays.sort(this.parts, java.util.Comparator.comparingInt(Filter::cost));
        }

        @Override
        boolean test(EventView v) {
            for (Filter f : parts) {
                if (f.test(v)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        int cost() {
            return parts.length == 0 ? 0 : parts[parts.length - 1].cost();
        }
    }

    static final class Not extends Filter {
        private final Filter inner;

        Not(Filter inner) {
            this.inner = inner;
        }

        @Override
        boolean test(EventView v) {
            return !inner.test(v);
        }

        @Override
        int cost() {
            return inner.cost();
        }
    }

    /** Any of a literal list occurs in the field: one bit-mask test against the automaton's result. */
    static final class Contains extends Filter {
        private final int field;
        private final long[] mask;

        Contains(Field field, long[] mask) {
            this.field = field.ordinal();
            this.mask = mask;
        }

        @Override
        boolean test(EventView v) {
            long[] bits = v.bits[field];
            for (int i = 0; i < mask.length; i++) {
                if ((bits[i] & mask[i]) != 0) {
                    return true;
                }
            }
            return false;
        }

        @Override
        int cost() {
            return 0;
        }
    }

    enum AffixMode { EQUALS, PREFIX, SUFFIX, GLOB }

    /** The field equals, starts with, ends with or glob-matches one of the (lower-case) patterns. */
    static final class Affix extends Filter {
        private final Field field;
        private final AffixMode mode;
        private final byte[][] patterns;

        Affix(Field field, AffixMode mode, byte[][] patterns) {
            this.field = field;
            this.mode = mode;
            this.patterns = patterns;
        }

        @Override
        boolean test(EventView v) {
            byte[] b = v.array(field);
            int s = v.start(field);
            int e = v.end(field);
            if (b == null) {
                b = EMPTY;
                s = 0;
                e = 0;
            }
            for (byte[] p : patterns) {
                boolean hit = switch (mode) {
                    case EQUALS -> e - s == p.length && regionEquals(b, s, p);
                    case PREFIX -> e - s >= p.length && regionEquals(b, s, p);
                    case SUFFIX -> e - s >= p.length && regionEquals(b, e - p.length, p);
                    case GLOB -> glob(b, s, e, p);
                };
                if (hit) {
                    return true;
                }
            }
            return false;
        }

        @Override
        int cost() {
            return 2;
        }

        private static final byte[] EMPTY = new byte[0];

        private static boolean regionEquals(byte[] b, int at, byte[] p) {
            for (int i = 0; i < p.length; i++) {
                if (lower(b[at + i]) != p[i]) {
                    return false;
                }
            }
            return true;
        }

        /** Wildcard match where {@code *} matches any run of bytes (the classic greedy-with-backtrack-point loop). */
        static boolean glob(byte[] b, int s, int e, byte[] p) {
            int i = s;
            int j = 0;
            int star = -1;
            int mark = 0;
            while (i < e) {
                if (j < p.length && p[j] != '*' && p[j] == lower(b[i])) {
                    i++;
                    j++;
                } else if (j < p.length && p[j] == '*') {
                    star = j++;
                    mark = i;
                } else if (star >= 0) {
                    j = star + 1;
                    i = ++mark;
                } else {
                    return false;
                }
            }
            while (j < p.length && p[j] == '*') {
                j++;
            }
            return j == p.length;
        }

        private static byte lower(byte c) {
            return c >= 'A' && c <= 'Z' ? (byte) (c + ('a' - 'A')) : c;
        }
    }

    /** A regular expression found anywhere in the field ({@code find}, case-insensitive). */
    static final class Regex extends Filter {
        private final Field field;
        private final int index;

        Regex(Field field, int index) {
            this.field = field;
            this.index = index;
        }

        @Override
        boolean test(EventView v) {
            Matcher m = v.matchers[index];
            m.reset(v.chars.set(v.array(field), v.start(field), v.end(field)));
            return m.find();
        }

        @Override
        int cost() {
            return 3;
        }
    }

    /** The field is absent, empty or {@code -} (how combined logs write an absent header). */
    static final class Empty extends Filter {
        private final Field field;

        Empty(Field field) {
            this.field = field;
        }

        @Override
        boolean test(EventView v) {
            byte[] b = v.array(field);
            int s = v.start(field);
            int e = v.end(field);
            return b == null || e <= s || (e - s == 1 && b[s] == '-');
        }

        @Override
        int cost() {
            return 1;
        }
    }

    /** A numeric field lies in one of the closed ranges; an absent number never matches. */
    static final class NumberIn extends Filter {
        private final Field field;
        private final long[] lo;
        private final long[] hi;

        NumberIn(Field field, long[] lo, long[] hi) {
            this.field = field;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        boolean test(EventView v) {
            long x = field == Field.STATUS ? v.fields.status : v.fields.bytes;
            if (x < 0) {
                return false;
            }
            for (int i = 0; i < lo.length; i++) {
                if (x >= lo[i] && x <= hi[i]) {
                    return true;
                }
            }
            return false;
        }

        @Override
        int cost() {
            return 1;
        }
    }

    /** The normaliser noted any of the signals. */
    static final class Signal extends Filter {
        private final int mask;

        Signal(int mask) {
            this.mask = mask;
        }

        @Override
        boolean test(EventView v) {
            return (v.norm.flags() & mask) != 0;
        }

        @Override
        int cost() {
            return 0;
        }
    }

    /** The client address lies in a range set. */
    static final class InRanges extends Filter {
        private final RangeSet ranges;

        InRanges(RangeSet ranges) {
            this.ranges = ranges;
        }

        @Override
        boolean test(EventView v) {
            return ranges.contains(v.fields.clientHi, v.fields.clientLo);
        }

        @Override
        int cost() {
            return 1;
        }
    }
}
