package dev.threatip.detect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick over bytes, ASCII case-insensitive: every literal of every rule that looks at one
 * field is compiled into one automaton, so N rules with substring lists cost one pass over the
 * field (Aho and Corasick, "Efficient string matching", 1975).
 *
 * <p>The goto function is a full DFA (failure links folded in at build time) over byte classes:
 * bytes that occur in no pattern share class 0, upper- and lower-case letters share a class, so
 * the table is {@code states × classes} ints instead of {@code states × 256}. A step is one
 * class lookup and one table read. Matches are reported as bits in a caller's bitset, one bit
 * per distinct pattern, with the match's end so callers can tell which part of a buffer matched.
 */
final class ByteAutomaton {
    private final int[] classOf = new int[256];
    private final int classes;
    private final int[] delta;
    private final int[][] out;
    private final int[] lengths;

    private ByteAutomaton(List<byte[]> patterns) {
        boolean[] used = new boolean[256];
        for (byte[] p : patterns) {
            for (byte b : p) {
                used[lower(b & 0xFF)] = true;
            }
        }
        int next = 1;
        for (int c = 0; c < 256; c++) {
            if (used[c]) {
                classOf[c] = next++;
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + ('a' - 'A')];
        }
        classes = next;
        List<int[]> go = new ArrayList<>();
        List<List<Integer>> outs = new ArrayList<>();
        go.add(newRow());
        outs.add(new ArrayList<>());
        lengths = new int[patterns.size()];
        for (int id = 0; id < patterns.size(); id++) {
            byte[] p = patterns.get(id);
            lengths[id] = p.length;
            int s = 0;
            for (byte b : p) {
                int cls = classOf[b & 0xFF];
                if (go.get(s)[cls] < 0) {
                    go.get(s)[cls] = go.size();
                    go.add(newRow());
                    outs.add(new ArrayList<>());
                }
                s = go.get(s)[cls];
            }
            outs.get(s).add(id);
        }
        int states = go.size();
        int[] fail = new int[states];
        delta = new int[states * classes];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classes; c++) {
            int t = go.get(0)[c];
            delta[c] = t < 0 ? 0 : t;
            if (t > 0) {
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            outs.get(s).addAll(outs.get(fail[s]));
            for (int c = 0; c < classes; c++) {
                int t = go.get(s)[c];
                if (t < 0) {
                    delta[s * classes + c] = delta[fail[s] * classes + c];
                } else {
                    delta[s * classes + c] = t;
                    fail[t] = delta[fail[s] * classes + c];
                    queue.add(t);
                }
            }
        }
        out = new int[states][];
        for (int s = 0; s < states; s++) {
            List<Integer> o = outs.get(s);
            out[s] = o.isEmpty() ? null : o.stream().mapToInt(Integer::intValue).distinct().toArray();
        }
    }

    /** Compiles the patterns (pattern i reports bit i); an empty list gives an automaton that never matches. */
    static ByteAutomaton of(List<byte[]> patterns) {
        for (byte[] p : patterns) {
            if (p.length == 0) {
                throw new IllegalArgumentException("empty pattern");
            }
        }
        return new ByteAutomaton(patterns);
    }

    private int[] newRow() {
        int[] row = new int[classes];
        Arrays.fill(row, -1);
        return row;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** Number of pattern bits: the size a result bitset must cover. */
    int patterns() {
        return lengths.length;
    }

    /** Sets bit i of {@code bits} for every pattern i occurring in {@code b[from, to)}. */
    void scan(byte[] b, int from, int to, long[] bits) {
        if (b == null || lengths.length == 0) {
            return;
        }
        int s = 0;
        for (int i = from; i < to; i++) {
            s = delta[s * classes + classOf[b[i] & 0xFF]];
            int[] o = out[s];
            if (o != null) {
                for (int id : o) {
                    bits[id >>> 6] |= 1L << id;
                }
            }
        }
    }

    /**
     * Scans a normalised target {@code b[0, end)} whose path ends at {@code pathEnd} and whose
     * query starts at {@code queryStart}: every match sets its bit in {@code target}, and in
     * {@code path} or {@code query} when it lies wholly inside that part.
     */
    void scanTarget(byte[] b, int pathEnd, int queryStart, int end, long[] path, long[] query, long[] target) {
        if (lengths.length == 0) {
            return;
        }
        int s = 0;
        for (int i = 0; i < end; i++) {
            s = delta[s * classes + classOf[b[i] & 0xFF]];
            int[] o = out[s];
            if (o != null) {
                for (int id : o) {
                    long bit = 1L << id;
                    int w = id >>> 6;
                    target[w] |= bit;
                    int start = i + 1 - lengths[id];
                    if (i < pathEnd) {
                        path[w] |= bit;
                    } else if (start >= queryStart) {
                        query[w] |= bit;
                    }
                }
            }
        }
    }
}
