package dev.threatip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code threatip bouncers}: the keys CrowdSec bouncers use to pull threatip's decisions
 * ({@code /v1/decisions/stream}, {@code X-Api-Key}).
 */
@Command(name = "bouncers", mixinStandardHelpOptions = true,
        description = "Manage the API keys of CrowdSec bouncers (firewall, nginx, HAProxy, Cloudflare, custom) that enforce threatip's decisions.",
        subcommands = {BouncersAddCommand.class, BouncersListCommand.class, BouncersDeleteCommand.class})
final class BouncersCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; one of: add, list, delete");
    }
}
