package dev.threatip.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code threatip} command (DESIGN.md §4). Exit codes: 0 success, 1 a {@code --fail-on}
 * threshold reached, 2 bad usage or unreadable input (one line on stderr naming the file, line
 * and problem), 3 an internal error (a bug: rerun with {@code --verbose} for the stack trace).
 */
@Command(name = "threatip", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Finds malicious source IPs in access logs using threat-intel feeds.",
        subcommands = {FeedsCommand.class, LookupCommand.class, ScanCommand.class, ExplainCommand.class, ServeCommand.class,
                GateCommand.class, DecisionsCommand.class, BouncersCommand.class, AlertsCommand.class, DemoCommand.class},
        usageHelpAutoWidth = true)
public final class Main implements Runnable {
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A {@code --fail-on} threshold was reached. */
    public static final int EXIT_FAIL_ON = 1;
    /** Bad usage or unreadable input. */
    public static final int EXIT_USAGE = 2;
    /** A bug in threatip itself. */
    public static final int EXIT_INTERNAL = 3;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The command line with threatip's error handling, writing to the process's stdout and stderr. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new ErrorHandler());
        return cl;
    }

    /** The command line writing to the given streams, as tests and embedding callers want it. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Reads the version the build wrote into the jar manifest; "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"threatip " + (v == null ? "dev" : v)};
        }
    }
}
