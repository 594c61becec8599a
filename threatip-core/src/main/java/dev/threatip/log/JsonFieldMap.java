package dev.threatip.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which JSON members feed which {@link LineFields}, compiled into a trie of member names so the
 * scanner resolves a key with one bucket probe per nesting level. A dotted path
 * {@code client.ip} matches the nested {@code {"client":{"ip":...}}} and also a flat member
 * named {@code "client.ip"} (as some shippers write ECS). Candidates for the same target are
 * ranked by the order they were added: the first present one wins.
 */
final class JsonFieldMap {
    static final int REMOTE = 0;
    static final int XFF = 1;
    static final int REAL_IP = 2;
    static final int CONNECTING_IP = 3;
    static final int TIME = 4;
    static final int METHOD = 5;
    static final int URI = 6;
    static final int PATH = 7;
    static final int QUERY = 8;
    static final int REQUEST = 9;
    static final int STATUS = 10;
    static final int BYTES = 11;
    static final int USER_AGENT = 12;
    static final int REFERER = 13;
    static final int HOST = 14;
    static final int PROTOCOL = 15;
    /** The gateway hit log's decision members (see {@link LineFields#hitAction}). */
    static final int HIT_RULE = 16;
    static final int HIT_CATEGORY = 17;
    static final int HIT_CONFIDENCE = 18;
    static final int HIT_ACTION = 19;
    static final int HIT_REQUEST_ID = 20;
    static final int HIT_ENFORCED = 21;
    static final int TARGETS = 22;

    /** One member name level. Children are bucketed by name length for a short compare list. */
    static final class Node {
        int target = -1;
        int rank;
        byte[][] keys = new byte[0][];
        Node[] children = new Node[0];
        /** Per length bucket (length & 15): indexes into keys. */
        int[][] buckets;

        Node child(byte[] b, int from, int to) {
            int len = to - from;
            int[] bucket = buckets[len & 15];
            for (int k : bucket) {
                byte[] key = keys[k];
                if (key.length == len && LineScan.regionMatches(b, from, to, key)) {
                    return children[k];
                }
            }
            return null;
        }

        private Node add(String name) {
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            for (int k = 0; k < keys.length; k++) {
                if (java.util.Arrays.equals(keys[k], key)) {
                    return children[k];
                }
            }
            keys = java.util.Arrays.copyOf(keys, keys.length + 1);
            children = java.util.Arrays.copyOf(children, children.length + 1);
            keys[keys.length - 1] = key;
            Node n = new Node();
            children[children.length - 1] = n;
            return n;
        }

        private void seal() {
            List<List<Integer>> lists = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                lists.add(new ArrayList<>());
            }
            for (int k = 0; k < keys.length; k++) {
                lists.get(keys[k].length & 15).add(k);
                children[k].seal();
            }
            buckets = new int[16][];
            for (int i = 0; i < 16; i++) {
                buckets[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
            }
        }
    }

    final Node root = new Node();
    private final int[] nextRank = new int[TARGETS];
    private boolean sealed;

    /**
     * Adds a candidate member for a target, ranked after the earlier ones of that target.
     *
     * @throws IllegalArgumentException for an empty path or an empty segment ({@code a..b})
     */
    JsonFieldMap add(String dottedPath, int target) {
        if (sealed) {
            throw new IllegalStateException("field map already in use");
        }
        if (dottedPath == null || dottedPath.isEmpty() || dottedPath.startsWith(".") || dottedPath.endsWith(".")
                || dottedPath.contains("..")) {
            throw new IllegalArgumentException("JSON field path '" + dottedPath
                    + "' is not a member name or dotted path such as client.ip");
        }
        int rank = nextRank[target]++;
        leaf(root.add(dottedPath), target, rank);
        if (dottedPath.indexOf('.') > 0) {
            Node n = root;
            for (String seg : dottedPath.split("\\.")) {
                n = n.add(seg);
            }
            leaf(n, target, rank);
        }
        return this;
    }

    private static void leaf(Node n, int target, int rank) {
        if (n.target < 0) {
            n.target = target;
            n.rank = rank;
        }
    }

    JsonFieldMap seal() {
        root.seal();
        sealed = true;
        return this;
    }
}
