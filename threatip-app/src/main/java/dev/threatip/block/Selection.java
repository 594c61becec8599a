package dev.threatip.block;

import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses what an export holds, deterministically: the decisions are ranked (confidence, then
 * recency, then local hits, then scope), then taken best first. A decision is left out when it
 * has expired, when its type or scope does not fit the target, when a kept decision at least as
 * strong already covers its scope (enforcement targets only), or when the target is full.
 *
 * <p>Merging follows the way firewalls match: a ban on {@code 192.0.2.0/24} makes a ban or a
 * challenge on {@code 192.0.2.7} redundant (and an nftables interval set refuses the overlap),
 * while a ban inside a challenged network stays, as longest-prefix matches (nginx {@code geo},
 * HAProxy {@code map_ip}) need it. A kept scope that a later, broader and at least as strong
 * decision covers is replaced by it, which frees its slot. Kept scopes live in a sorted map
 * (family, network, prefix), so the scopes inside a candidate are one range query and the ones
 * around it at most one lookup per prefix length in use: O(n log n) for n decisions.
 */
final class Selection {

    /** Best first: higher confidence (none lowest), newer, more local hits, then scope, later expiry, ban first, id. */
    static final Comparator<Decision> RANK = (a, b) -> {
        int c = Integer.compare(confidenceRank(b), confidenceRank(a));
        if (c == 0) {
            c = b.created().compareTo(a.created());
        }
        if (c == 0) {
            c = Long.compare(b.hits(), a.hits());
        }
        if (c == 0) {
            c = scopeOrder(a.scope(), b.scope());
        }
        if (c == 0) {
            c = b.expires().compareTo(a.expires());
        }
        if (c == 0) {
            c = Integer.compare(strength(b.type()), strength(a.type()));
        }
        return c != 0 ? c : Long.compare(a.id(), b.id());
    };

    /** IPv4 first, then by network address, then broader first. */
    static final Comparator<Cidr> SCOPE_ORDER = Selection::scopeOrder;

    /**
     * A chosen entry.
     *
     * @param decision       the decision
     * @param scope          the scope written (the decision's, or wider when the target needs it)
     * @param timeoutSeconds seconds left until it expires, at least 1, capped at the target's longest
     * @param widened        whether {@code scope} is wider than the decision's
     * @param capped         whether the timeout was capped
     */
    record Entry(Decision decision, Cidr scope, long timeoutSeconds, boolean widened, boolean capped) {
        /** {@code ban until 2026-11-02T00:00:00Z: REASON}, safe for any comment. */
        String comment() {
            String reason = decision.reason();
            return SafeText.comment(decision.type().wireName() + " until " + decision.expires()
                    + (reason == null || reason.isBlank() ? "" : ": " + reason), SafeText.COMMENT_MAX);
        }

        /** The reason alone, safe for any comment or quoted string; empty when there is none. */
        String reasonComment() {
            return SafeText.comment(decision.reason(), SafeText.COMMENT_MAX);
        }

        /** The scope as firewalls write it: a bare address for one address, else the CIDR. */
        String address() {
            return SafeText.address(scope);
        }
    }

    private final ExportFormat format;
    private final ExportOptions options;
    private final Capacity capacity;
    private final List<Entry> entries;
    private final List<LeftOut> leftOut;
    private final List<String> notes;

    private Selection(ExportFormat format, ExportOptions options, Capacity capacity, List<Entry> entries,
                      List<LeftOut> leftOut, List<String> notes) {
        this.format = format;
        this.options = options;
        this.capacity = capacity;
        this.entries = List.copyOf(entries);
        this.leftOut = List.copyOf(leftOut);
        this.notes = List.copyOf(notes);
    }

