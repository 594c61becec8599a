package dev.threatip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.threatip.intel.FeedReport;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.SnapshotManifest;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code threatip feeds status}: what a snapshot holds, feed by feed, and what was left out and why. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the feeds of an intel snapshot: counts, dates, problems, what was left out.")
final class FeedsStatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @CommandLine.Mixin
    IntelOption intel;

    @Option(names = "--json", description = "Print the snapshot's manifest as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ReputationIndex index = ReputationIndex.open(intel.path());
        PrintWriter out = spec.commandLine().getOut();
        SnapshotManifest m = index.manifest();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(m));
            out.flush();
            return Main.EXIT_OK;
        }
        Instant compiled = index.compiledAt();
        Duration age = Duration.between(compiled, Instant.now());
        out.printf(Locale.ROOT, "snapshot %s: format %d, compiled %s UTC (%s ago)%s%n", index.path(), m.formatVersion(),
                DAY_TIME.format(compiled), age(age), index.isStale() ? " - STALE: recompile with 'threatip feeds compile'" : "");
        out.printf(Locale.ROOT, "%d single IPv4 addresses, %d IPv4 ranges, %d IPv6 ranges, %d listing sets; "
                        + "special-purpose space allowed: %s%n%n", m.ipv4Addresses(), m.ipv4Ranges(), m.ipv6Ranges(),
                m.listingSets(), m.allowedSpecial().isEmpty() ? "none" : String.join(", ", m.allowedSpecial()));
        TextTable t = new TextTable("feed", "format", "role", "categories", "rel#", "entries#", "addresses#",
                "networks#", "bad#", "excluded#", "published", "fetched", "origin", "status", "source");
        for (FeedReport f : m.feeds()) {
            t.row(f.name(), f.format(), f.role(), IntelBuild.categories(f), String.format(Locale.ROOT, "%.2f", f.reliability()),
                    f.entries(), f.addresses(), f.networks(), f.badLines(), f.excluded(), date(f.published()),
                    date(f.fetchedAt()), f.origin(), f.refused() ? "REFUSED" : f.problem() != null ? "PROBLEM" : "ok",
                    f.source());
        }
        t.print(out);
        boolean problems = false;
        for (FeedReport f : m.feeds()) {
            if (f.refused() || f.problem() != null) {
                if (!problems) {
                    out.println();
                    out.println("problems:");
                    problems = true;
                }
                out.println("  " + f.name() + ": " + (f.refused() ? "refused: " + f.refusedWhy() : f.problem()));
            }
        }
        IntelBuild.printSamples(m.feeds(), out);
        out.flush();
        return Main.EXIT_OK;
    }

    private static String date(Instant i) {
        return i == null ? "-" : DAY_TIME.format(i);
    }

    private static String age(Duration d) {
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        return d.toHours() > 0 ? d.toHours() + "h " + d.toMinutesPart() + "m" : Math.max(0, d.toMinutes()) + "m";
    }
}
