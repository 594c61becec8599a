package dev.threatip.cli;

import dev.threatip.detect.Detector;
import dev.threatip.detect.InvalidRuleException;
import dev.threatip.detect.ThreatScan;
import dev.threatip.detect.ScanReport;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.log.BadLine;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FileSummary;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogFormats;
import dev.threatip.log.LogInput;
import dev.threatip.log.LogInputException;
import dev.threatip.log.LogReader;
import dev.threatip.log.ScanSummary;
import dev.threatip.report.ScanReportCsv;
import dev.threatip.report.ScanReportJson;
import dev.threatip.report.ScanReportTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code threatip scan} (DESIGN.md §4): reads access logs, matches every client against the
 * intel and the behaviour rules (built-in, plus {@code --rules}), and reports the flagged ones. Exit codes: 0 done, 1 {@code --fail-on} reached, 2 bad
 * usage or unreadable input (one line on stderr naming the file and the problem; the report of
 * everything readable is still written).
 *
 * <p>Formats come from {@link LogFormats}, or from the {@link Formats} given to the constructor.
 */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Find malicious source IPs in access logs and say why.")
public final class ScanCommand implements Callable<Integer> {
    /** Exit code: the --fail-on threshold was reached. */
    public static final int EXIT_FAIL_ON = 1;
    /** Exit code: bad usage or unreadable input. */
    public static final int EXIT_INPUT = 2;

    /** The one seam to the format registry: makes the per-input format selector from the options. */
    @FunctionalInterface
    public interface Formats {
        /**
         * @param format    {@code auto} or a format name, as given to {@code --format}
         * @param logFormat an nginx {@code log_format} or Apache {@code LogFormat} string, or null
         * @param ipField   the field holding the client address in JSON logs, or null
         * @throws IllegalArgumentException naming an unknown format and the known ones, or a bad
         *                                  log-format string
         */
        FormatSelector selector(String format, String logFormat, String ipField);
    }

    /** The accepted values of --output. */
    enum Output { table, json, ndjson, csv }

    /** Where the intel comes from: exactly one of the two. */
    static final class IntelSource {
        @Option(names = "--intel", paramLabel = "FILE", description = "Compiled intel snapshot (threatip feeds compile).")
        Path intel;