    /** Chooses the entries of {@code format} among {@code decisions}. */
    static Selection of(ExportFormat format, List<Decision> decisions, ExportOptions options) {
        ExportTarget target = format.target();
        Capacity capacity = options.limit() > 0 ? target.capacity().withLimit(options.limit()) : target.capacity();
        List<Decision> ranked = new ArrayList<>(decisions);
        ranked.sort(RANK);
        List<LeftOut> leftOut = new ArrayList<>();
        Kept kept = new Kept(capacity, target.layout() == ExportTarget.Layout.ENFORCEMENT);
        Instant now = options.now();
        for (Decision d : ranked) {
            if (!d.expires().isAfter(now)) {
                leftOut.add(new LeftOut(d, LeftOut.Reason.EXPIRED, "expired at " + d.expires()));
                continue;
            }
            if (d.type() == DecisionType.CAPTCHA && (!target.carriesType() || options.bansOnly())) {
                leftOut.add(new LeftOut(d, LeftOut.Reason.TYPE,
                        target.carriesType() ? "captcha: only bans were asked for" : "captcha: " + target.typeRefusal()));
                continue;
            }
            ExportFormat.Fit fit = format.fit(d.scope());
            if (fit.refusal() != null) {
                leftOut.add(new LeftOut(d, LeftOut.Reason.SCOPE, fit.refusal()));
                continue;
            }
            long timeout = Math.max(1, ceilSeconds(Duration.between(now, d.expires())));
            boolean capped = timeout > target.maxTimeoutSeconds();
            Entry e = new Entry(d, fit.scope(), capped ? target.maxTimeoutSeconds() : timeout, fit.widened(), capped);
            kept.offer(e, leftOut);
        }
        List<Entry> chosen = kept.entries();
        chosen.sort(Comparator.comparing(Entry::scope, SCOPE_ORDER)
                .thenComparing(x -> -strength(x.decision().type()))
                .thenComparing(Entry::decision, RANK));
        return new Selection(format, options, capacity, chosen, leftOut, notes(format, chosen));
    }

    /** The chosen entries: IPv4 first, by network address, broader first. */
    List<Entry> entries() {
        return entries;
    }

    /** The chosen entries of one family, in the same order. */
    List<Entry> entries(boolean ipv4) {
        return entries.stream().filter(e -> e.scope().isIpv4() == ipv4).toList();
    }

    /** The decisions left out, best ranked first within each pass. */
    List<LeftOut> leftOut() {
        return leftOut;
    }

    /** Adjustments made to fit the target, one sentence each. */
    List<String> notes() {
        return notes;
    }

    /** The limit applied. */
    Capacity capacity() {
        return capacity;
    }

    ExportOptions options() {
        return options;
    }

    ExportFormat format() {
        return format;
    }

    /** How many decisions each reason left out, in the reasons' order. */
    Map<LeftOut.Reason, Integer> leftOutCounts() {
        Map<LeftOut.Reason, Integer> counts = new LinkedHashMap<>();
        for (LeftOut.Reason r : LeftOut.Reason.values()) {
            long n = leftOut.stream().filter(l -> l.reason() == r).count();
            if (n > 0) {
                counts.put(r, (int) n);
            }
        }
        return counts;
    }

    /** 2 for a ban, 1 for a challenge: a scope is covered only by one at least as strong. */
    static int strength(DecisionType type) {
        return type == DecisionType.BAN ? 2 : 1;
    }

    private static int confidenceRank(Decision d) {
        return d.confidence() == null ? -1 : d.confidence().ordinal();
    }

    private static int scopeOrder(Cidr a, Cidr b) {
        if (a.isIpv4() != b.isIpv4()) {
            return a.isIpv4() ? -1 : 1;
        }
        int c = a.network().compareTo(b.network());
        return c != 0 ? c : Integer.compare(a.prefix(), b.prefix());
    }

    private static long ceilSeconds(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : s;
    }

    private static List<String> notes(ExportFormat format, List<Entry> chosen) {
        ExportTarget target = format.target();
        List<String> notes = new ArrayList<>();
        long widened = chosen.stream().filter(Entry::widened).count();
        if (widened > 0) {
            notes.add(widened + (widened == 1 ? " scope was" : " scopes were") + " widened to fit " + target.name()
                    + " (e.g. " + chosen.stream().filter(Entry::widened).findFirst().orElseThrow().decision().scope()
                    + " as " + chosen.stream().filter(Entry::widened).findFirst().orElseThrow().scope() + ")");
        }
        long capped = chosen.stream().filter(Entry::capped).count();
        if (capped > 0) {
            notes.add(capped + (capped == 1 ? " timeout was" : " timeouts were") + " capped at "
                    + target.maxTimeoutSeconds() + " s, the longest " + target.name() + " takes; export again before then");
        }
        return notes;
    }

