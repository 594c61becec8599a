package dev.threatip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code threatip feeds}: compile threat feeds into a snapshot, and show what a snapshot holds. */
@Command(name = "feeds", mixinStandardHelpOptions = true,
        description = "Compile threat feeds into an intel snapshot, or show a snapshot's feeds.",
        subcommands = {FeedsCompileCommand.class, FeedsStatusCommand.class})
final class FeedsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; one of: compile, status");
    }
}
