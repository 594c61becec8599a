package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.store.Bouncer;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.EventStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code threatip bouncers add NAME}: registers a bouncer and prints its API key, once. */
@Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Register a bouncer and print its API key (shown only now; threatip keeps only its SHA-256).")
final class BouncersAddCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The bouncer's name: letters, digits and . _ @ - (up to 64).")
    String name;

    @Option(names = "--key", paramLabel = "KEY", description = "Use this key (at least 16 printable ASCII characters) instead of a random one.")
    String key;

    @Option(names = {"-o", "--output"}, paramLabel = "text|json|raw", defaultValue = "text",
            description = "text (default), json, or raw: the key alone, for scripts.")
    String output;

    @CommandLine.Mixin
    AdminTarget target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json") && !output.equals("raw")) {
            throw new InputException("--output: unknown value '" + output + "'; allowed: text, json, raw");
        }
        BouncerStore.validName(name);
        String apiUrl;
        JsonNode added;
        if (target.server() != null) {
            AdminClient api = target.client();
            ObjectNode body = new ObjectMapper().createObjectNode().put("name", name);
            if (key != null) {
                body.put("key", key);
            }
            added = api.post("api/v1/bouncers", body); // the server makes the key when none is given
            apiUrl = api.base().toString();
        } else {
            String k = key != null ? key : BouncerStore.newKey();
            try (EventStore store = target.openStore()) {
                Bouncer b = new BouncerStore(store).add(name, k);
                added = BouncersListCommand.json(b).put("key", k).put("key_generated", key == null);
            }
            apiUrl = null;
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (output) {
            case "raw" -> out.println(added.get("key").asText());
            case "json" -> out.println(added.toString());
            default -> {
                out.println("bouncer '" + name + "' added. Its API key, shown only now (threatip keeps only its hash):");
                out.println();
                out.println("    " + added.get("key").asText());
                out.println();
                out.println("Put it in the bouncer's configuration:");
                out.println("    api_url: " + (apiUrl != null ? apiUrl : "http://127.0.0.1:8080/   # where threatip serve listens"));
                out.println("    api_key: " + added.get("key").asText());
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