    /** The kept entries, by scope, with per-family counts against the capacity. */
    private static final class Kept {
        private final Capacity capacity;
        private final boolean merge;
        private final TreeMap<Cidr, Entry> byScope = new TreeMap<>(SCOPE_ORDER);
        private final List<Entry> records = new ArrayList<>();
        /** Kept scopes per family (0 IPv4, 1 IPv6) and prefix length: which lengths the cover lookup must try. */
        private final int[][] prefixes = new int[2][129];
        private final int[] perFamily = new int[2];

        Kept(Capacity capacity, boolean merge) {
            this.capacity = capacity;
            this.merge = merge;
        }

        void offer(Entry e, List<LeftOut> leftOut) {
            int family = e.scope().isIpv4() ? 0 : 1;
            if (!merge) {
                if (!room(family, 1)) {
                    leftOut.add(full(e));
                } else {
                    records.add(e);
                    perFamily[family]++;
                }
                return;
            }
            Entry cover = cover(e, family);
            if (cover != null) {
                leftOut.add(cover.scope().equals(e.scope())
                        ? new LeftOut(e.decision(), LeftOut.Reason.DUPLICATE, "same scope as a higher-ranked "
                                + cover.decision().type().wireName() + describeId(cover.decision()))
                        : new LeftOut(e.decision(), LeftOut.Reason.COVERED, "covered by "
                                + cover.decision().type().wireName() + " " + cover.scope() + describeId(cover.decision())));
                return;
            }
            List<Entry> inside = inside(e);
            if (!room(family, 1 - inside.size())) {
                leftOut.add(full(e));
                return;
            }
            for (Entry x : inside) {
                remove(x, family);
                leftOut.add(x.scope().equals(e.scope())
                        ? new LeftOut(x.decision(), LeftOut.Reason.DUPLICATE, "same scope as a stronger "
                                + e.decision().type().wireName() + describeId(e.decision()))
                        : new LeftOut(x.decision(), LeftOut.Reason.COVERED, "covered by "
                                + e.decision().type().wireName() + " " + e.scope() + describeId(e.decision())));
            }
            byScope.put(e.scope(), e);
            prefixes[family][e.scope().prefix()]++;
            perFamily[family]++;
        }

        List<Entry> entries() {
            return merge ? new ArrayList<>(byScope.values()) : new ArrayList<>(records);
        }

        private LeftOut full(Entry e) {
            return new LeftOut(e.decision(), LeftOut.Reason.CAPACITY, "over capacity: " + capacity.describe());
        }

        private boolean room(int family, int more) {
            if (capacity.unlimited()) {
                return true;
            }
            int used = capacity.perFamily() ? perFamily[family] : perFamily[0] + perFamily[1];
            return (long) used + more <= capacity.limit();
        }

        /** The broadest kept scope around (or equal to) {@code e}'s that is at least as strong, or null. */
        private Entry cover(Entry e, int family) {
            Cidr scope = e.scope();
            for (int p = 0; p <= scope.prefix(); p++) {
                if (prefixes[family][p] == 0) {
                    continue;
                }
                Entry k = byScope.get(new Cidr(scope.network(), p));
                if (k != null && strength(k.decision().type()) >= strength(e.decision().type())) {
                    return k;
                }
            }
            return null;
        }

        /** The kept scopes inside (or equal to) {@code e}'s that are no stronger than it. */
        private List<Entry> inside(Entry e) {
            Cidr scope = e.scope();
            if (scope.isSingleAddress()) { // the common case: nothing but the same scope lies inside
                Entry same = byScope.get(scope);
                return same != null && strength(same.decision().type()) <= strength(e.decision().type())
                        ? List.of(same) : List.of();
            }
            IpAddress last = scope.last();
            List<Entry> inside = new ArrayList<>();
            for (Entry k : byScope.subMap(scope, true, new Cidr(last, last.bits()), true).values()) {
                if (strength(k.decision().type()) <= strength(e.decision().type())) {
                    inside.add(k);
                }
            }
            return inside;
        }

        private void remove(Entry x, int family) {
            byScope.remove(x.scope());
            prefixes[family][x.scope().prefix()]--;
            perFamily[family]--;
        }

        private static String describeId(Decision d) {
            return d.id() > 0 ? " (#" + d.id() + ")" : "";
        }
    }
}
