package dev.threatip.bench;

import dev.threatip.intel.ReputationIndex;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark of {@code threatip gate} (issue 7): wrk against the origin directly, through nginx
 * ({@code proxy_pass} with an upstream keep-alive pool and a {@code geo} deny map as large as the
 * snapshot's IPv4 entries) and through {@code threatip gate} (that snapshot, the default policy),
 * side by side in one run on loopback, each pinned with {@code taskset}; printed as one Markdown
 * table with requests/s, the gate ÷ nginx ratio, p50/p99 and the p99 each proxy adds over direct,
 * and CPU per request. With {@code --soak SECONDS}: wrk at a fixed moderate rate through gate alone
 * while its RSS and heap after GC are sampled ({@link GateSoak}).
 *
 * <pre>
 * threatip-bench/gate-bench.sh             # prepares the feed and the snapshot, builds, runs this
 * threatip-bench/gate-bench.sh --soak 600
 * java -cp threatip-bench/target/benchmarks.jar dev.threatip.bench.GateBenchRunner \
 *     --gate-jar threatip-app/target/threatip.jar --intel intel.tis --feed feed.txt --work DIR
 *     [--seconds 10] [--warmup 3] [--gate-warmup 20] [--connections 50] [--runs 1]
 *     [--wrk-cpus 0] [--origin-cpus 0] [--proxy-cpus 1] [--workers N] [--paced-rate 2000]
 *     [--gate-java-opts "-XX:+UseParallelGC -Xms256m -Xmx256m"] [--soak 600 --soak-rate 2000]
 * </pre>
 * Every answer is checked, not only timed: before the timed runs each mixed client is asked once
 * through both proxies (listed → 403, clean → 200), and every run reports its socket errors and
 * its share of answers ≥ 400 against the listed share of its clients.
 */
public final class GateBenchRunner {
    static final String TRUSTED_PEER = "127.0.0.1";
    /** Seed of the client samples and their order: every run asks the same addresses in the same order. */
    static final long SEED = 7;

    private GateBenchRunner() {
    }

    /** The runner's settings (command-line options, defaults as documented in the README). */
    record Options(Path gateJar, Path intel, Path feed, Path work, int seconds, int warmup, int gateWarmup,
                   int connections, int runs, String wrkCpus, String originCpus, String proxyCpus, int workers,
                   String nginx, String wrk, List<String> gateJava, int listed, int clean, int pacedRate,
                   int pacedConnections, int soakSeconds, int soakRate, int soakConnections, int sampleEvery) {

        static Options parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs; got '" + args[i] + "'");
                }
                o.put(args[i].substring(2), args[++i]);
            }
            String proxyCpus = o.getOrDefault("proxy-cpus", "1");
            Options r = new Options(Path.of(require(o, "gate-jar")), Path.of(require(o, "intel")), Path.of(require(o, "feed")),
                    Path.of(require(o, "work")), num(o, "seconds", 10, 1, 3600), num(o, "warmup", 3, 0, 600),
                    num(o, "gate-warmup", 20, 0, 600), num(o, "connections", 50, 1, 10_000), num(o, "runs", 1, 1, 20),
                    o.getOrDefault("wrk-cpus", "0"), o.getOrDefault("origin-cpus", "0"), proxyCpus,
                    num(o, "workers", cpuCount(proxyCpus), 1, 256), o.getOrDefault("nginx", "nginx"), o.getOrDefault("wrk", "wrk"),
                    Arrays.stream(o.getOrDefault("gate-java-opts", "-XX:+UseParallelGC -Xms256m -Xmx256m").split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList(),
                    num(o, "listed", 100, 1, 100_000), num(o, "clean", 900, 1, 100_000), num(o, "paced-rate", 2000, 10, 1_000_000),
                    num(o, "paced-connections", 10, 1, 10_000), num(o, "soak", 0, 0, 86_400), num(o, "soak-rate", 2000, 10, 1_000_000),
                    num(o, "soak-connections", 16, 1, 10_000), num(o, "sample-every", 10, 1, 3600));
            Set<String> known = Set.of("gate-jar", "intel", "feed", "work", "seconds", "warmup", "gate-warmup", "connections",
                    "runs", "wrk-cpus", "origin-cpus", "proxy-cpus", "workers", "nginx", "wrk", "gate-java-opts", "listed", "clean",
                    "paced-rate", "paced-connections", "soak", "soak-rate", "soak-connections", "sample-every");
            for (String k : o.keySet()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k + "; known: --" + String.join(", --", known.stream().sorted().toList()));
                }
            }
            return r;
        }

        /** wrk threads: one per CPU it is pinned to. */
        int wrkThreads() {
            return cpuCount(wrkCpus);
        }

        /** The per-connection pause that makes {@code connections} connections ask about {@code rate} requests/s. */
        static int delayMs(int connections, int rate) {
            return Math.max(1, Math.round(connections * 1000f / rate));
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gate-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(o.work());
        DenyList deny;
        deny = DenyList.build(o.feed(), ReputationIndex.open(o.intel()), o.listed(), o.clean(), SEED);
        log(String.format(Locale.ROOT, "deny map: %,d IPv4 networks from %s; the snapshot holds %,d IPv4 entries; %,d feed lines unparsed",
                deny.networks().size(), o.feed(), deny.snapshotEntries(), deny.unparsed()));
        if (o.soakSeconds() > 0) {
            GateSoak.run(o, deny);
        } else {
            bench(o, deny);
        }
    }

    /** One measured wrk run of one scenario against one target. */
    record Run(String scenario, String target, Wrk.Result wrk, double proxyCpuSeconds, double originCpuSeconds,
               double expectedStatusShare, String load) {
        /** Microseconds of the proxy's CPU per request. */
        double proxyMicrosPerRequest() {
            return proxyCpuSeconds / wrk.requests() * 1e6;
        }
    }

    private record Target(String name, String url, PinnedProcess proxy) {
    }

    private record Scenario(String name, Path script, Wrk wrk, double listedShare, boolean paced) {
    }

    private static void bench(Options o, DenyList deny) throws Exception {
        Path work = o.work();
        int originPort = freePort();
        int nginxPort = freePort();
        int gatePort = freePort();
        Path originConf = NginxConf.writeOrigin(work.resolve("origin"), originPort, o.workers());
        Path proxyConf = NginxConf.writeProxy(work.resolve("nginx-proxy"), nginxPort, originPort, o.workers(), deny.networks(),
                TRUSTED_PEER);
        NginxConf.check(o.nginx(), originConf);
        NginxConf.check(o.nginx(), proxyConf);

        List<String> mixed = deny.mixedClients(SEED);
        double listedShare = (double) deny.listed().size() / mixed.size();
        Wrk wrk = new Wrk(o.wrk(), o.wrkCpus(), o.wrkThreads(), o.connections());
        Wrk paced = new Wrk(o.wrk(), o.wrkCpus(), o.wrkThreads(), Math.max(o.pacedConnections(), o.wrkThreads()));
        int delay = Options.delayMs(paced.connections(), o.pacedRate());
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        List<Scenario> scenarios = List.of(
                new Scenario("clean, small body", new WrkScript("/", List.of(), 0, false).write(scripts.resolve("clean.lua")), wrk, 0, false),
                new Scenario("clean, 10 KiB body", new WrkScript(NginxConf.LARGE_PATH, List.of(), 0, false)
                        .write(scripts.resolve("clean-10k.lua")), wrk, 0, false),
                new Scenario(String.format(Locale.ROOT, "X-Forwarded-For, %d clients, %.0f%% listed", mixed.size(), 100 * listedShare),
                        new WrkScript("/", mixed, 0, false).write(scripts.resolve("xff-mix.lua")), wrk, listedShare, false),
                new Scenario(String.format(Locale.ROOT, "paced ~%,d req/s, clean, small body", o.pacedRate()),
                        new WrkScript("/", List.of(), delay, false).write(scripts.resolve("paced.lua")), paced, 0, true));

        String loadBefore = load();
        Path hitLog = work.resolve("gate-hits.log");
        Files.deleteIfExists(hitLog);
        List<Run> runs = new ArrayList<>();
        LookupCheck nginxCheck;
        LookupCheck gateCheck;
        List<String> gateThreads;
        try (PinnedProcess origin = PinnedProcess.start("origin nginx", o.originCpus(), NginxConf.command(o.nginx(), originConf),
                work.resolve("origin.log"), originPort, 30);
             PinnedProcess nginx = PinnedProcess.start("nginx proxy", o.proxyCpus(), NginxConf.command(o.nginx(), proxyConf),
                     work.resolve("nginx-proxy.log"), nginxPort, 120);
             PinnedProcess gate = startGate(o, gatePort, originPort, hitLog)) {
            log("origin on CPU " + o.originCpus() + " (pid " + origin.pid() + "), nginx proxy and gate on CPU " + o.proxyCpus()
                    + " (pids " + nginx.pid() + ", " + gate.pid() + "), " + wrk);
            List<Target> targets = List.of(new Target("direct (origin)", "http://127.0.0.1:" + originPort, null),
                    new Target("nginx", "http://127.0.0.1:" + nginxPort, nginx),
                    new Target("gate", "http://127.0.0.1:" + gatePort, gate));
            nginxCheck = LookupCheck.run("http://127.0.0.1:" + nginxPort + "/", deny);
            gateCheck = LookupCheck.run("http://127.0.0.1:" + gatePort + "/", deny);
            log("lookup check: nginx " + nginxCheck + "; gate " + gateCheck);
            if (o.gateWarmup() > 0) {
                log("warming gate up (JIT): " + o.gateWarmup() + " s of each scenario's requests");
                for (Scenario s : scenarios) {
                    if (!s.paced()) {
                        s.wrk().run(s.script(), Math.max(1, o.gateWarmup() / 3), targets.get(2).url(), work.resolve("wrk-warmup.txt"));
                    }
                }
            }
            for (Scenario s : scenarios) {
                for (Target t : targets) {
                    runs.add(measure(o, s, t, origin, work));
                }
            }
            gateThreads = gate.threadNames();
        }
        long hitLines = 0;
        if (Files.exists(hitLog)) {
            try (var lines = Files.lines(hitLog)) {
                hitLines = lines.count();
            }
        }
        print(o, deny, scenarios, runs, nginxCheck, gateCheck, gateThreads, hitLines, loadBefore, load());
    }

    private static Run measure(Options o, Scenario s, Target t, PinnedProcess origin, Path work) throws Exception {
        String file = (s.script().getFileName().toString().replace(".lua", "") + "-" + t.name().split(" ")[0]);
        if (o.warmup() > 0) {
            s.wrk().run(s.script(), o.warmup(), t.url(), work.resolve("wrk-warmup.txt"));
        }
        Run best = null;
        for (int i = 0; i < o.runs(); i++) {
            double proxy0 = t.proxy() == null ? 0 : t.proxy().cpuSeconds();
            double origin0 = origin.cpuSeconds();
            Wrk.Result r = s.wrk().run(s.script(), o.seconds(), t.url(), work.resolve("wrk-" + file + "-" + (i + 1) + ".txt"));
            double proxyCpu = t.proxy() == null ? 0 : t.proxy().cpuSeconds() - proxy0;
            double originCpu = origin.cpuSeconds() - origin0;
            boolean proxied = t.proxy() != null;
            Run run = new Run(s.name(), t.name(), r, proxyCpu, originCpu, proxied ? s.listedShare() : 0, load());
            log(String.format(Locale.ROOT, "%s via %s: %,.0f req/s, p50 %.2f ms, p99 %.2f ms, proxy CPU %.1f s, %,d socket errors, "
                            + "%,d answers >= 400 (%s)", s.name(), t.name(), r.requestsPerSecond(), r.p50() / 1e3, r.p99() / 1e3, proxyCpu,
                    r.socketErrors(), r.statusErrors(), run.load()));
            if (best == null || r.requestsPerSecond() > best.wrk().requestsPerSecond()) {
                best = run;
            }
        }
        return best;
    }

    static PinnedProcess startGate(Options o, int port, int originPort, Path hitLog) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(o.gateJava());
        cmd.add("-XX:ActiveProcessorCount=" + o.workers()); // event loops = workers, as nginx's worker_processes
        cmd.addAll(List.of("-jar", o.gateJar().toString(), "gate", "--listen", "127.0.0.1:" + port,
                "--upstream", "http://127.0.0.1:" + originPort, "--intel", o.intel().toString(),
                "--trusted-proxy", TRUSTED_PEER, "--hit-log", hitLog.toString()));
        return PinnedProcess.start("threatip gate", o.proxyCpus(), cmd, o.work().resolve("gate.log"), port, 120);
    }

    /** What each mixed client got through one proxy, asked once (before the timed runs). */
    record LookupCheck(int listedBlocked, int listed, int cleanPassed, int clean, List<String> mismatches) {
        static LookupCheck run(String url, DenyList deny) throws IOException, InterruptedException {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            int blocked = 0;
            int passed = 0;
            List<String> bad = new ArrayList<>();
            Set<String> listed = new HashSet<>(deny.listed());
            for (String c : deny.mixedClients(SEED)) {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", c)
                        .timeout(Duration.ofSeconds(10)).GET().build();
                int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                boolean isListed = listed.contains(c);
                if (isListed && status == 403) {
                    blocked++;
                } else if (!isListed && status == 200) {
                    passed++;
                } else if (bad.size() < 5) {
                    bad.add(c + (isListed ? " (listed)" : " (clean)") + " -> " + status);
                }
            }
            return new LookupCheck(blocked, deny.listed().size(), passed, deny.clean().size(), bad);
        }

        boolean ok() {
            return listedBlocked == listed && cleanPassed == clean;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d/%d listed -> 403, %d/%d clean -> 200%s", listedBlocked, listed, cleanPassed, clean,
                    mismatches.isEmpty() ? "" : "; first mismatches: " + String.join(", ", mismatches));
        }
    }

    private static void print(Options o, DenyList deny, List<Scenario> scenarios, List<Run> runs, LookupCheck nginxCheck,
                              LookupCheck gateCheck, List<String> gateThreads, long hitLines, String loadBefore, String loadAfter) {
        StringBuilder s = new StringBuilder();
        long loops = gateThreads.stream().filter(n -> n.startsWith("nioEventLoopGro") || n.startsWith("epollEventLoopG")).count();
        s.append(String.format(Locale.ROOT, "%n## gate benchmark: %s, %d s per run (best of %d, after %d s warm-up), loopback, %d cores%n%n",
                "wrk -t" + o.wrkThreads() + " -c" + o.connections() + " --latency", o.seconds(), o.runs(), o.warmup(),
                Runtime.getRuntime().availableProcessors()));
        s.append(String.format(Locale.ROOT, "- pinning: wrk and the origin on CPU %s, the proxy under test on CPU %s (nginx and gate each "
                        + "idle while the other is measured)%n", o.wrkCpus().equals(o.originCpus()) ? o.wrkCpus() : o.wrkCpus() + " / " + o.originCpus(),
                o.proxyCpus()));
        s.append(String.format(Locale.ROOT, "- workers: nginx `worker_processes %d` (origin and proxy); gate %d event loop(s) + 1 acceptor "
                + "(`-XX:ActiveProcessorCount=%d`, %s), %d threads in all%n", o.workers(), Math.max(0, loops - 1), o.workers(),
                String.join(" ", o.gateJava()), gateThreads.size()));
        s.append(String.format(Locale.ROOT, "- deny map: nginx `geo` with %,d IPv4 networks; gate's snapshot %,d IPv4 entries (%s)%n",
                deny.networks().size(), deny.snapshotEntries(), o.intel().getFileName()));
        s.append(String.format(Locale.ROOT, "- lookup check (each mixed client once): nginx %s; gate %s%n", nginxCheck, gateCheck));
        s.append("- load before: ").append(loadBefore).append("; after: ").append(loadAfter).append("\n\n");
        s.append("| scenario | target | req/s | gate ÷ nginx | p50 ms | p99 ms | p99 over direct | proxy CPU | proxy µs CPU/req | origin CPU | answers ≥ 400 | socket errors | load 1m / cpu some10 |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<String> verdicts = new ArrayList<>();
        for (Scenario sc : scenarios) {
            Run direct = find(runs, sc.name(), "direct");
            Run nginx = find(runs, sc.name(), "nginx");
            Run gate = find(runs, sc.name(), "gate");
            for (Run r : List.of(direct, nginx, gate)) {
                boolean proxied = !r.target().startsWith("direct");
                String ratio = r == gate ? String.format(Locale.ROOT, "**%.2f**", gate.wrk().requestsPerSecond() / nginx.wrk().requestsPerSecond()) : "";
                String added = proxied ? String.format(Locale.ROOT, "%+.2f ms", (r.wrk().p99() - direct.wrk().p99()) / 1e3) : "";
                s.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %s | %.2f | %.2f | %s | %s | %s | %.0f%% | %s | %d | %s |%n",
                        sc.name(), r.target(), r.wrk().requestsPerSecond(), ratio, r.wrk().p50() / 1e3, r.wrk().p99() / 1e3, added,
                        proxied ? String.format(Locale.ROOT, "%.0f%%", 100 * r.proxyCpuSeconds() / r.wrk().seconds()) : "",
                        proxied ? String.format(Locale.ROOT, "%.1f", r.proxyMicrosPerRequest()) : "",
                        100 * r.originCpuSeconds() / r.wrk().seconds(),
                        String.format(Locale.ROOT, "%.1f%% (expected %.1f%%)", 100 * r.wrk().statusErrorShare(), 100 * r.expectedStatusShare()),
                        r.wrk().socketErrors(), r.load()));
            }
            double ratio = gate.wrk().requestsPerSecond() / nginx.wrk().requestsPerSecond();
            double cpuRatio = nginx.proxyMicrosPerRequest() / gate.proxyMicrosPerRequest();
            double gateAdded = (gate.wrk().p99() - direct.wrk().p99()) / 1e3;
            double nginxAdded = (nginx.wrk().p99() - direct.wrk().p99()) / 1e3;
            if (sc.paced()) {
                verdicts.add(String.format(Locale.ROOT, "- %s: added p99 over direct gate %+.2f ms, nginx %+.2f ms (target <= 1 ms: %s)",
                        sc.name(), gateAdded, nginxAdded, gateAdded <= 1.0 ? "met" : "**missed**"));
            } else {
                verdicts.add(String.format(Locale.ROOT, "- %s: gate ÷ nginx %.3f in requests/s (target >= 0.8: %s), %.3f in requests per "
                                + "proxy CPU second; added p99 at saturation gate %+.2f ms, nginx %+.2f ms", sc.name(), ratio,
                        ratio >= 0.8 ? "met" : "**missed**", cpuRatio, gateAdded, nginxAdded));
            }
        }
        s.append("\n").append(String.join("\n", verdicts)).append("\n");
        for (Run r : runs) {
            double share = r.wrk().statusErrorShare();
            if (r.wrk().socketErrors() > 0 || Math.abs(share - r.expectedStatusShare()) > 0.02) {
                s.append(String.format(Locale.ROOT, "CHECK %s via %s: %,d socket errors, %.1f%% answers >= 400 where %.1f%% are expected (%s)%n",
                        r.scenario(), r.target(), r.wrk().socketErrors(), 100 * share, 100 * r.expectedStatusShare(), r.wrk().output()));
            }
        }
        if (!nginxCheck.ok() || !gateCheck.ok()) {
            s.append("CHECK lookup: a proxy did not answer 403 to every listed client and 200 to every clean one (see above)\n");
        }
        s.append(String.format(Locale.ROOT, "%ngate hit log: %,d lines (one per blocked request; written by a background thread, a full queue "
                + "drops and counts)%n", hitLines));
        System.out.print(s);
        System.out.flush();
    }

    private static Run find(List<Run> runs, String scenario, String targetPrefix) {
        for (Run r : runs) {
            if (r.scenario().equals(scenario) && r.target().startsWith(targetPrefix)) {
                return r;
            }
        }
        throw new IllegalStateException("no run of " + scenario + " via " + targetPrefix);
    }

    /** The 1-minute load average and the CPU pressure (share of time some task waited for a CPU, last 10 s). */
    static String load() {
        String l;
        try {
            l = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            l = "?";
        }
        String p = "?";
        try {
            String some = Files.readAllLines(Path.of("/proc/pressure/cpu")).get(0);
            int i = some.indexOf("avg10=");
            p = some.substring(i + 6, some.indexOf(' ', i)) + "%";
        } catch (IOException | RuntimeException e) {
            // no PSI in this kernel
        }
        return l + " / " + p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            try {
                n += dash < 0 ? 1 : Integer.parseInt(p.substring(dash + 1)) - Integer.parseInt(p.substring(0, dash)) + 1;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CPU list '" + list + "' is not like 0 or 0-1 or 0,2", e);
            }
        }
        if (n < 1) {
            throw new IllegalArgumentException("CPU list '" + list + "' names no CPU");
        }
        return n;
    }

    private static int num(Map<String, String> o, String name, int dflt, int min, int max) {
        String v = o.get(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " '" + v + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("--" + name + " " + n + " is out of range " + min + "-" + max);
        }
        return n;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    static void log(String message) {
        System.err.println("[gate-bench " + Instant.now().toString().substring(11, 19) + "] " + message);
    }
}
