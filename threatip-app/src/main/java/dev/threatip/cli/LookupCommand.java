package dev.threatip.cli;

import dev.threatip.geo.GeoLookup;
import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.net.AddressClass;
import dev.threatip.net.IpAddress;
import dev.threatip.report.VerdictJson;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code threatip lookup}: one JSON object per IP (NDJSON, DESIGN.md §4) with its verdict and
 * the listings behind it. Every argument is validated before anything is printed, so a typo
 * never leaves half an answer in a pipeline.
 */
@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = "Look IPs up in the intel snapshot; prints one JSON object per IP.")
final class LookupCommand implements Callable<Integer> {
    @CommandLine.Mixin
    IntelOption intel;

    @Option(names = "--feed", paramLabel = "SPEC",
            description = "Compile these feeds into a temporary snapshot and look up in it instead of --intel.")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--include-special", split = ",", paramLabel = "CLASS",
            description = "With --feed: let these special-purpose classes from the feeds in (e.g. private, documentation).")
    List<String> includeSpecial = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Download cache for URL feeds given with --feed.")
    Path cacheDir;

    @Option(names = "--geo", split = ",", paramLabel = "MMDB",
            description = "City/country MaxMind DB files or directories of them (comma-separated); adds 'geo'.")
    List<Path> geo = new ArrayList<>();

    @Option(names = "--asn", split = ",", paramLabel = "MMDB|CSV",
            description = "ASN MaxMind DB or ip-location-db CSV(.gz) files or directories (comma-separated); adds 'asn'.")
    List<Path> asn = new ArrayList<>();

    @Parameters(paramLabel = "IP", arity = "1..*", description = "IPv4 or IPv6 addresses.")
    List<String> ips = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (GeoLookup g = geo.isEmpty() && asn.isEmpty() ? null : GeoLookup.open(geo, asn)) {
            return lookup(g);
        }
    }

    private Integer lookup(GeoLookup g) throws Exception {
        if (!feeds.isEmpty() && intel.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --intel or --feed, not both");
        }
        List<IpAddress> addresses = new ArrayList<>(ips.size());
        for (String ip : ips) {
            addresses.add(IpAddress.parse(ip.strip()));
        }
        if (feeds.isEmpty()) {
            print(ReputationIndex.open(intel.path()), addresses, g);
            return Main.EXIT_OK;
        }
        Path dir = Files.createTempDirectory("threatip-lookup");
        Path snapshot = dir.resolve("intel.tis");
        try {
            Set<AddressClass> special = EnumSet.noneOf(AddressClass.class);
            for (String c : includeSpecial) {
                special.add(AddressClass.fromWire(c.strip()));
            }
            FeedCompiler.Result r = IntelBuild.compile(IntelBuild.specs(feeds, List.of()), special,
                    cacheDir != null ? cacheDir : IntelBuild.defaultCacheDir(), snapshot);
            if (!IntelBuild.wrote(r)) {
                IntelBuild.printSummary(r, snapshot, spec.commandLine().getErr());
                throw new InputException("no feed could be compiled (every feed was refused; see above)");
            }
            print(ReputationIndex.open(snapshot), addresses, g);
        } finally {
            Files.deleteIfExists(snapshot);
            Files.deleteIfExists(dir);
        }
        return Main.EXIT_OK;
    }

    private void print(ReputationIndex index, List<IpAddress> addresses, GeoLookup g) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean stale = index.isStale();
        for (IpAddress a : addresses) {
            out.println(VerdictJson.MAPPER.writeValueAsString(VerdictJson.lookup(index.explain(a), stale, g)));
        }
        out.flush();
    }
}
