package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.report.VerdictJson;
import dev.threatip.store.Bouncer;
import dev.threatip.store.BouncerStore;
import dev.threatip.store.EventStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code threatip bouncers list}: the registered bouncers and when each last pulled (never a key). */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the registered bouncers: created, last pull, address and agent (keys are never shown).")
final class BouncersListCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text", description = "text (default) or json.")
    String output;

    @CommandLine.Mixin
    AdminTarget target;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!output.equals("text") && !output.equals("json")) {
            throw new InputException("--output: unknown value '" + output + "'; allowed: text, json");
        }
        ArrayNode items;
        if (target.server() != null) {
            items = (ArrayNode) target.client().get("api/v1/bouncers").get("items");
        } else {
            items = JSON.createArrayNode();
            try (EventStore store = target.openStore()) {
                new BouncerStore(store).list().forEach(b -> items.add(json(b)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.equals("json")) {
            out.println(JSON.createObjectNode().put("total", items.size()).set("items", items).toString());
        } else if (items.isEmpty()) {
            out.println("no bouncers; add one with 'threatip bouncers add NAME'");
        } else {
            TextTable t = new TextTable("name", "created", "last pull", "last ip", "user agent");
            for (JsonNode b : items) {
                t.row(b.get("name").asText(), b.get("created").asText(), text(b, "last_pull"), text(b, "last_ip"),
                        text(b, "user_agent"));
            }
            t.print(out);
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static String text(JsonNode o, String member) {
        JsonNode v = o.get(member);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A bouncer as the admin API lists it. */
    static ObjectNode json(Bouncer b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", b.name());
        o.put("created", VerdictJson.instant(b.created()));
        o.put("last_pull", b.lastPull() == null ? null : VerdictJson.instant(b.lastPull()));
        o.put("last_ip", b.lastIp());
        o.put("user_agent", b.userAgent());
        o.put("cursor", b.cursor());
        return o;
    }
}
