package dev.threatip.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.LiveDecision;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live decisions pulled from {@code serve} over the CrowdSec bouncer protocol (DESIGN.md §4):
 * {@code GET /v1/decisions/stream?startup=true} with {@code X-Api-Key} once, then the deltas
 * ({@code startup=false}) every interval; {@code new} decisions are added, {@code deleted} ones
 * removed, by id. Decisions of scope {@code Ip} and {@code Range} are kept; others (countries,
 * AS numbers) are counted and ignored. A decision expires by its {@code duration} (Go format)
 * counted from the pull, or its {@code until} when present.
 *
 * <p>Lookups read an immutable snapshot swapped atomically after each pull — exact addresses in a
 * hash map, networks in a list — so request threads never wait on a pull. A failed pull keeps the
 * decisions in force and retries at the next interval; a failed startup pull is retried as a
 * startup pull.
 */
public final class DecisionStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decision in force. */
    private record Entry(long id, Cidr scope, LiveDecision type, Instant until) {
    }

    /** The lookup snapshot. */
    private record Snapshot(Map<IpAddress, Entry[]> exact, Entry[] ranges) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), new Entry[0]);
    }

    /**
     * The outcome of the latest pull.
     *
     * @param at        when it was attempted
     * @param startup   whether it was a startup (full) pull
     * @param added     decisions added
     * @param deleted   decisions removed
     * @param active    decisions in force after it
     * @param ignored   decisions of scopes the gateway does not enforce
     * @param problem   why it failed, or null
     */
    public record Pull(Instant at, boolean startup, int added, int deleted, int active, int ignored, String problem) {
        public boolean succeeded() {
            return problem == null;
        }
    }

    private final URI streamUri;
    private final String apiKey;
    private final Duration interval;
    private final Clock clock;
    private final HttpClient http;
    private final Map<Long, Entry> byId = new LinkedHashMap<>(); // pull thread only
    private volatile Snapshot snapshot = Snapshot.EMPTY;
    private volatile Pull lastPull;
    private boolean started; // a startup pull succeeded
    private ScheduledExecutorService scheduler;

    /**
     * @param base     {@code serve}'s base URL, e.g. {@code http://127.0.0.1:8080}
     * @param apiKey   the bouncer key
     * @param interval between pulls (1s to 1h)
     */
    public DecisionStream(URI base, String apiKey, Duration interval, Clock clock) {
        Objects.requireNonNull(base, "base");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the decision stream needs a bouncer API key (X-Api-Key)");
        }
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("decision pull interval " + interval + " is out of range 1s-1h");
        }
        String b = base.toString();
        this.streamUri = URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + "/v1/decisions/stream");
        this.apiKey = apiKey;
        this.interval = interval;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Pulls once now, then every interval on a daemon thread. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "threatip-gate-decisions");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::pullQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pullQuietly() {
        Pull p = pull();
        if (!p.succeeded()) {
            LOG.warn("decision pull from {} failed: {} (keeping {} decisions in force)", streamUri, p.problem(), p.active());
        }
    }

    /** One pull (startup until one succeeded, then deltas); the caller's thread. */
    public synchronized Pull pull() {
        boolean startup = !started;
        Instant now = clock.instant();
        Pull result;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(streamUri + "?startup=" + startup))
                    .timeout(Duration.ofSeconds(30))
                    .header("X-Api-Key", apiKey)
                    .header("Accept", "application/json")
                    .header("Accept-Encoding", "gzip")
                    .header("User-Agent", "threatip-gate")
                    .GET().build();
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream raw = resp.body();
                 InputStream body = resp.headers().firstValue("Content-Encoding").map(e -> e.equalsIgnoreCase("gzip")).orElse(false)
                         ? new GZIPInputStream(raw) : raw) {
                if (resp.statusCode() != 200) {
                    String text = new String(body.readNBytes(300), java.nio.charset.StandardCharsets.UTF_8);
                    throw new IOException("HTTP " + resp.statusCode() + (resp.statusCode() == 403 ? " (bad or unknown API key)" : "")
                            + ": " + text.strip());
                }
                JsonNode root = JSON.readTree(body);
                result = apply(root, startup, now);
            }
            started = true;
        } catch (IOException | RuntimeException e) {
            result = new Pull(now, startup, 0, 0, byId.size(), 0, e.getMessage() == null ? e.toString() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new Pull(now, startup, 0, 0, byId.size(), 0, "interrupted");
        }
        lastPull = result;
        return result;
    }

    private Pull apply(JsonNode root, boolean startup, Instant now) throws IOException {
        if (root == null || !root.isObject()) {
            throw new IOException("the stream answer is not a JSON object");
        }
        Map<Long, Entry> next = new LinkedHashMap<>(startup ? Map.of() : byId);
        int added = 0;
        int deleted = 0;
        int ignored = 0;
        JsonNode del = root.get("deleted");
        if (del != null && del.isArray()) {
            for (JsonNode d : del) {
                if (next.remove(d.path("id").asLong(-1)) != null) {
                    deleted++;
                }
            }
        }
        JsonNode add = root.get("new");
        if (add != null && add.isArray()) {
            for (JsonNode d : add) {
                Entry e = entry(d, now);
                if (e == null) {
                    ignored++;
                } else {
                    next.put(e.id(), e);
                    added++;
                }
            }
        }
        next.values().removeIf(e -> !e.until().isAfter(now));
        byId.clear();
        byId.putAll(next);
        snapshot = index(next.values());
        return new Pull(now, startup, added, deleted, next.size(), ignored, null);
    }

    /** A decision of the stream, or null when the gateway does not enforce it. */
    private static Entry entry(JsonNode d, Instant now) {
        String scope = d.path("scope").asText("");
        String value = d.path("value").asText("");
        String type = d.path("type").asText("");
        LiveDecision t = switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "ban" -> LiveDecision.BAN;
            case "captcha" -> LiveDecision.CAPTCHA;
            default -> null;
        };
        if (t == null || !(scope.equalsIgnoreCase("ip") || scope.equalsIgnoreCase("range"))) {
            return null;
        }
        Cidr cidr;
        try {
            cidr = value.indexOf('/') >= 0 ? Cidr.parse(value) : Cidr.of(IpAddress.parse(value));
        } catch (IllegalArgumentException e) {
            return null;
        }
        Instant until = null;
        if (d.hasNonNull("until")) {
            try {
                until = Instant.parse(d.get("until").asText());
            } catch (RuntimeException e) {
                until = null;
            }
        }
        if (until == null) {
            Duration left = GoDurations.parse(d.path("duration").asText(""));
            if (left == null) {
                return null;
            }
            until = now.plus(left);
        }
        return new Entry(d.path("id").asLong(), cidr, t, until);
    }

    private static Snapshot index(Iterable<Entry> entries) {
        Map<IpAddress, List<Entry>> exact = new HashMap<>();
        List<Entry> ranges = new ArrayList<>();
        for (Entry e : entries) {
            if (e.scope().isSingleAddress()) {
                exact.computeIfAbsent(e.scope().network(), k -> new ArrayList<>()).add(e);
            } else {
                ranges.add(e);
            }
        }
        Map<IpAddress, Entry[]> m = new HashMap<>();
        exact.forEach((k, v) -> m.put(k, v.toArray(Entry[]::new)));
        return new Snapshot(m, ranges.toArray(Entry[]::new));
    }

    /** The strongest decision in force for the address now: ban over captcha, or {@link LiveDecision#NONE}. */
    public LiveDecision lookup(IpAddress client) {
        Snapshot s = snapshot;
        if (s.exact().isEmpty() && s.ranges().length == 0) {
            return LiveDecision.NONE;
        }
        Instant now = clock.instant();
        LiveDecision best = LiveDecision.NONE;
        Entry[] hits = s.exact().get(client);
        if (hits != null) {
            for (Entry e : hits) {
                best = stronger(best, e, now);
            }
        }
        for (Entry e : s.ranges()) {
            if (e.scope().contains(client)) {
                best = stronger(best, e, now);
            }
        }
        return best;
    }

    private static LiveDecision stronger(LiveDecision best, Entry e, Instant now) {
        if (!e.until().isAfter(now)) {
            return best;
        }
        return e.type() == LiveDecision.BAN || best == LiveDecision.BAN ? LiveDecision.BAN : LiveDecision.CAPTCHA;
    }

    /** Decisions in force after the latest pull. */
    public int active() {
        return snapshot.exact().values().stream().mapToInt(a -> a.length).sum() + snapshot.ranges().length;
    }

    /** The latest pull, or null before the first. */
    public Pull lastPull() {
        return lastPull;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

}
