package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.block.DecisionImport;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.DurationText;
import dev.threatip.report.VerdictJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code threatip decisions list|add|delete|import}: an operator's decisions, made on a running
 * {@code serve} through its REST API. Always through the API: DuckDB lets one process open the
 * store, and the server holds the guard rails (its allowlist, its own addresses, the live intel).
 */
@Command(name = "decisions", mixinStandardHelpOptions = true,
        description = "List, add, delete or import decisions on a running 'threatip serve' (through its API).",
        subcommands = {DecisionsCommand.ListCommand.class, DecisionsCommand.AddCommand.class,
                DecisionsCommand.DeleteCommand.class, DecisionsCommand.ImportCommand.class})
public final class DecisionsCommand implements Runnable {
    /** Bad lines and refusals printed before "... and N more". */
    static final int REPORT_FIRST = 20;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command; one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** Where the server is and how to authenticate. */
    static final class Connection {
        @Option(names = "--server", defaultValue = "http://127.0.0.1:8080",
                description = "Base URL of the running serve (default: ${DEFAULT-VALUE}).")
        String server;

        @Option(names = "--token", description = "Admin token (default: $THREATIP_TOKEN, else the token file).")
        String token;

        @Option(names = "--token-file", description = "File holding the admin token (default: DATA_DIR/admin.token).")
        Path tokenFile;

        @Option(names = "--data-dir", defaultValue = "threatip-data",
                description = "The server's data dir, for its admin.token (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        String token() throws IOException {
            if (token != null && !token.isBlank()) {
                return token.strip();
            }
            String env = System.getenv("THREATIP_TOKEN");
            if (env != null && !env.isBlank()) {
                return env.strip();
            }
            Path f = tokenFile != null ? tokenFile : dataDir.resolve("admin.token");
            if (!Files.isReadable(f)) {
                throw new InputException(f + ": no admin token there; give --token, $THREATIP_TOKEN or --token-file");
            }
            return Files.readString(f).strip();
        }

        JsonNode call(String method, String pathAndQuery, String jsonBody) throws IOException, InterruptedException {
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(2));
            } catch (IllegalArgumentException e) {
                throw new InputException("--server: '" + server + "' is not a URL");
            }
            b.header("Authorization", "Bearer " + token());
            if (jsonBody != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                throw new InputException(base + ": no threatip serve answers there (is it running? --server URL)");
            }
            JsonNode body;
            try {
                body = VerdictJson.MAPPER.readTree(r.body());
            } catch (IOException e) {
                throw new InputException(base + " answered " + r.statusCode() + " with something that is not JSON");
            }
            if (r.statusCode() >= 400) {
                String message = body.path("error").path("message").asText(r.body());
                throw new InputException(message.isEmpty() ? "the server answered " + r.statusCode() : message);
            }
            return body;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void printTable(PrintWriter out, JsonNode items) {
        TextTable t = new TextTable("ID#", "SCOPE", "TYPE", "ORIGIN", "STATUS", "EXPIRES", "REASON");
        for (JsonNode d : items) {
            t.row(d.path("id").asLong(), d.path("scope").asText(), d.path("type").asText(),
                    d.path("origin").asText() + (d.path("simulated").asBoolean() ? " (simulated)" : ""),
                    d.path("status").asText(), d.path("expires").asText(), d.path("reason").asText("-"));
        }
        t.print(out);
    }

    /** {@code threatip decisions list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List decisions, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Connection conn = new Connection();
        @Option(names = "--ip", description = "Only decisions holding this address.")
        String ip;
        @Option(names = "--type", description = "ban or captcha.")
        String type;
        @Option(names = "--origin", description = "auto, manual or import.")
        String origin;
        @Option(names = "--all", description = "Also expired and deleted ones (default: only those in force).")
        boolean all;
        @Option(names = "--simulated", description = "Only what policies in simulate mode would have decided.")
        boolean simulated;
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000, default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--offset", defaultValue = "0", description = "Skip this many.")
        int offset;
        @Option(names = "--json", description = "Print the API's JSON answer.")
        boolean json;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            StringBuilder q = new StringBuilder("/api/v1/decisions?limit=" + limit + "&offset=" + offset);
            if (!all) {
                q.append("&active=true");
            }
            if (simulated) {
                q.append("&simulated=true");
            }
            for (String[] p : new String[][] {{"ip", ip}, {"type", type}, {"origin", origin}}) {
                if (p[1] != null) {
                    q.append('&').append(p[0]).append('=').append(enc(p[1]));
                }
            }
            JsonNode page = conn.call("GET", q.toString(), null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(VerdictJson.MAPPER.writeValueAsString(page));
            } else {
                printTable(out, page.path("items"));
                out.println(page.path("items").size() + " of " + page.path("total").asLong() + " decisions");
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code threatip decisions add}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Ban or challenge an address or network; the server's guard rails apply.")
    static final class AddCommand implements Callable<Integer> {
        @Mixin
        Connection conn = new Connection();
        @Parameters(paramLabel = "IP_OR_CIDR", description = "The address or network.")
        String scope;
        @Option(names = "--type", defaultValue = "ban", description = "ban or captcha (default ${DEFAULT-VALUE}).")
        String type;
        @Option(names = "--duration", defaultValue = "24h", description = "How long, e.g. 30m, 4h, 7d (default ${DEFAULT-VALUE}).")
        String duration;
        @Option(names = "--reason", description = "Why, shown in lists and exports.")
        String reason;
        @Option(names = "--force", description = "Override the allowlist, known-good and shared-address rules "
                + "(never special-purpose space or the server's own addresses).")
        boolean force;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = VerdictJson.MAPPER.createObjectNode().put("scope", scope).put("type", type)
                    .put("duration", duration).put("force", force);
            if (reason != null) {
                body.put("reason", reason);
            }
            JsonNode d = conn.call("POST", "/api/v1/decisions", body.toString());
            PrintWriter out = spec.commandLine().getOut();
            out.println("decision " + d.path("id").asLong() + ": " + d.path("type").asText() + " " + d.path("scope").asText()
                    + " until " + d.path("expires").asText() + " (" + d.path("reason").asText() + ")");
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code threatip decisions delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete decisions by id, or every decision holding an address (--ip).")
    static final class DeleteCommand implements Callable<Integer> {
        @Mixin
        Connection conn = new Connection();
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Decision ids.")
        List<Long> ids = new ArrayList<>();
        @Option(names = "--ip", description = "Delete every decision in force holding this address, and keep new ones "
                + "off it for --allow.")
        String ip;
        @Option(names = "--allow", defaultValue = "24h", description = "With --ip: how long new decisions keep off it "
                + "(default ${DEFAULT-VALUE}; in the server's memory).")
        String allow;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (ids.isEmpty() == (ip == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give decision ids or --ip, not both or neither");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (ip != null) {
                JsonNode r = conn.call("DELETE", "/api/v1/decisions?ip=" + enc(ip) + "&allow=" + enc(allow), null);
                out.println("deleted " + r.path("deleted").asInt() + " decisions holding " + ip + "; allowed until "
                        + r.path("allowed_until").asText());
            } else {
                for (long id : ids) {
                    conn.call("DELETE", "/api/v1/decisions/" + id, null);
                    out.println("deleted decision " + id);
                }
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    /** {@code threatip decisions import}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import decisions from a plain list, CSV or JSON file; bad lines and refusals are reported "
                    + "with file:line, the rest imported. Exit 2 when any line was bad or refused.")
    static final class ImportCommand implements Callable<Integer> {
        /** Decisions per API request. */
        static final int BATCH = 10_000;

