package dev.threatip.cli;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSpec;
import dev.threatip.net.AddressClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip feeds compile}: reads the feeds, prints per feed what it held and what it
 * left out, and writes the snapshot. Refused feeds are reported, not fatal; no usable feed at
 * all is (exit 2), and then an existing snapshot is left untouched.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile threat feeds into one intel snapshot.")
final class FeedsCompileCommand implements Callable<Integer> {
    @Option(names = "--feed", paramLabel = "SPEC",
            description = "PATH_OR_URL[,name=N][,format=F][,category=C][,confidence=L][,ttl=D]; a folder is one feed per file.")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--allowlist", paramLabel = "FILE",
            description = "A list of known-good addresses or networks: suppresses verdicts on them.")
    List<Path> allowlists = new ArrayList<>();

    @Option(names = "--include-special", split = ",", paramLabel = "CLASS",
            description = "Let special-purpose space from feeds into the snapshot: private, loopback, link-local, "
                    + "multicast, shared, benchmarking, documentation, reserved, unspecified.")
    List<String> includeSpecial = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where downloaded feeds are cached (default: $XDG_CACHE_HOME/threatip/feeds or ~/.cache/threatip/feeds).")
    Path cacheDir;

    @Option(names = "--config", paramLabel = "FILE", description = "threatip.yaml: its feeds section (specs, allow_special).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The snapshot to write, e.g. intel.tis.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> specs = new ArrayList<>();
        Set<AddressClass> special = EnumSet.noneOf(AddressClass.class);
        if (config != null) {
            FeedsConfig c = FeedsConfig.load(config);
            specs.addAll(c.specs());
            special.addAll(c.allowSpecial());
        }
        specs.addAll(feeds);
        for (String s : includeSpecial) {
            special.add(AddressClass.fromWire(s.strip()));
        }
        List<FeedSpec> parsed = IntelBuild.specs(specs, allowlists);
        FeedCompiler.Result r = IntelBuild.compile(parsed, special,
                cacheDir != null ? cacheDir : IntelBuild.defaultCacheDir(), out);
        IntelBuild.printSummary(r, out, spec.commandLine().getErr());
        if (!IntelBuild.wrote(r)) {
            throw new InputException("no feed could be compiled (every feed was refused; see above); "
                    + out + " was not written");
        }
        return Main.EXIT_OK;
    }
}
