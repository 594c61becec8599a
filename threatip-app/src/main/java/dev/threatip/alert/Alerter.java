package dev.threatip.alert;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.ingest.IngestPipeline;
import dev.threatip.net.IpAddress;
import dev.threatip.store.AlertOutbox;
import dev.threatip.store.IpActivity;
import dev.threatip.store.PathCount;
import dev.threatip.store.ProfileUpdate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Evaluates the alert policies after every pipeline flush (once a second in {@code serve}): the
 * flush's profile updates are the IPs with new requests or a new verdict; each policy keeps those
 * whose verdict meets its conditions, asks the store (one batched query) about their requests in
 * the policy's window when it has {@code min_hits}, {@code paths} or {@code inputs}, groups the
 * matches ({@link Grouper}), and writes the resulting messages into the outbox, one row per
 * channel, in one transaction — then wakes the delivery worker. It never sends anything itself,
 * so a slow channel cannot hold up the flush.
 */
final class Alerter implements IngestPipeline.FlushListener {
    static final int TOP = 5;

    private final List<AlertPolicy> policies;
    private final Map<String, Grouper> groupers = new LinkedHashMap<>();
    private final Map<String, String[]> patterns = new HashMap<>();
    private final AlertOutbox outbox;
    private final IpActivity activity;
    private final Supplier<String> baseUrl;
    private final Clock clock;
    private final Runnable wake;
    private final Map<String, java.util.concurrent.atomic.AtomicLong> messages = new LinkedHashMap<>();

    Alerter(List<AlertPolicy> policies, AlertOutbox outbox, IpActivity activity, Supplier<String> baseUrl, Clock clock, Runnable wake) {
        this.policies = List.copyOf(policies);
        this.outbox = outbox;
        this.activity = activity;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.wake = wake;
        for (AlertPolicy p : policies) {
            groupers.put(p.name(), new Grouper(p));
            patterns.put(p.name(), new String[] {regex(p.when().paths()), regex(p.when().inputs())});
            messages.put(p.name(), new java.util.concurrent.atomic.AtomicLong());
        }
    }

