package dev.threatip.cli;

import dev.threatip.demo.LiveTraffic;
import dev.threatip.demo.SampleWorkspace;
import dev.threatip.intel.DurationText;
import dev.threatip.serve.ServeConfig;
import dev.threatip.serve.ThreatipServer;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip demo}: generates a sample workspace (feeds in five formats, a day of three
 * services' access logs in three formats with planted attackers, geo and ASN databases), then
 * starts {@code serve} on it and keeps appending live traffic, so the dashboard's charts move.
 * {@code --scan} runs the batch {@code threatip scan} over the workspace instead and exits.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate a sample workspace (feeds, three services' logs, geo databases) and serve it with live "
                + "traffic: prints the dashboard URL and token. --scan scans it once instead.")
final class DemoCommand implements Callable<Integer> {
    /** The seed of the sample workspace: every demo run of one day writes the same files. */
    static final long SEED = 20261101L;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "Dashboard port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--dir", paramLabel = "DIR", description = "Write the workspace here (kept) instead of a temp dir.")
    Path dir;

    @Option(names = "--keep", description = "Keep the temp workspace after the run.")
    boolean keep;

    @Option(names = "--scan", description = "Scan the workspace once with 'threatip scan' and exit, instead of serving it.")
    boolean scan;

    @Option(names = "--rate", paramLabel = "LINES_PER_S", defaultValue = "20", description = "Live traffic appended per second (default ${DEFAULT-VALUE}; 0 for none).")
    double rate;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop serving after this long (e.g. 10m); default until Ctrl-C.")
    String duration;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Counted down when the demo's server is up; tests wait on it. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Counting it down stops the demo. */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile ThreatipServer server;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration runFor = duration == null ? null : DurationText.parse(duration);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port: " + port + " is out of range; allowed: 0 to 65535");
        }
        if (rate < 0 || rate > 10_000) {
            throw new IllegalArgumentException("--rate: " + rate + " is out of range; allowed: 0 to 10000");
        }
        Path workspace = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("threatip-demo");
        try {
            out.println("workspace: " + workspace.toAbsolutePath());
            SampleWorkspace.Written w;
            if (scan) {
                // yesterday's 24 hours, so the feeds' dates are recent and the evidence counts fully
                LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
                w = SampleWorkspace.write(workspace, SEED, day.atStartOfDay(ZoneOffset.UTC).toInstant());
                describe(out, w);
                Path snapshot = workspace.resolve("intel.tis");
                FeedCompiler.Result r = IntelBuild.compile(List.of(FeedSpec.of(w.feeds().toString())), Set.of(),
                        IntelBuild.defaultCacheDir(), snapshot);
                out.println();
                IntelBuild.printSummary(r, snapshot, out);
                out.println();
                runScan(workspace);
            } else {
                // the last 24 hours up to now, so the dashboard's default range shows the whole day
                Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(24));
                w = SampleWorkspace.write(workspace, SEED, start);
                describe(out, w);
                serve(out, w, runFor);
            }
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

    private static void describe(PrintWriter out, SampleWorkspace.Written w) throws IOException {
        try (Stream<Path> files = Files.list(w.feeds())) {
            out.println("wrote " + files.count() + " feeds to " + w.feeds() + ", geo and ASN databases, and 24 h of "
                    + w.logs().stream().mapToLong(SampleWorkspace.LogFile::lines).sum() + " access-log lines:");
        }
        for (SampleWorkspace.LogFile f : w.logs()) {
            out.printf(Locale.ROOT, "  %-40s %-9s %,d lines%n", w.root().relativize(f.path()), f.format(), f.lines());
        }
        out.flush();
    }

    /** Serves the workspace: its feeds, its logs tailed from the start, its geo databases, and live traffic. */
    private void serve(PrintWriter out, SampleWorkspace.Written w, Duration runFor) throws Exception {
        Path data = w.root().resolve("data");
        deleteTree(data); // the logs were just rewritten: a fresh store, not yesterday's events twice
        ServeConfig d = ServeConfig.defaults();
        List<String> files = w.logs().stream().map(f -> f.path().toAbsolutePath().toString()).toList();
        ServeConfig cfg = new ServeConfig(
                new ServeConfig.Feeds(List.of(w.feeds().toString()), null, Set.of(), d.feeds().refresh()),
                new ServeConfig.Inputs(files, false, "auto", null, null, List.of(), null, true),
                d.rules(),
                new ServeConfig.Server(d.server().bind(), port, data, null, List.of(), d.server().retention()),
                new ServeConfig.GeoPaths(List.of(w.cityDb()), List.of(w.asnDb())));
        PrintWriter err = spec.commandLine().getErr();
        try (ShutdownHook hook = new ShutdownHook("threatip-demo-shutdown", stop);
             ThreatipServer s = new ThreatipServer(cfg, Clock.systemUTC(), line -> {
                 err.println("threatip demo: " + line);
                 err.flush();
             }).start(); LiveTraffic traffic = LiveTraffic.over(w, SEED, Clock.systemUTC(),
                LiveTraffic.Settings.defaults().withLinesPerSecond(Math.max(rate, 0.001)))) {
            server = s;
            if (rate > 0) {
                traffic.start();
            }
            out.println();
            out.println("dashboard:   " + s.url());
            out.println("token:       " + s.adminToken() + "   (also in " + s.adminTokenFile() + ")");
            out.println("try:         curl -H 'Authorization: Bearer " + s.adminToken() + "' " + s.url() + "api/v1/stats");
            out.println(rate > 0 ? "appending " + rate + " lines/s of live traffic; Ctrl-C stops" : "Ctrl-C stops");
            out.flush();
            started.countDown();
            if (runFor == null) {
                stop.await();
            } else {
                stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
            }
            out.println("stopping: flushing and closing the store");
            out.flush();
        }
    }

    /** Scans the workspace's logs with the real {@code scan} command: intel and behaviour rules. */
    void runScan(Path workspace) {
        CommandLine scan = new CommandLine(new ScanCommand())
                .setOut(spec.commandLine().getOut()).setErr(spec.commandLine().getErr());
        scan.execute("--intel", workspace.resolve("intel.tis").toString(), "--output", "table",
                workspace.resolve("logs").toString());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
