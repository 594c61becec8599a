package dev.threatip.cli;

import dev.threatip.ingest.PipelineBusyException;
import dev.threatip.net.Cidr;
import dev.threatip.serve.ServeConfig;
import dev.threatip.serve.ThreatipServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip serve}: continuous detection with the store, REST API and dashboard. Options
 * override {@code --config}; the server runs until interrupted (Ctrl-C, SIGTERM), then stops its
 * inputs, flushes and closes the store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ingest access logs continuously (tail, syslog, HTTP), store events and detections, "
                + "serve the REST API and dashboard.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "threatip.yaml (DESIGN.md section 5); options below override it.")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Store, admin token, tail positions (default ./threatip-data).")
    Path dataDir;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--intel", paramLabel = "FILE", description = "A compiled snapshot (threatip feeds compile).")
    Path intel;

    @Option(names = "--feed", paramLabel = "SPEC", description = "Feed spec to compile at start and refresh (repeatable).")
    List<String> feeds = new ArrayList<>();

    @Option(names = "--watch", paramLabel = "LOGFILE", description = "File or glob to tail (repeatable); - reads standard input.")
    List<String> watch = new ArrayList<>();

    @Option(names = "--from-beginning", description = "Read watched files that have no saved position from their start, not their end.")
    boolean fromBeginning;

    @Option(names = "--format", paramLabel = "auto|NAME", description = "Log format of the inputs (default auto, per input).")
    String format;

    @Option(names = "--log-format", paramLabel = "STRING", description = "An nginx log_format or Apache LogFormat string.")
    String logFormat;

    @Option(names = "--ip-field", paramLabel = "NAME", description = "Field holding the client address (JSON logs; dotted paths).")
    String ipField;

    @Option(names = "--trusted-proxy", paramLabel = "CIDR", description = "Proxy whose forwarding headers are believed (repeatable).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--syslog-port", paramLabel = "N", description = "Receive syslog (UDP and TCP) on this port.")
    Integer syslogPort;

    @Option(names = "--geo", paramLabel = "FILE", description = "City or country database (MaxMind DB format; repeatable).")
    List<Path> geo = new ArrayList<>();

    @Option(names = "--asn", paramLabel = "FILE", description = "ASN database (MMDB or ip-location-db CSV; repeatable).")
    List<Path> asn = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Counted down when the server is up; tests and {@code demo} wait on it. */
    final CountDownLatch started = new CountDownLatch(1);
    /** Counting it down stops the server (the shutdown hook does, on SIGINT/SIGTERM). */
    final CountDownLatch stop = new CountDownLatch(1);
    volatile ThreatipServer server;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig cfg = effectiveConfig();
        boolean stdin = watch.contains("-");
        try (ShutdownHook hook = new ShutdownHook("threatip-serve-shutdown", stop);
             ThreatipServer s = new ThreatipServer(cfg, Clock.systemUTC(), line -> {
                 err.println("threatip serve: " + line);
                 err.flush();
             }).start()) {
            server = s;
            printBanner(out, s, cfg);
            started.countDown();
            if (stdin) {
                readStdin(s, System.in);
            }
            stop.await();
            out.println("stopping: flushing and closing the store");
            out.flush();
        }
        return Main.EXIT_OK;
    }

    private void printBanner(PrintWriter out, ThreatipServer s, ServeConfig cfg) {
        out.println("threatip serve: dashboard and API at " + s.url());
        out.println("  admin token: " + (cfg.server().adminToken() != null ? "(from the config)" : s.adminTokenFile()));
        out.println("  data dir:    " + cfg.server().dataDir().toAbsolutePath());
        if (!cfg.inputs().files().isEmpty()) {
            out.println("  watching:    " + String.join(", ", cfg.inputs().files()));
        }
        if (s.syslog() != null) {
            out.println("  syslog:      udp " + s.syslog().udpPort() + ", tcp " + s.syslog().tcpPort());
        }
        out.println("  ingest:      " + (cfg.inputs().http() ? "POST " + s.url() + "api/v1/ingest" : "off"));
        out.flush();
    }

    /** Standard input as one more input: lines in batches, each committed before the next is read. */
    private static void readStdin(ThreatipServer s, InputStream in) throws IOException, InterruptedException {
        StdinBatches batches = new StdinBatches(new BufferedInputStream(in, 1 << 16));
        long lineNumber = 1;
        for (List<byte[]> batch = batches.next(); batch != null; batch = batches.next()) {
            while (true) {
                try {
                    s.pipeline().accept("stdin", batch, lineNumber);
                    break;
                } catch (PipelineBusyException busy) {
                    Thread.sleep(100); // back-pressure: stdin simply waits
                }
            }
            lineNumber += batch.size();
        }
    }

    ServeConfig effectiveConfig() throws IOException {
        ServeConfig base = config != null ? ServeConfig.load(config) : ServeConfig.defaults();
        ServeConfig.Feeds f = base.feeds();
        if (!feeds.isEmpty() || intel != null) {
            f = new ServeConfig.Feeds(feeds.isEmpty() ? f.specs() : feeds, intel != null ? intel : f.intel(),
                    f.allowSpecial(), f.refresh());
        }
        ServeConfig.Inputs in = base.inputs();
        List<Cidr> proxies = new ArrayList<>(in.trustedProxies());
        for (String t : trustedProxies) {
            try {
                proxies.add(Cidr.parse(t.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
            }
        }
        List<String> files = new ArrayList<>(in.files());
        watch.stream().filter(w -> !w.equals("-")).map(w -> Path.of(w).toAbsolutePath().toString()).forEach(files::add);
        ServeConfig.Syslog syslog = in.syslog();
        if (syslogPort != null) {
            syslog = new ServeConfig.Syslog(syslogPort, true, true, syslog == null ? "auto" : syslog.format());
        }
        in = new ServeConfig.Inputs(files, in.startAtEnd() && !fromBeginning, format != null ? format : in.format(),
                logFormat != null ? logFormat : in.logFormat(), ipField != null ? ipField : in.ipField(), proxies, syslog,
                in.http());
        ServeConfig.Server s = base.server();
        s = new ServeConfig.Server(bind != null ? bind : s.bind(), port != null ? port : s.port(),
                dataDir != null ? dataDir.toAbsolutePath() : s.dataDir(), s.adminToken(), s.readTokens(), s.retention());
        ServeConfig.GeoPaths g = base.geo();
        if (!geo.isEmpty() || !asn.isEmpty()) {
            g = new ServeConfig.GeoPaths(geo.isEmpty() ? g.city() : geo, asn.isEmpty() ? g.asn() : asn);
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new IllegalArgumentException("--port: " + port + " is out of range; allowed: 0 to 65535");
        }
        return new ServeConfig(f, in, base.rules(), s, g, base.blocking());
    }

    /** Reads whole lines from a stream in batches of up to 1,000 or what is available. */
    static final class StdinBatches {
        private static final int MAX_LINE = 64 * 1024;
        private final InputStream in;
        private byte[] buf = new byte[256];

        StdinBatches(InputStream in) {
            this.in = in;
        }

        /** The next batch, or null at end of input. */
        List<byte[]> next() throws IOException {
            List<byte[]> batch = new ArrayList<>();
            while (batch.size() < 1000) {
                byte[] line = line();
                if (line == null) {
                    break;
                }
                batch.add(line);
                if (in.available() == 0) {
                    break; // deliver what we have instead of waiting for a full batch
                }
            }
            return batch.isEmpty() ? null : batch;
        }

        private byte[] line() throws IOException {
            int n = 0;
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (n < MAX_LINE) {
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    buf[n++] = (byte) b;
                }
            }
            if (b < 0 && n == 0) {
                return null;
            }
            if (n > 0 && buf[n - 1] == '\r') {
                n--;
            }
            return Arrays.copyOf(buf, n);
        }
    }
}
