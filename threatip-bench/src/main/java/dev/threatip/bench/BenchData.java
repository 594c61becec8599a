package dev.threatip.bench;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.SpecialRanges;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic benchmark data: plain feed files of N public IPv4 entries, the snapshots
 * compiled from them (through the public {@link FeedSource} and {@link FeedCompiler}, the real
 * compile path), and key arrays for lookups.
 *
 * <p>The feed of N lines is a prefix of the feed of any larger N (one seeded stream), so the
 * first addresses of the stream are listed in every snapshot. Every 100th line is a network
 * of prefix /16-/28 where each bit shorter is half as likely (about half are /28, 3% /24,
 * 0.01% /16), so 1% of lines cover about 2% of the IPv4 space at 100M entries, like real
 * feeds where networks are mostly small. Only public addresses are generated, so
 * {@code FeedCompiler.Options.defaults()} excludes nothing; duplicates of the random stream
 * (about 1.3% at 100M) merge, so the index holds slightly fewer addresses than lines.
 *
 * <p>Files live in {@code threatip-bench/target/bench-data/} unless the system property
 * {@code threatip.bench.dir} says otherwise, and are made only when missing.
 *
 * <p>Also a command for the scale runner's child JVM: {@code BenchData compile FEED OUT}
 * compiles one feed and prints {@code compile-ms=...} and the JVM's peak heap.
 */
public final class BenchData {
    /** The seed of the feed stream (shared by every size). */
    static final long FEED_SEED = 0x7412_1b0cL;

    /** Every how many lines a network is written instead of an address. */
    static final int CIDR_EVERY = 100;

    /** The pool of active clients of the skewed key mix. */
    static final int ACTIVE_CLIENTS = 100_000;

    /** The share of active clients that are listed. */
    static final double LISTED_SHARE = 0.05;

    /** The Zipf exponent of the skewed mix. */
    static final double ZIPF_S = 1.1;

    private BenchData() {
    }

    /** The cache directory. */
    public static Path dir() {
        String d = System.getProperty("threatip.bench.dir");
        return Path.of(d != null ? d : "threatip-bench/target/bench-data").toAbsolutePath();
    }

    /** The feed file of {@code n} lines, generated when missing. */
    public static Path feed(long n) throws IOException {
        Path p = dir().resolve("feed-" + n + ".txt");
        if (!Files.exists(p)) {
            generateFeed(n, p);
        }
        return p;
    }

    /** The snapshot compiled from the feed of {@code n} lines, compiled (in this JVM) when missing. */
    public static Path snapshot(long n) throws IOException {
        Path p = snapshotPath(n);
        if (!Files.exists(p)) {
            compile(feed(n), p);
        }
        return p;
    }

    static Path snapshotPath(long n) {
        return dir().resolve("snapshot-" + n + ".tis");
    }