        @Mixin
        Connection conn = new Connection();
        @Parameters(paramLabel = "FILE", description = "The list.")
        Path file;
        @Option(names = "--format", defaultValue = "auto", description = "auto, plain, csv or json (default ${DEFAULT-VALUE}).")
        String format;
        @Option(names = "--type", defaultValue = "ban", description = "Type for lines that give none (default ${DEFAULT-VALUE}).")
        String type;
        @Option(names = "--duration", defaultValue = "24h", description = "Duration for lines that give none (default ${DEFAULT-VALUE}).")
        String duration;
        @Option(names = "--reason", description = "Reason for lines that give none (default: the file name).")
        String reason;
        @Option(names = "--force", description = "Force every entry past the overridable guard rails.")
        boolean force;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Duration d;
            try {
                d = DurationText.parse(duration);
            } catch (IllegalArgumentException e) {
                throw new InputException("--duration: '" + duration + "' is not a duration like 30m, 4h, 24h or 7d");
            }
            DecisionImport.Defaults defaults = new DecisionImport.Defaults(DecisionType.fromWire(type), d,
                    reason != null ? reason : "imported from " + file.getFileName(), force);
            DecisionImport.Result r = DecisionImport.read(Files.readString(file), DecisionImport.Format.of(format), defaults);
            PrintWriter err = spec.commandLine().getErr();
            List<DecisionImport.BadLine> problems = new ArrayList<>(r.bad());
            int added = 0;
            List<DecisionImport.Entry> entries = r.entries();
            for (int from = 0; from < entries.size(); from += BATCH) {
                List<DecisionImport.Entry> chunk = entries.subList(from, Math.min(entries.size(), from + BATCH));
                ArrayNode body = VerdictJson.MAPPER.createArrayNode();
                for (DecisionImport.Entry e : chunk) {
                    ObjectNode o = body.addObject().put("scope", e.request().scope().toString())
                            .put("type", e.request().type().wireName())
                            .put("duration", e.request().duration().getSeconds() + "s").put("force", e.request().force());
                    if (e.request().reason() != null) {
                        o.put("reason", e.request().reason());
                    }
                }
                JsonNode answer = conn.call("POST", "/api/v1/decisions", body.toString());
                added += answer.path("added").asInt();
                for (JsonNode refused : answer.path("refused")) {
                    problems.add(new DecisionImport.BadLine(chunk.get(refused.path("index").asInt()).line(),
                            "refused: " + refused.path("why").asText()));
                }
            }
            problems.sort(java.util.Comparator.comparingInt(DecisionImport.BadLine::line));
            for (int i = 0; i < Math.min(REPORT_FIRST, problems.size()); i++) {
                err.println("threatip: " + file + ":" + problems.get(i).line() + ": " + problems.get(i).why());
            }
            if (problems.size() > REPORT_FIRST) {
                err.println("threatip: ... and " + (problems.size() - REPORT_FIRST) + " more");
            }
            err.flush();
            PrintWriter out = spec.commandLine().getOut();
            out.println("imported " + added + " decisions from " + file + " (" + r.format().name().toLowerCase(java.util.Locale.ROOT)
                    + "); " + r.bad().size() + " bad lines, " + (problems.size() - r.bad().size()) + " refused or already decided");
            out.flush();
            return problems.isEmpty() ? Main.EXIT_OK : Main.EXIT_USAGE;
        }
    }
}
