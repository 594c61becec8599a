package dev.threatip.intel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a {@link FeedSpec} into local feeds ready to read: a file as it is, a directory as one
 * feed per file (or one MISP feed when it holds {@code manifest.json}), an {@code http(s)} URL
 * as a cached download. Downloads keep feed etiquette: no request at all while the cached copy is
 * younger than the feed's minimum refresh interval, then a conditional GET; a failed download
 * leaves the last good copy in use and says why in {@link ResolvedFeed#problem()}.
 *
 * <p>Cache layout: {@code <name>-<hash of URL>.feed} with its {@code .meta.json} sidecar
 * ({@link CacheMeta}); a MISP feed URL gets a directory {@code <name>-<hash>.misp/} with the
 * manifest and its events.
 */
public final class FeedSource {
    /** The minimum refresh interval of a feed whose spec sets none. */
    public static final Duration DEFAULT_MIN_REFRESH = Duration.ofHours(1);

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ANY_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How downloads behave.
     *
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long the server may stay silent: before the headers, and between
     *                       two chunks of the body
     * @param maxAttempts    attempts per download (1 = no retry) for 5xx, 429, timeouts and lost connections
     * @param initialBackoff the wait before the second attempt; doubled for each further one, plus jitter
     * @param maxBytes       the largest body accepted (as sent, so compressed when the server gzips)
     */
    public record FetchSettings(Duration connectTimeout, Duration requestTimeout, int maxAttempts,
                                Duration initialBackoff, long maxBytes) {
        public FetchSettings {
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("initialBackoff", initialBackoff);
            if (maxAttempts < 1 || maxAttempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be 1..20, was " + maxAttempts);
            }
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
            }
        }

        /** 10 s to connect, 60 s of silence, 3 attempts from 500 ms backoff, bodies up to 512 MiB. */
        public static FetchSettings defaults() {
            return new FetchSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 3,
                    Duration.ofMillis(500), 512L << 20);
        }

        private static void requirePositive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be a positive duration, was " + d);
            }
        }
    }

    /** Waits between attempts; injected so tests need not sleep for real. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Path cacheDir;
    private final Clock clock;
    private final FetchSettings settings;
    private final Sleeper sleeper;
    private HttpFetcher fetcher;

    /**
     * @param cacheDir where downloads are kept between runs; created when first needed
     * @param clock    decides cache age and {@code fetchedAt}
     * @param settings timeouts, retries and limits of downloads
     */
    public FeedSource(Path cacheDir, Clock clock, FetchSettings settings) {
        this(cacheDir, clock, settings, d -> Thread.sleep(d.toMillis()));
    }

    FeedSource(Path cacheDir, Clock clock, FetchSettings settings, Sleeper sleeper) {
        this.cacheDir = cacheDir;
        this.clock = clock;
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /**
     * The local feeds of one spec: one for a file, a MISP feed directory or a URL; one per feed
     * file for any other directory, in path order.
     *
     * @throws FeedFormatException naming the location when it does not exist, cannot be read,
     *                             holds no feed, or was never downloaded successfully
     */
    public List<ResolvedFeed> resolve(FeedSpec spec) {
        String location = spec.location();
        if (spec.isUrl()) {
            return List.of(resolveUrl(spec));
        }
        if (ANY_SCHEME.matcher(location).matches()) {
            throw new FeedFormatException(location, 0, "unsupported URL scheme; use http://, https:// or a local path");
        }
        Path path = Path.of(location);
        if (!Files.exists(path)) {
            throw new FeedFormatException(location, 0, "no such file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new FeedFormatException(location, 0, "not readable (permission denied)");
        }
        if (Files.isRegularFile(path)) {
            return List.of(new ResolvedFeed(spec.effectiveName(), spec, new FeedInput(path, location),
                    mtime(path, location), ResolvedFeed.Origin.FILE, null));
        }
        if (!Files.isDirectory(path)) {
            throw new FeedFormatException(location, 0, "not a regular file or directory");
        }
        if (Files.isRegularFile(path.resolve("manifest.json"))) {
            return List.of(new ResolvedFeed(spec.effectiveName(), spec, new FeedInput(path, location),
                    mtime(path.resolve("manifest.json"), location), ResolvedFeed.Origin.FILE, null));
        }
        return resolveDirectory(spec, path);
    }

    // ---------------------------------------------------------------- local directories

    private List<ResolvedFeed> resolveDirectory(FeedSpec spec, Path root) {
        List<Path> feeds = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (!dir.equals(root) && isHidden(dir)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            // a MISP feed directory is one feed: its events are not feeds of their own
                            if (!dir.equals(root) && Files.isRegularFile(dir.resolve("manifest.json"))) {
                                feeds.add(dir);
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !isDocumentation(file)) {
                                feeds.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException) {
                                return FileVisitResult.CONTINUE; // a symlink cycle: its target is walked already
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            if (e instanceof FileSystemException f && f.getFile() != null) {
                throw new FeedFormatException(f.getFile(), 0, "cannot read: "
                        + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName()));
            }
            throw new FeedFormatException(root.toString(), 0, "cannot read: " + e);
        }
        if (feeds.isEmpty()) {
            throw new FeedFormatException(root.toString(), 0,
                    "directory holds no feed files (documentation, licence and hidden files are skipped)");
        }
        feeds.sort(Comparator.comparing(Path::toString));

        List<String> names = uniqueNames(feeds, spec.name());
        List<ResolvedFeed> out = new ArrayList<>(feeds.size());
        for (int i = 0; i < feeds.size(); i++) {
            Path p = feeds.get(i);
            Path dated = Files.isDirectory(p) ? p.resolve("manifest.json") : p;
            out.add(new ResolvedFeed(names.get(i), spec, new FeedInput(p, p.toString()),
                    mtime(dated, p.toString()), ResolvedFeed.Origin.FILE, null));
        }
        return List.copyOf(out);
    }

    /**
     * Each child's inferred name, prefixed by the spec's name when it has one. Provenance is by
     * feed name, so two children never share one: a clash ({@code a/x.txt}, {@code b/x.txt}) is
     * told apart by the parent directory, then by a counter ({@code 1.txt} and {@code 1.txt.gz}).
     */
    private static List<String> uniqueNames(List<Path> feeds, String prefix) {
        List<String> names = new ArrayList<>(feeds.size());
        Map<String, Set<Path>> parentsByName = new HashMap<>();
        for (Path p : feeds) {
            String n = FeedSpec.inferName(p.toString());
            names.add(n);
            parentsByName.computeIfAbsent(n, k -> new HashSet<>()).add(p.getParent());
        }
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Path parent = feeds.get(i).getParent();
            if (parentsByName.get(n).size() > 1 && parent.getFileName() != null) {
                n = FeedSpec.inferName(parent.getFileName().toString()) + "_" + n;
            }
            String unique = n;
            for (int k = 2; !taken.add(unique); k++) {
                unique = n + "_" + k;
            }
            names.set(i, prefix == null ? unique : prefix + "_" + unique);
        }
        return names;
    }

    private static boolean isHidden(Path p) {
        return p.getFileName() != null && p.getFileName().toString().startsWith(".");
    }

    /** Documentation and licences that sit beside feeds in real feed folders. */
    static boolean isDocumentation(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.startsWith(".") || n.endsWith(".md") || n.startsWith("license") || n.endsWith("license")
                || n.contains("eula") || n.startsWith("sources") || n.startsWith("readme");
    }

    private static Instant mtime(Path p, String location) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new FeedFormatException(location, 0, "cannot read: " + e);
        }
    }

    // ---------------------------------------------------------------- URLs

    private ResolvedFeed resolveUrl(FeedSpec spec) {
        String url = spec.location();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new FeedFormatException(url, 0, "not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new FeedFormatException(url, 0, "URL has no host");
        }
        String key = FeedSpec.inferName(url) + "-" + sha256Hex(url).substring(0, 16);
        Duration minRefresh = spec.minRefresh() != null ? spec.minRefresh() : DEFAULT_MIN_REFRESH;
        String userAgent = "threatip/" + version() + " (+feed etiquette: min refresh "
                + DurationText.format(minRefresh) + ")";
        boolean misp = uri.getPath() != null && uri.getPath().endsWith("/manifest.json");
        Path data = misp ? cacheDir.resolve(key + ".misp") : cacheDir.resolve(key + ".feed");
        Path metaFile = cacheDir.resolve(key + ".meta.json");
        CacheMeta cached = CacheMeta.read(metaFile, misp ? data.resolve("manifest.json") : data, url);

        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.fetchedAt().plus(minRefresh))) {
            return resolved(spec, data, cached.fetchedAt(), ResolvedFeed.Origin.CACHED_TOO_SOON, null);
        }
        HttpFetcher.Outcome outcome;
        try {
            Files.createDirectories(cacheDir);
            outcome = misp ? fetchMisp(uri, data, cached, userAgent) : fetcher().fetch(uri, data, cached, userAgent);
        } catch (IOException | UncheckedIOException e) {
            outcome = new HttpFetcher.Failed("cannot write to the cache " + cacheDir + ": " + e.getMessage());
        }
        if (outcome instanceof HttpFetcher.Downloaded d) {
            writeMeta(d.meta(), metaFile);
            return resolved(spec, data, d.meta().fetchedAt(), ResolvedFeed.Origin.DOWNLOADED, null);
        }
        if (outcome instanceof HttpFetcher.NotModified m) {
            writeMeta(m.meta(), metaFile);
            return resolved(spec, data, m.meta().fetchedAt(), ResolvedFeed.Origin.NOT_MODIFIED, null);
        }
        String problem = ((HttpFetcher.Failed) outcome).problem();
        if (cached == null) {
            throw new FeedFormatException(url, 0, problem + "; no cached copy to fall back on");
        }
        return resolved(spec, data, cached.fetchedAt(), ResolvedFeed.Origin.CACHED_AFTER_FAILURE, problem);
    }

    private static void writeMeta(CacheMeta meta, Path metaFile) {
        try {
            meta.write(metaFile);
        } catch (IOException e) {
            // the data is in place; a lost sidecar only costs the next request its validators
        }
    }

    private ResolvedFeed resolved(FeedSpec spec, Path data, Instant at, ResolvedFeed.Origin origin, String problem) {
        return new ResolvedFeed(spec.effectiveName(), spec, new FeedInput(data, spec.location()), at, origin, problem);
    }

    /**
     * A MISP feed: the manifest, then each event {@code <uuid>.json} beside it. The new set is
     * built in a staging directory (events the manifest dates as unchanged are copied from the
     * cache, the rest downloaded) and swapped in only when complete, so a failure halfway leaves
     * the previous feed whole.
     */
    private HttpFetcher.Outcome fetchMisp(URI manifestUri, Path dir, CacheMeta cached, String userAgent)
            throws IOException {
        Path staging = Files.createTempDirectory(cacheDir, dir.getFileName() + ".staging-");
        try {
            Path manifest = staging.resolve("manifest.json");
            Path oldManifest = dir.resolve("manifest.json");
            if (cached != null) {
                Files.copy(oldManifest, manifest);
            }
            HttpFetcher.Outcome outcome = fetcher().fetch(manifestUri, manifest, cached, userAgent);
            if (outcome instanceof HttpFetcher.Failed) {
                return outcome;
            }
            Map<String, String> events;
            Map<String, String> oldEvents;
            try {
                events = mispEvents(manifest);
                oldEvents = cached != null ? mispEvents(oldManifest) : Map.of();
            } catch (IOException e) {
                return new HttpFetcher.Failed("manifest.json is not a MISP manifest: " + e.getMessage());
            }
            for (Map.Entry<String, String> event : events.entrySet()) {
                String file = event.getKey() + ".json";
                Path old = dir.resolve(file);
                if (event.getValue().equals(oldEvents.get(event.getKey())) && Files.isRegularFile(old)) {
                    Files.copy(old, staging.resolve(file));
                    continue;
                }
                HttpFetcher.Outcome got = fetcher().fetch(manifestUri.resolve(file), staging.resolve(file), null, userAgent);
                if (got instanceof HttpFetcher.Failed f) {
                    return new HttpFetcher.Failed("event " + file + ": " + f.problem());
                }
            }
            swap(staging, dir);
            return outcome;
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * The events a manifest lists, uuid → its timestamp. Keys that are not UUIDs are ignored:
     * the manifest is remote input, and a key like {@code ../x} must never become a path.
     */
    private static Map<String, String> mispEvents(Path manifest) throws IOException {
        JsonNode root = JSON.readTree(new String(FeedInput.open(manifest).readAllBytes(), StandardCharsets.UTF_8));
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (UUID.matcher(e.getKey()).matches()) {
                out.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().path("timestamp").asText(""));
            }
        });
        return out;
    }

    private static void swap(Path staging, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = dir.resolveSibling(dir.getFileName() + ".old-" + System.nanoTime());
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }

    private synchronized HttpFetcher fetcher() {
        // built on first use: an HttpClient starts a selector thread that local feeds never need
        if (fetcher == null) {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(settings.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            fetcher = new HttpFetcher(client, settings, sleeper, clock);
        }
        return fetcher;
    }

    private static String version() {
        String v = FeedSource.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