        @Option(names = "--feed", paramLabel = "SPEC", arity = "1..*",
                description = "Feed to compile for this scan: PATH_OR_URL[,name=N][,format=F][,category=C][,confidence=L][,ttl=D].")
        List<String> feeds;
    }

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    IntelSource intel;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Behaviour rules (YAML) added to the built-in ones; a rule with a built-in id replaces it (repeatable).")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--no-rules", description = "Match against intel only: no behaviour rules.")
    boolean noRules;

    @picocli.CommandLine.Mixin
    LogReadingOptions reading;

    @Option(names = "--output", paramLabel = "table|json|ndjson|csv", defaultValue = "table",
            description = "Report format (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Option(names = "--min-level", paramLabel = "low|medium|high", description = "Report only IPs at or above this level.")
    String minLevel;

    @Option(names = "--fail-on", paramLabel = "low|medium|high",
            description = "Exit 1 when any IP is at or above this level (judged before --min-level filters).")
    String failOn;

    @Option(names = "--threads", paramLabel = "N", description = "Reader threads (default: one per core).")
    Integer threads;

    @Parameters(paramLabel = "PATH|-", arity = "1..*", description = "Log files, directories, globs, or - for standard input.")
    List<String> paths;

    private final Formats formats;
    private InputStream stdin = System.in;

    /** A scan command with the built-in formats of {@link LogFormats}. */
    public ScanCommand() {
        this(LogFormats::selector);
    }

    /** A scan command taking its formats from {@code formats} (tests give their own). */
    public ScanCommand(Formats formats) {
        this.formats = Objects.requireNonNull(formats, "formats");
    }

    /** Reads {@code -} from {@code in} instead of {@link System#in}. */
    public ScanCommand withStdin(InputStream in) {
        this.stdin = Objects.requireNonNull(in, "stdin");
        return this;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return scan(err);
        } catch (UsageProblem e) {
            err.println("threatip scan: " + e.getMessage());
            err.flush();
            return EXIT_INPUT;
        }
    }

    /** A problem with the command line or an input, reported as one line and exit code 2. */
    private static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message, null, false, false);
        }
    }

    private int scan(PrintWriter err) throws UsageProblem {
        ThreatLevel min = level("--min-level", minLevel);
        ThreatLevel fail = level("--fail-on", failOn);
        LogReader.Options options;
        try {
            options = threads == null ? LogReader.Options.defaults() : LogReader.Options.defaults().withThreads(threads);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem("--threads: " + e.getMessage());
        }
        ClientIpResolver resolver = resolver();
        FormatSelector selector;
        try {
            selector = formats.selector(reading.format, reading.logFormat, reading.ipField);
        } catch (IllegalArgumentException e) {
            throw new UsageProblem("--format: " + e.getMessage());
        }
        List<LogInput> inputs;
        try {
            inputs = LogInput.expand(paths);
        } catch (LogInputException e) {
            throw new UsageProblem(e.getMessage());
        }
        if (out != null && out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new UsageProblem("--out: no such directory: " + out.getParent());
        }
        if (noRules && !rules.isEmpty()) {
            throw new UsageProblem("--rules and --no-rules contradict each other");
        }
        Detector detector;
        try {
            detector = noRules ? null : Detector.load(rules);
        } catch (InvalidRuleException e) {
            throw new UsageProblem(e.getMessage());
        }
        ReputationIndex index = openIntel();

        ThreatScan scan = new ThreatScan(index, detector, ThreatScan.DEFAULT_MAX_TRACKED_IPS);
        LogReader reader = new LogReader(options).withStdin(stdin);
        Progress progress = System.console() != null ? new Progress(err) : null;
        if (progress != null) {
            reader = reader.withProgress(progress);
        }
        ScanSummary summary;
        try {
            summary = reader.read(inputs, selector, resolver, scan::newSink);
        } catch (IOException e) {
            throw new UsageProblem("read failed: " + e.getMessage());
        } finally {
            if (progress != null) {
                progress.clear();
            }
        }
        ScanReport report = scan.report(summary);
        boolean failed = fail != null && report.anyAtLeast(fail);
        if (min != null) {
            report = report.atLeast(min);
        }
        writeReport(report);
        return diagnostics(err, summary, report, failed);
    }

    private int diagnostics(PrintWriter err, ScanSummary summary, ScanReport report, boolean failed) {
        boolean problems = false;
        for (FileSummary f : summary.fileSummaries()) {
            if (f.problem() != null) {
                err.println("threatip scan: " + f.file() + ": " + f.problem());
                problems = true;
            } else if (output == Output.table || f.unparsed() > 0) {
                err.printf("%s: %s (%s): %d lines, %d parsed, %d unparsed%n", f.file(), f.format(), f.formatReason(),
                        f.lines(), f.parsed(), f.unparsed());
            }
        }
        if (!summary.badLines().isEmpty()) {
            err.printf("%d unparsed line%s; the first:%n", summary.unparsed(), summary.unparsed() == 1 ? "" : "s");
            for (BadLine b : summary.badLines()) {
                err.println("  " + b);
            }
        }
        for (String note : report.notes()) {
            err.println("note: " + note);
        }
        err.flush();
        return problems ? EXIT_INPUT : failed ? EXIT_FAIL_ON : 0;
    }

    private void writeReport(ScanReport report) throws UsageProblem {
        try {
            if (out == null) {
                PrintWriter w = spec.commandLine().getOut();
                render(report, w);
                w.flush();
            } else {
                try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8))) {
                    render(report, w);
                }
            }
        } catch (IOException e) {
            throw new UsageProblem("cannot write report" + (out == null ? "" : " to " + out) + ": " + e.getMessage());
        }
    }

    private void render(ScanReport report, Writer w) throws IOException {
        switch (output) {
            case json -> ScanReportJson.write(report, w);
            case ndjson -> ScanReportJson.writeNdjson(report, w);
            case csv -> ScanReportCsv.write(report, w);
            case table -> ScanReportTable.write(report, w);
        }
    }

    private static ThreatLevel level(String option, String value) throws UsageProblem {
        if (value == null) {
            return null;
        }
        try {
            return ThreatLevel.fromWire(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(option + ": " + e.getMessage());
        }
    }

    private ClientIpResolver resolver() throws UsageProblem {
        try {
            return reading.resolver();
        } catch (IllegalArgumentException e) {
            throw new UsageProblem(e.getMessage());
        }
    }

    private ReputationIndex openIntel() throws UsageProblem {
        if (intel.intel != null) {
            if (!Files.exists(intel.intel)) {
                throw new UsageProblem("no such file: " + intel.intel);
            }
            try {
                return ReputationIndex.open(intel.intel);
            } catch (IOException | RuntimeException e) {
                throw new UsageProblem(intel.intel + ": " + e.getMessage());
            }
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("threatip-scan");
            FeedSource source = new FeedSource(work.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
            List<ResolvedFeed> feeds = new ArrayList<>();
            for (String s : intel.feeds) {
                try {
                    feeds.addAll(source.resolve(FeedSpec.parse(s)));
                } catch (RuntimeException e) {
                    throw new UsageProblem("--feed " + s + ": " + e.getMessage());
                }
            }
            Path snapshot = work.resolve("intel.tis");
            new FeedCompiler(FeedCompiler.Options.defaults()).compile(feeds, snapshot);
            return ReputationIndex.open(snapshot);
        } catch (IOException | RuntimeException e) {
            throw new UsageProblem("--feed: " + e.getMessage());
        } finally {
            deleteLater(work);
        }
    }

    /** The snapshot stays mapped for the scan; its directory goes when the JVM exits. */
    private static void deleteLater(Path work) {
        if (work == null) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }));
    }

    /** The progress line on a terminal: {@code \r}-updated, shown after the first second. */
    private static final class Progress implements LogReader.Progress {
        private final PrintWriter err;
        private final long started = System.nanoTime();
        private boolean shown;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void update(long done, long total) {
            if (System.nanoTime() - started < 1_000_000_000L) {
                return;
            }
            String line = total > 0
                    ? String.format("scanning: %3d%% %,d of %,d MB", Math.min(100, done * 100 / total), done >> 20, total >> 20)
                    : String.format("scanning: %,d MB", done >> 20);
            err.print("\r" + line);
            err.flush();
            shown = true;
        }

        void clear() {
            if (shown) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
