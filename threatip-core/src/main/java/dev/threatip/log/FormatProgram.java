package dev.threatip.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A log-format string compiled once into steps, run per line: the idea of a regex compiled to
 * a matcher, without the regex. A program alternates literals and fields; a field ends where
 * the next literal begins ({@link LineScan#findLiteral}), so each line costs one forward scan.
 * A field between a literal ending in {@code "} and one starting with {@code "} is quoted:
 * backslash escapes inside it are honoured. A field at the very end takes the rest of the line;
 * bytes left after the last literal (appended fields) are ignored.
 *
 * <p>Built by {@link NginxLogFormat} and {@link ApacheLogFormat} through {@link Builder}.
 */
final class FormatProgram implements LogFormat {
    private final String name;
    /** Per step: the literal bytes, or null for a field. */
    private final byte[][] literals;
    private final FieldKind[] kinds;
    /** Per field step: spaces the value itself contains (a strftime time with spaces). */
    private final int[] innerSpaces;
    private final boolean[] quoted;

    private FormatProgram(String name, List<Object> steps, List<Integer> spaces) {
        this.name = name;
        int n = steps.size();
        literals = new byte[n][];
        kinds = new FieldKind[n];
        innerSpaces = new int[n];
        quoted = new boolean[n];
        for (int s = 0; s < n; s++) {
            Object step = steps.get(s);
            if (step instanceof byte[] lit) {
                literals[s] = lit;
            } else {
                kinds[s] = (FieldKind) step;
                innerSpaces[s] = spaces.get(s);
                quoted[s] = s > 0 && s + 1 < n && literals[s - 1] != null && steps.get(s + 1) instanceof byte[] next
                        && literals[s - 1][literals[s - 1].length - 1] == '"' && next[0] == '"';
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LineParser newParser() {
        return this::run;
    }

    @Override
    public String toString() {
        return name;
    }

    private LineParser.Outcome run(byte[] b, int start, int end, LineFields out) {
        int i = start;
        int n = literals.length;
        for (int s = 0; s < n; s++) {
            byte[] lit = literals[s];
            if (lit != null) {
                if (!LineScan.regionMatches(b, i, end, lit)) {
                    return LineParser.Outcome.MALFORMED;
                }
                i += lit.length;
                continue;
            }
            int fieldEnd;
            if (s + 1 == n) {
                fieldEnd = end;
            } else {
                int from = i;
                for (int k = innerSpaces[s]; k > 0; k--) {
                    from = LineScan.indexOf(b, from, end, (byte) ' ') + 1;
                }
                fieldEnd = from > end ? -1 : LineScan.findLiteral(b, from, end, literals[s + 1], quoted[s], s + 2 == n);
            }
            if (fieldEnd < 0 || !kinds[s].apply(b, i, fieldEnd, out)) {
                return LineParser.Outcome.MALFORMED;
            }
            i = fieldEnd;
        }
        return LineParser.Outcome.EVENT;
    }

    /** Collects literals and fields in order, merging adjacent literals. */
    static final class Builder {
        private final List<Object> steps = new ArrayList<>();
        private final List<Integer> spaces = new ArrayList<>();
        private final List<String> names = new ArrayList<>();

        void literal(String text) {
            if (text.isEmpty()) {
                return;
            }
            byte[] lit = text.getBytes(StandardCharsets.UTF_8);
            int last = steps.size() - 1;
            if (last >= 0 && steps.get(last) instanceof byte[] prev) {
                byte[] merged = new byte[prev.length + lit.length];
                System.arraycopy(prev, 0, merged, 0, prev.length);
                System.arraycopy(lit, 0, merged, prev.length, lit.length);
                steps.set(last, merged);
            } else {
                steps.add(lit);
                spaces.add(0);
                names.add(null);
            }
        }

        /**
         * Adds a field. Two fields with nothing between them cannot be told apart, except a path
         * followed by its query ({@code %U%q}, {@code $uri$is_args$args}): those merge into one
         * request target.
         */
        void field(String directive, FieldKind kind, int innerSpaces) {
            int last = steps.size() - 1;
            if (last >= 0 && steps.get(last) instanceof FieldKind prev) {
                if (prev == FieldKind.PATH && kind == FieldKind.QUERY) {
                    steps.set(last, FieldKind.REQUEST_URI);
                    names.set(last, names.get(last) + directive);
                    return;
                }
                throw new IllegalArgumentException("log format fields " + names.get(last) + " and " + directive
                        + " follow each other with no separator, so a line cannot be split between them");
            }
            steps.add(kind);
            spaces.add(innerSpaces);
            names.add(directive);
        }

        FormatProgram build(String name, String source) {
            if (!steps.stream().anyMatch(s -> s instanceof FieldKind)) {
                throw new IllegalArgumentException("log format '" + source + "' has no fields");
            }
            return new FormatProgram(name, steps, spaces);
        }
    }
}
