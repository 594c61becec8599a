package dev.threatip.cli;

import dev.threatip.store.BouncerStore;
import dev.threatip.store.EventStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code threatip bouncers delete NAME}: removes a bouncer; its key stops working at once. */
@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Remove a bouncer: its key stops working at once.")
final class BouncersDeleteCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The bouncer's name.")
    String name;

    @CommandLine.Mixin
    AdminTarget target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (target.server() != null) {
            target.client().delete("api/v1/bouncers/" + java.net.URLEncoder.encode(BouncerStore.validName(name),
                    java.nio.charset.StandardCharsets.UTF_8));
        } else {
            try (EventStore store = target.openStore()) {
                if (!new BouncerStore(store).delete(name)) {
                    throw new InputException("no bouncer named '" + name + "'; 'threatip bouncers list' shows them");
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("bouncer '" + name + "' deleted; its key no longer works");
        out.flush();
        return Main.EXIT_OK;
    }
}
