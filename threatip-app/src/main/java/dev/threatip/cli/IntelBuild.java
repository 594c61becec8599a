package dev.threatip.cli;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.serve.FeedRefresher;
import dev.threatip.intel.FeedReport;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.net.AddressClass;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Feeds to snapshot, as {@code feeds compile}, {@code lookup --feed} and {@code demo} share it:
 * resolve the specs, compile next to the target, and move the result into place only when at
 * least one feed made it in, so a run on broken feeds never replaces a good snapshot.
 */
final class IntelBuild {
    private static final int SAMPLES_SHOWN = 3;

    private IntelBuild() {
    }

    /** {@code $XDG_CACHE_HOME/threatip/feeds}, else {@code ~/.cache/threatip/feeds}. */
    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("threatip").resolve("feeds");
    }

    /** The specs as given, then one {@code role=allow,name=allowlist} spec per allowlist file. */
    static List<FeedSpec> specs(List<String> feeds, List<Path> allowlists) {
        List<FeedSpec> specs = new ArrayList<>();
        for (String f : feeds) {
            specs.add(FeedSpec.parse(f));
        }
        for (int i = 0; i < allowlists.size(); i++) {
            String name = allowlists.size() == 1 ? "allowlist" : "allowlist_" + (i + 1);
            specs.add(FeedSpec.parse(quoteIfNeeded(allowlists.get(i).toString()) + ",role=allow,name=" + name));
        }
        return specs;
    }

    private static String quoteIfNeeded(String location) {
        return location.contains(",") ? "\"" + location + "\"" : location;
    }

    /**
     * Resolves and compiles the specs into {@code out}.
     *
     * @throws InputException when no feed could be compiled (every one refused); {@code out} is then left as it was
     */
    static FeedCompiler.Result compile(List<FeedSpec> specs, Set<AddressClass> allowedSpecial, Path cacheDir,
                                       Path out) throws IOException {
        if (specs.isEmpty()) {
            throw new InputException("no feeds given; use --feed SPEC (or --config with a feeds section)");
        }
        FeedSource source = new FeedSource(cacheDir, Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        return FeedRefresher.compile(specs, allowedSpecial, source, out);
    }

    /** Whether the compile wrote a snapshot (false when every feed was refused). */
    static boolean wrote(FeedCompiler.Result r) {
        return r.snapshot() != null;
    }

    /** The per-feed summary, what each feed left out, and the closing line. */
    static void printSummary(FeedCompiler.Result r, Path out, PrintWriter err) {
        TextTable t = new TextTable("feed", "format", "role", "categories", "entries#", "bad#", "excluded#", "status");
        for (FeedReport f : r.manifest().feeds()) {
            t.row(f.name(), f.format(), f.role(), categories(f), f.entries(), f.badLines(), f.excluded(), status(f));
        }
        t.print(err);
        printSamples(r.manifest().feeds(), err);
        long compiled = r.manifest().feeds().stream().filter(f -> !f.refused()).count();
        long addresses = r.manifest().ipv4Addresses();
        long ranges = r.manifest().ipv4Ranges() + r.manifest().ipv6Ranges();
        if (wrote(r)) {
            err.printf(Locale.ROOT, "compiled %d feeds, %d addresses, %d ranges into %s (%.1f MB) in %.1f s%n",
                    compiled, addresses, ranges, out, r.bytes() / 1e6, r.elapsed().toMillis() / 1000.0);
        }
        err.flush();
    }

    static String categories(FeedReport f) {
        return f.categories().isEmpty() ? "-" : String.join(",", f.categories());
    }

    static String status(FeedReport f) {
        if (f.refused()) {
            return "REFUSED: " + f.refusedWhy();
        }
        if (f.problem() != null) {
            return "stale copy: " + f.problem();
        }
        return "ok";
    }

    /** Up to three bad lines and three excluded entries of each feed: what was skipped, and why. */
    static void printSamples(List<FeedReport> feeds, PrintWriter err) {
        boolean header = false;
        for (FeedReport f : feeds) {
            if (f.badLineSamples().isEmpty() && f.excludedSamples().isEmpty()) {
                continue;
            }
            if (!header) {
                err.println();
                err.println("left out (first " + SAMPLES_SHOWN + " of each kind per feed):");
                header = true;
            }
            for (String s : f.badLineSamples().subList(0, Math.min(SAMPLES_SHOWN, f.badLineSamples().size()))) {
                err.println("  bad line  " + s);
            }
            if (f.badLines() > SAMPLES_SHOWN) {
                err.println("  bad line  " + f.name() + ": ... " + (f.badLines() - SAMPLES_SHOWN) + " more");
            }
            for (String s : f.excludedSamples().subList(0, Math.min(SAMPLES_SHOWN, f.excludedSamples().size()))) {
                err.println("  excluded  " + s + " special-purpose space; allow with --include-special");
            }
            if (f.excluded() > SAMPLES_SHOWN) {
                err.println("  excluded  " + f.name() + ": ... " + (f.excluded() - SAMPLES_SHOWN) + " more");
            }
        }
        if (header) {
            err.println();
        }
    }
}
