package dev.threatip.cli;

import dev.threatip.alert.Alerts;
import dev.threatip.serve.ServeConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code threatip alerts}: alert policies and channels of {@code threatip.yaml}. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alert policies and channels.",
        subcommands = AlertsCommand.Test.class)
final class AlertsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * {@code threatip alerts test --policy NAME}: a sample alert through each channel of the policy,
     * now and directly (not through the outbox); one line per channel; exit 2 when any failed.
     */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Send a sample alert through each channel of a policy now and print what each answered.")
    static final class Test implements Callable<Integer> {
        @Option(names = "--policy", required = true, paramLabel = "NAME", description = "The alert policy (a key of alerts.policies).")
        String policy;

        @Option(names = "--config", paramLabel = "FILE", description = "threatip.yaml (default: ./threatip.yaml).")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path file = config != null ? config : Path.of("threatip.yaml");
            if (config == null && !Files.exists(file)) {
                throw new InputException("threatip.yaml: no such file; give --config FILE");
            }
            ServeConfig cfg = ServeConfig.load(file);
            ServeConfig.Server s = cfg.server();
            String base = s.publicUrl() != null ? s.publicUrl()
                    : "http://" + (s.bind().contains(":") ? "[" + s.bind() + "]" : s.bind()) + ":" + s.port() + "/";
            List<Alerts.TestOutcome> outcomes = Alerts.test(cfg.alerts(), policy, base, Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            int failed = 0;
            for (Alerts.TestOutcome o : outcomes) {
                out.println(o.channel() + " (" + o.type() + "): " + (o.delivered() ? "delivered" : "FAILED: " + o.error()));
                if (!o.delivered()) {
                    failed++;
                }
            }
            out.flush();
            if (failed > 0) {
                throw new InputException("alerts test: " + failed + " of " + outcomes.size() + " channels of policy '" + policy
                        + "' failed");
            }
            return Main.EXIT_OK;
        }
    }
}
