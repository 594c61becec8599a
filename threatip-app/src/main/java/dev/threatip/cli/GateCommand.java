package dev.threatip.cli;

import dev.threatip.gateway.DecisionStream;
import dev.threatip.gateway.Gateway;
import dev.threatip.gateway.GatewaySettings;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.net.Cidr;
import dev.threatip.policy.EnforcementMode;
import dev.threatip.policy.InvalidPolicyException;
import dev.threatip.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip gate} (DESIGN.md §4): the reverse proxy that enforces the client-reputation
 * policy in front of a site. Listens on 127.0.0.1 unless told otherwise; reloads the policy and the
 * snapshot when their files change (a bad new policy is reported and the old one kept); runs until
 * Ctrl-C / SIGTERM. A bad policy at start exits 2 naming file, line and key.
 */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reverse proxy that blocks, challenges or monitors requests by client reputation.")
final class GateCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "threatip.yaml: its policy section (when --policy is not given).")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", required = true,
            description = "Where to listen, e.g. 127.0.0.1:8000 (a bare port binds 127.0.0.1).")
    String listen;

    @Option(names = "--upstream", paramLabel = "URL", required = true, description = "The origin, http://HOST:PORT.")
    URI upstream;

    @Option(names = "--intel", paramLabel = "FILE", description = "The intel snapshot (default: $THREATIP_INTEL, else ./intel.tis when it exists; none: every client is clean).")
    Path intel;

    @Option(names = "--policy", paramLabel = "FILE", description = "The policy file (default: the config's policy section, else the built-in policy).")
    Path policyFile;

    @Option(names = "--monitor", description = "Rollout mode: decide, log and tag every request, but let all of them "
            + "through (overrides the policy's mode, reloads included).")
    boolean monitor;

    @Option(names = "--decisions", paramLabel = "URL", description = "Pull live decisions from serve (bouncer protocol), e.g. http://127.0.0.1:8080.")
    URI decisions;

    @Option(names = "--decisions-key", paramLabel = "KEY", description = "The bouncer API key (default: $THREATIP_BOUNCER_KEY).")
    String decisionsKey;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR", description = "Proxy whose X-Forwarded-For is believed (repeatable).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--hit-log", paramLabel = "FILE", defaultValue = "gate-hits.log",
            description = "JSON-lines log of every hit, for serve --watch (default ${DEFAULT-VALUE}).")
    Path hitLog;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Certificate chain: TLS and HTTP/2 towards clients.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The certificate's private key (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--secret-file", paramLabel = "FILE", description = "Challenge and cookie key (32+ bytes); default: random per start.")
    Path secretFile;

    @Option(names = "--reload-every", paramLabel = "DURATION", defaultValue = "2s",
            description = "How often the policy and snapshot files are checked for changes (default ${DEFAULT-VALUE}).")
    String reloadEvery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Counted down when the gateway listens; tests wait on it. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Counting it down stops the gateway (the shutdown hook does, on SIGINT/SIGTERM). */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile Gateway gateway;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        GatewaySettings settings = settings();
        Path policySource = policyFile != null ? policyFile : config;
        Policy policy = loadPolicy(policySource);
        Path snapshot = snapshot();
        LiveReputation reputation = snapshot == null ? null
                : LiveReputation.open(snapshot, ReputationIndex.OpenOptions.defaults());
        DecisionStream stream = null;
        if (decisions != null) {
            String key = decisionsKey != null ? decisionsKey : System.getenv("THREATIP_BOUNCER_KEY");
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("--decisions needs a bouncer key: --decisions-key or $THREATIP_BOUNCER_KEY");
            }
            stream = new DecisionStream(decisions, key, Duration.ofSeconds(10), Clock.systemUTC());
        }
        Duration every = dev.threatip.intel.DurationText.parse(reloadEvery);
        try (ShutdownHook hook = new ShutdownHook("threatip-gate-shutdown", stop);
             Gateway gw = Gateway.start(settings, reputation, policy, stream)) {
            gateway = gw;
            out.println("threatip gate: " + (settings.tls() ? "https" : "http") + "://" + hostPort(gw) + " -> " + settings.upstream());
            out.println("  policy:    " + policy.source() + " (" + modeLine(policy) + ")");
            out.println("  intel:     " + (snapshot == null ? "none (every client is clean)" : snapshot.toAbsolutePath()));
            out.println("  decisions: " + (decisions == null ? "none" : decisions));
            out.println("  hit log:   " + hitLog.toAbsolutePath());
            out.flush();
            started.countDown();
            FileTime policyTime = mtime(policySource);
            FileTime intelTime = mtime(snapshot);
            while (!stop.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                FileTime p = mtime(policySource);
                if (p != null && !p.equals(policyTime)) {
                    policyTime = p;
                    try {
                        Policy next = loadPolicy(policySource);
                        gw.swapPolicy(next);
                        err.println("threatip gate: policy reloaded from " + policySource + " (" + modeLine(next) + ")");
                    } catch (InvalidPolicyException | IOException e) {
                        err.println("threatip gate: keeping the previous policy: " + e.getMessage());
                    }
                    err.flush();
                }
                FileTime i = mtime(snapshot);
                if (reputation != null && i != null && !i.equals(intelTime)) {
                    intelTime = i;
                    LiveReputation.Refresh r = reputation.refresh(snapshot);
                    err.println("threatip gate: " + (r.succeeded() ? "snapshot reloaded" : "keeping the previous snapshot: " + r.problem()));
                    err.flush();
                }
            }
            out.println("stopping: closing connections and the hit log");
            out.flush();
        }
        return Main.EXIT_OK;
    }

    private Policy loadPolicy(Path source) throws IOException {
        Policy p;
        if (policyFile != null) {
            p = Policy.load(policyFile);
        } else {
            p = config != null ? Policy.loadSection(config, "policy") : Policy.defaults();
        }
        return monitor ? p.withMode(EnforcementMode.MONITOR) : p;
    }

    private String modeLine(Policy p) {
        if (p.mode() == EnforcementMode.ENFORCE) {
            return "mode: enforce";
        }
        return "mode: monitor" + (monitor ? " (--monitor)" : "")
                + " - blocks and challenges are logged with enforced=false, every request passes";
    }

    private Path snapshot() {
        if (intel != null) {
            return intel;
        }
        String env = System.getenv("THREATIP_INTEL");
        Path p = Path.of(env != null && !env.isBlank() ? env : "intel.tis");
        return env != null && !env.isBlank() || Files.exists(p) ? p : null;
    }

    GatewaySettings settings() throws IOException {
        String host = "127.0.0.1";
        String portText = listen.strip();
        int colon = portText.lastIndexOf(':');
        if (colon >= 0) {
            host = portText.substring(0, colon);
            portText = portText.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty()) {
                host = "127.0.0.1";
            }
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: '" + listen + "' is not HOST:PORT");
        }
        List<Cidr> proxies = new ArrayList<>();
        for (String t : trustedProxies) {
            try {
                proxies.add(Cidr.parse(t.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
            }
        }
        GatewaySettings s;
        try {
            s = GatewaySettings.of(port, upstream).withBindHost(host).withTrustedProxies(proxies).withHitLog(hitLog);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--listen/--upstream: " + e.getMessage(), e);
        }
        if (tlsCert != null || tlsKey != null) {
            if (tlsCert == null || tlsKey == null) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            s = s.withTls(tlsCert, tlsKey);
        }
        if (secretFile != null) {
            byte[] secret = Files.readString(secretFile, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException("--secret-file: " + secretFile + " holds " + secret.length
                        + " bytes; the challenge key needs at least 32");
            }
            s = s.withSecret(secret);
        }
        return s;
    }

    private static String hostPort(Gateway gw) {
        String h = gw.address().getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + gw.address().getPort();
    }

    private static FileTime mtime(Path p) {
        try {
            return p == null ? null : Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return null;
        }
    }
}