    @Override
    public void flushed(IngestPipeline.FlushResult result) {
        if (policies.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Grouper.Emit> emits = new ArrayList<>();
        for (AlertPolicy p : policies) {
            Grouper g = groupers.get(p.name());
            emits.addAll(g.due(now));
            for (ProfileUpdate u : matches(p, result.profiles())) {
                Grouper.Emit e = g.offer(u, now);
                if (e != null) {
                    emits.add(e);
                }
            }
        }
        if (!emits.isEmpty()) {
            enqueue(emits, now);
        }
    }

    /** The updates of {@code profiles} that meet every condition of {@code p}. */
    List<ProfileUpdate> matches(AlertPolicy p, List<ProfileUpdate> profiles) {
        List<ProfileUpdate> candidates = new ArrayList<>();
        for (ProfileUpdate u : profiles) {
            if (p.when().matches(u.verdict())) {
                candidates.add(u);
            }
        }
        if (candidates.isEmpty() || !p.when().needsRequests()) {
            return candidates;
        }
        Map<IpAddress, Instant> since = new HashMap<>();
        for (ProfileUpdate u : candidates) {
            since.put(u.ip(), u.lastSeen().minus(p.when().window()));
        }
        String[] re = patterns.get(p.name());
        Map<IpAddress, IpActivity.Counts> counts = activity.counts(since, re[0], re[1]);
        List<ProfileUpdate> out = new ArrayList<>();
        for (ProfileUpdate u : candidates) {
            IpActivity.Counts c = counts.get(u.ip());
            if (c != null && c.hits() >= p.when().minHits() && (re[0] == null || c.pathHits() > 0)
                    && (re[1] == null || c.sourceHits() > 0)) {
                out.add(u);
            }
        }
        return out;
    }

    private void enqueue(List<Grouper.Emit> emits, Instant now) {
        Set<IpAddress> ips = new LinkedHashSet<>();
        emits.forEach(e -> e.updates().forEach(u -> ips.add(u.ip())));
        Map<IpAddress, IpActivity.Summary> summaries = activity.summaries(ips, TOP);
        List<AlertOutbox.Owed> owed = new ArrayList<>();
        for (Grouper.Emit e : emits) {
            String payload = AlertJson.write(alert(e, summaries, now));
            for (String channel : e.policy().channels()) {
                owed.add(new AlertOutbox.Owed(e.policy().name(), channel, payload));
            }
            messages.get(e.policy().name()).incrementAndGet();
        }
        outbox.enqueue(owed);
        wake.run();
    }

    /** The message of one emit: a single IP, or a digest describing the group. */
    Alert alert(Grouper.Emit e, Map<IpAddress, IpActivity.Summary> summaries, Instant now) {
        String base = baseUrl.get();
        List<ProfileUpdate> members = new ArrayList<>(e.updates());
        Map<IpAddress, Long> hits = new HashMap<>();
        for (ProfileUpdate u : members) {
            IpActivity.Summary s = summaries.get(u.ip());
            hits.put(u.ip(), s != null && s.hits() > 0 ? s.hits() : u.hits());
        }
        members.sort(Comparator.<ProfileUpdate, ThreatLevel>comparing(u -> u.verdict().level()).reversed()
                .thenComparing(u -> -hits.get(u.ip())).thenComparing(u -> u.ip().hi()).thenComparing(u -> u.ip().lo()));
        ProfileUpdate top = members.get(0);
        IpActivity.Summary topSummary = summaries.get(top.ip());
        Verdict.Kind verdict = members.stream().anyMatch(u -> u.verdict().kind() == Verdict.Kind.MALICIOUS)
                ? Verdict.Kind.MALICIOUS : Verdict.Kind.SUSPICIOUS;
        long totalHits = 0;
        Instant first = null;
        Instant last = null;
        Map<String, Long> pathCounts = new HashMap<>();
        for (ProfileUpdate u : members) {
            totalHits += hits.get(u.ip());
            IpActivity.Summary s = summaries.get(u.ip());
            Instant f = s != null && s.firstSeen() != null ? s.firstSeen() : u.firstSeen();
            Instant l = s != null && s.lastSeen() != null ? s.lastSeen() : u.lastSeen();
            first = first == null || f.isBefore(first) ? f : first;
            last = last == null || l.isAfter(last) ? l : last;
            if (s != null) {
                s.topPaths().forEach(pc -> pathCounts.merge(pc.path(), pc.count(), Long::sum));
            }
        }
        List<PathCount> paths = pathCounts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(x -> new PathCount(x.getKey(), x.getValue())).toList();
        List<Alert.Member> listed = new ArrayList<>();
        for (ProfileUpdate u : members.subList(0, Math.min(members.size(), Alert.MAX_LISTED))) {
            listed.add(new Alert.Member(u.ip(), u.verdict().level(), hits.get(u.ip()), profileUrl(base, u.ip())));
        }
        return new Alert(e.policy().name(), e.policy().groupBy(), top.ip(), verdict, top.verdict().level(),
                members.size() == 1 ? top.verdict().categories() : mergedCategories(members), totalHits, paths,
                topSummary == null ? List.of() : topSummary.userAgents(), first, last, profileUrl(base, top.ip()),
                e.count(), listed, now);
    }

    /** The union of the members' categories, each at its highest confidence (with its source, rules and feeds). */
    private static List<CategoryVerdict> mergedCategories(List<ProfileUpdate> members) {
        Map<Category, CategoryVerdict> best = new EnumMap<>(Category.class);
        for (ProfileUpdate u : members) {
            for (CategoryVerdict c : u.verdict().categories()) {
                CategoryVerdict b = best.get(c.category());
                if (b == null || c.confidence().compareTo(b.confidence()) > 0) {
                    best.put(c.category(), c);
                }
            }
        }
        return best.values().stream().sorted(Comparator.comparing(CategoryVerdict::confidence).reversed()
                .thenComparing(CategoryVerdict::category)).toList();
    }

    /** The dashboard's profile page of {@code ip}: {@code BASE#/ip/ADDR}. */
    static String profileUrl(String base, IpAddress ip) {
        return (base.endsWith("/") ? base : base + "/") + "#/ip/" + ip;
    }

    /** Globs as one RE2 expression the whole value must match; null for none. */
    static String regex(List<String> globs) {
        if (globs.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String g : globs) {
            sb.append(sb.length() == 0 ? "" : "|").append("(?:");
            for (int i = 0; i < g.length(); i++) {
                char c = g.charAt(i);
                if (c == '*') {
                    sb.append(".*");
                } else if (c == '?') {
                    sb.append('.');
                } else if ("\\.^$|+()[]{}".indexOf(c) >= 0) {
                    sb.append('\\').append(c);
                } else {
                    sb.append(c);
                }
            }
            sb.append(')');
        }
        return sb.toString();
    }

    Map<String, Grouper> groupers() {
        return groupers;
    }

    long messages(String policy) {
        return messages.get(policy).get();
    }
}
