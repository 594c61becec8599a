package dev.threatip.cli;

import dev.threatip.demo.SampleWorkspace;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip demo}: generates a sample workspace (feeds in five formats, a day of a web
 * shop's access log with planted attackers), compiles the feeds, then scans the logs with
 * {@code threatip scan}: intel and behaviour rules.
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

    /** Scans the workspace's logs with the real {@code scan} command: intel and behaviour rules. */
    void runScan(Path workspace) {
        CommandLine scan = new CommandLine(new ScanCommand())
                .setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
        scan.execute("--intel", workspace.resolve("intel.tis").toString(), "--output", "table",
                workspace.resolve("logs").toString());
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
