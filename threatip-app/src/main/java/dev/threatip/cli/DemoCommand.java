package dev.threatip.cli;

import dev.threatip.demo.SampleWorkspace;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip demo}: generates a sample workspace (feeds in five formats, a day of a web
 * shop's access log with planted attackers), compiles the feeds, and checks the log's clients
 * against the snapshot. {@link #runScan} is the one place that turns into a call of the real
 * {@code scan} command once it exists.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a sample workspace (feeds and access logs), compile its feeds and flag its attackers.")
final class DemoCommand implements Callable<Integer> {
    /** The seed of the sample workspace: every demo run of one day writes the same files. */
    static final long SEED = 20261101L;

    @Option(names = "--dir", paramLabel = "DIR", description = "Write the workspace here (kept) instead of a temp dir.")
    Path dir;

    @Option(names = "--keep", description = "Keep the temp workspace after the run.")
    boolean keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path workspace = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("threatip-demo");
        try {
            out.println("workspace: " + workspace.toAbsolutePath());
            // yesterday's 24 hours, so the feeds' dates are recent and the evidence counts fully
            LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            SampleWorkspace.Written w = SampleWorkspace.write(workspace, SEED, day.atStartOfDay(ZoneOffset.UTC).toInstant());
            try (Stream<Path> files = Files.list(w.feeds())) {
                out.println("wrote " + files.count() + " feeds to " + w.feeds() + " and " + w.lines()
                        + " access-log lines (24 h of " + day + ") to " + w.log());
            }
            Path snapshot = workspace.resolve("intel.tis");
            FeedCompiler.Result r = IntelBuild.compile(List.of(FeedSpec.of(w.feeds().toString())), Set.of(),
                    IntelBuild.defaultCacheDir(), snapshot);
            out.println();
            IntelBuild.printSummary(r, snapshot, out);
            out.println();
            runScan(workspace);
            if (dir == null && !keep) {
                out.println();
                out.println("(temp workspace removed; rerun with --keep or --dir DIR to keep it)");
            }
        } finally {
            if (dir == null && !keep) {
                deleteTree(workspace);
            }
        }
        return Main.EXIT_OK;
    }

    /**
     * Checks every client of the workspace's log against its snapshot and prints the flagged
     * ones. Stands in for {@code threatip scan --intel intel.tis logs/} until that command lands;
     * then this method delegates to it.
     */
    void runScan(Path workspace) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, long[]> hits = new HashMap<>();
        long lines = 0;
        try (BufferedReader r = Files.newBufferedReader(workspace.resolve("logs").resolve("access.log"),
                StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines++;
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    hits.computeIfAbsent(line.substring(0, sp), k -> new long[1])[0]++;
                }
            }
        }
        ReputationIndex index = ReputationIndex.open(workspace.resolve("intel.tis"));
        record Flagged(String ip, Verdict verdict, long hits) {
        }
        List<Flagged> flagged = new ArrayList<>();
        long flaggedRequests = 0;
        for (Map.Entry<String, long[]> e : hits.entrySet()) {
            Verdict v;
            try {
                v = index.lookup(IpAddress.parse(e.getKey()));
            } catch (IllegalArgumentException notAnAddress) {
                continue;
            }
            if (v.isFlagged()) {
                flagged.add(new Flagged(e.getKey(), v, e.getValue()[0]));
                flaggedRequests += e.getValue()[0];
            }
        }
        flagged.sort(Comparator.comparing((Flagged f) -> f.verdict().level()).reversed()
                .thenComparing(Comparator.comparingLong(Flagged::hits).reversed()).thenComparing(Flagged::ip));
        out.printf(Locale.ROOT, "%d lines, %d clients: %d flagged by the feeds, %d of their requests%n%n", lines,
                hits.size(), flagged.size(), flaggedRequests);
        TextTable t = new TextTable("ip", "verdict", "level", "categories", "hits#");
        for (Flagged f : flagged) {
            t.row(f.ip(), f.verdict().kind().wireName(), f.verdict().level().wireName(), categories(f.verdict()), f.hits());
        }
        t.print(out);
    }

    private static String categories(Verdict v) {
        return v.categories().stream().map(c -> c.category().wireName() + ":" + c.confidence().wireName())
                .collect(Collectors.joining(", "));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