    /** Writes the feed of {@code n} lines to {@code out} (atomically) and returns how many were networks. */
    static long generateFeed(long n, Path out) throws IOException {
        Files.createDirectories(out.getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        FeedStream stream = new FeedStream();
        byte[] line = new byte[24];
        long networks = 0;
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            for (long i = 0; i < n; i++) {
                int len;
                if (stream.next()) {
                    len = format(stream.address, line, 0);
                    line[len++] = '/';
                    len = digits(stream.prefix, line, len);
                    networks++;
                } else {
                    len = format(stream.address, line, 0);
                }
                line[len++] = '\n';
                os.write(line, 0, len);
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return networks;
    }

    /** Compiles one plain feed file into a snapshot with the default options, the way the CLI does. */
    public static FeedCompiler.Result compile(Path feed, Path out) throws IOException {
        FeedSource source = new FeedSource(dir().resolve("fetch-cache"), Clock.systemUTC(),
                FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> feeds = source.resolve(FeedSpec.parse(feed + ",name=bench,format=plain"));
        return new FeedCompiler(FeedCompiler.Options.defaults()).compile(feeds, out);
    }

    /** The first {@code count} single addresses of the feed stream: listed in every benchmark snapshot. */
    static int[] listedAddresses(int count) {
        FeedStream stream = new FeedStream();
        int[] out = new int[count];
        int k = 0;
        while (k < count) {
            if (!stream.next()) {
                out[k++] = stream.address;
            }
        }
        return out;
    }

    /** Uniform random 32-bit keys: almost all misses, as most real traffic is. */
    public static int[] uniformKeys(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) {
            keys[i] = r.nextInt();
        }
        return keys;
    }

    /**
     * A log-like key mix: Zipf(1.1) over a pool of {@value #ACTIVE_CLIENTS} active clients, 5% of
     * them listed (taken from the feed stream's first addresses), the rest random public
     * addresses; the ranks are shuffled so listed clients sit anywhere in the popularity order.
     */
    public static int[] skewedKeys(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int listedCount = (int) (ACTIVE_CLIENTS * LISTED_SHARE);
        int[] pool = new int[ACTIVE_CLIENTS];
        int[] listed = listedAddresses(listedCount);
        System.arraycopy(listed, 0, pool, 0, listedCount);
        for (int i = listedCount; i < pool.length; i++) {
            pool[i] = randomPublic(r);
        }
        for (int i = pool.length - 1; i > 0; i--) { // Fisher-Yates: rank i gets a random client
            int j = r.nextInt(i + 1);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        double[] cdf = new double[pool.length];
        double sum = 0;
        for (int i = 0; i < pool.length; i++) {
            sum += 1 / Math.pow(i + 1, ZIPF_S);
            cdf[i] = sum;
        }
        int[] keys = new int[count];
        for (int i = 0; i < count; i++) {
            double u = r.nextDouble() * sum;
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            keys[i] = pool[lo];
        }
        return keys;
    }

    /** Keys by mix name: {@code uniform} or {@code skewed}. */
    public static int[] keys(String mix, int count) {
        return switch (mix) {
            case "uniform" -> uniformKeys(count, 42);
            case "skewed" -> skewedKeys(count, 43);
            default -> throw new IllegalArgumentException("unknown key mix '" + mix + "'; known: uniform, skewed");
        };
    }

    static int randomPublic(SplittableRandom r) {
        while (true) {
            int a = r.nextInt();
            if (SpecialRanges.classifyIpv4(a) == AddressClass.PUBLIC) {
                return a;
            }
        }
    }

    /** The feed stream: public addresses, every {@value #CIDR_EVERY}th entry a public network. */
    private static final class FeedStream {
        private final SplittableRandom random = new SplittableRandom(FEED_SEED);
        private long index;
        int address;
        int prefix;

        /** Advances; true when the entry is a network ({@link #address}/{@link #prefix}). */
        boolean next() {
            boolean network = ++index % CIDR_EVERY == 0;
            if (!network) {
                address = randomPublic(random);
                prefix = 32;
                return false;
            }
            // /28 half the time, each bit shorter half as likely again, down to /16.
            int p = 28 - Math.min(12, Long.numberOfTrailingZeros(random.nextLong() | (1L << 40)));
            while (true) {
                int a = random.nextInt() & (int) (0xFFFF_FFFFL << (32 - p));
                if (SpecialRanges.classify(new Cidr(IpAddress.ofIpv4(a), p)) == AddressClass.PUBLIC) {
                    address = a;
                    prefix = p;
                    return true;
                }
            }
        }
    }

    private static int format(int a, byte[] b, int at) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            at = digits((a >>> shift) & 0xFF, b, at);
            if (shift > 0) {
                b[at++] = '.';
            }
        }
        return at;
    }

    private static int digits(int v, byte[] b, int at) {
        if (v >= 100) {
            b[at++] = (byte) ('0' + v / 100);
        }
        if (v >= 10) {
            b[at++] = (byte) ('0' + v / 10 % 10);
        }
        b[at++] = (byte) ('0' + v % 10);
        return at;
    }

    /**
     * {@code BenchData compile FEED OUT}: compiles in this JVM and prints {@code compile-ms=},
     * {@code entries=} and {@code peak-heap-bytes=} (the sum of the heap pools' peaks) for the
     * scale runner, which runs it under {@code /usr/bin/time -v}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[0].equals("compile")) {
            System.err.println("usage: BenchData compile FEED OUT");
            System.exit(2);
        }
        FeedCompiler.Result r = compile(Path.of(args[1]), Path.of(args[2]));
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("compile-ms=" + r.elapsed().toMillis());
        System.out.println("entries=" + r.manifest().ipv4Addresses());
        System.out.println("ranges=" + r.manifest().ipv4Ranges());
        System.out.println("bytes=" + r.bytes());
        System.out.println("peak-heap-bytes=" + peak);
    }

    /** Opens a snapshot with the given verification. */
    static ReputationIndex open(Path snapshot, ReputationIndex.Verification v) throws IOException {
        return ReputationIndex.open(snapshot, ReputationIndex.OpenOptions.defaults().withVerification(v));
    }
}
