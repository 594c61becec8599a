package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.detect.Detector;
import dev.threatip.detect.InvalidRuleException;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.FormatChoice;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormat;
import dev.threatip.log.LogFormats;
import dev.threatip.net.IpAddress;
import dev.threatip.report.VerdictJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code threatip explain} (DESIGN.md §4): takes one log line through the same steps a scan
 * takes (format, fields, client address, normalised request, intel, rule filters) and shows
 * each step's result, readably or as one JSON object with {@code --json}.
 *
 * <p>One line cannot show whether a rule fires: rules count over a window on event time, so the
 * command lists the rules the line <em>feeds</em>, their thresholds, and the confidence the line
 * alone would reach where a single event is enough. A line that does not parse exits 2 with
 * what each tried format made of it. Without an intel snapshot (none given, no default file) the
 * line is explained without intel, and the output says so.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show how one log line is parsed, what the intel says about its client and which rules it feeds.")
final class ExplainCommand implements Callable<Integer> {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @CommandLine.Mixin
    IntelOption intel;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "Behaviour rules (YAML) added to the built-in ones (repeatable).")
    List<Path> rules = new ArrayList<>();

    @CommandLine.Mixin
    LogReadingOptions reading;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--log", paramLabel = "LINE", required = true, description = "The log line to explain.")
    String log;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What one format made of the line. */
    private record Attempt(String format, LineParser.Outcome outcome) {
        @Override
        public String toString() {
            return format + ": " + outcome.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Integer call() throws IOException {
        ClientIpResolver resolver = resolver();
        Detector detector;
        try {
            detector = Detector.load(rules);
        } catch (InvalidRuleException e) {
            throw new InputException(e.getMessage());
        }
        byte[] line = stripTerminator(log).getBytes(StandardCharsets.UTF_8);

        List<Attempt> tried = new ArrayList<>();
        LineFields fields = new LineFields();
        LogFormat chosen;
        String reason;
        if (reading.logFormat != null || !reading.format.equals("auto")) {
            try {
                chosen = reading.logFormat != null ? LogFormats.compile(reading.logFormat)
                        : LogFormats.named(reading.format, reading.ipField);
            } catch (IllegalArgumentException e) {
                throw new InputException((reading.logFormat != null ? "--log-format: " : "--format: ") + e.getMessage());
            }
            reason = reading.logFormat != null ? "given with --log-format" : "given with --format";
            tried.add(new Attempt(chosen.name(), parse(chosen, line, fields)));
        } else {
            // Every built-in format is tried so a failure can say what each made of the line;
            // the choice itself is LogFormats.detect's, the same a scan makes per file.
            for (String name : LogFormats.names()) {
                tried.add(new Attempt(name, parse(LogFormats.named(name, reading.ipField), line, fields)));
            }
            FormatChoice choice = LogFormats.detect(List.of(new String(line, StandardCharsets.UTF_8)), reading.ipField);
            chosen = choice.format();
            reason = choice.format() == null ? choice.reason()
                    : "detected: the first of " + String.join(", ", LogFormats.names()) + " to parse the line";
        }
        LineParser.Outcome outcome = chosen == null ? LineParser.Outcome.MALFORMED : parse(chosen, line, fields);
        if (outcome != LineParser.Outcome.EVENT) {
            String what = chosen == null ? "no known format parses it" : chosen.name() + ": "
                    + (outcome == LineParser.Outcome.DIRECTIVE ? "a header or directive line, not an event" : "malformed");
            throw new InputException("the line does not parse (" + what + "); tried "
                    + tried.stream().map(Attempt::toString).collect(Collectors.joining(", ")));
        }

        ClientIpResolver.Resolution resolution = resolver.explain(fields);
        IpAddress client = fields.clientValid ? new IpAddress(fields.clientHi, fields.clientLo) : null;
        Detector.NormalizedRequest normalized = Detector.normalize(fields);
        List<String> notes = new ArrayList<>();
        ObjectNode verdict = intelVerdict(client, notes);
        List<Detector.RuleInfo> fed = fedRules(detector, fields);
        if (client == null) {
            notes.add("no valid client address: a scan counts this line as unparsed, and no rule sees it");
        } else {
            notes.add("one line alone only feeds windows: whether a rule fires depends on its count over the window");
        }

        ObjectNode o = NODES.objectNode();
        o.put("line", new String(line, StandardCharsets.UTF_8));
        ObjectNode f = o.putObject("format");
        f.put("name", chosen.name());
        f.put("reason", reason);
        ArrayNode t = f.putArray("tried");
        for (Attempt a : tried) {
            t.addObject().put("format", a.format()).put("outcome", a.outcome().name().toLowerCase(Locale.ROOT));
        }
        o.set("fields", fieldsJson(fields));
        ObjectNode c = o.putObject("client");
        c.put("ip", client == null ? null : client.toString());
        c.put("resolution", resolution.method());
        c.put("header", resolution.header());
        c.put("detail", resolution.detail());
        ObjectNode n = o.putObject("normalized");
        n.put("path", normalized.path());
        n.put("query", normalized.query());
        ArrayNode signals = n.putArray("signals");
        normalized.signals().forEach(signals::add);
        o.set("intel", verdict);
        ArrayNode r = o.putArray("rules");
        for (Detector.RuleInfo info : fed) {
            r.add(ruleJson(info));
        }
        ArrayNode notesJson = o.putArray("notes");
        notes.forEach(notesJson::add);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(VerdictJson.MAPPER.writeValueAsString(o));
        } else {
            printText(out, o);
        }
        out.flush();
        if (client == null) {
            throw new InputException("the line has no valid client address (" + resolution.detail() + ")");
        }
        return Main.EXIT_OK;
    }

    private static LineParser.Outcome parse(LogFormat format, byte[] line, LineFields fields) {
        fields.reset();
        return format.newParser().parse(line, 0, line.length, fields);
    }

    private static String stripTerminator(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private ClientIpResolver resolver() {
        try {
            return reading.resolver();
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /**
     * The {@code lookup} object of the client, or null with a note why: an explicit
     * {@code --intel} must open, while a missing default snapshot only means "no intel here".
     */
    private ObjectNode intelVerdict(IpAddress client, List<String> notes) throws IOException {
        Path path = intel.path();
        if (!intel.given() && !Files.exists(path)) {
            notes.add("no intel snapshot (no --intel, and the default " + path + " does not exist): explained without intel");
            return null;
        }
        ReputationIndex index = ReputationIndex.open(path);
        if (client == null) {
            return null;
        }
        return VerdictJson.lookup(index.explain(client), index.isStale());
    }

    private static List<Detector.RuleInfo> fedRules(Detector detector, LineFields fields) {
        Map<String, Detector.RuleInfo> byId = new LinkedHashMap<>();
        for (Detector.RuleInfo info : detector.rules()) {
            byId.put(info.id(), info);
        }
        return detector.matchingRules(fields).stream().map(byId::get).toList();
    }

    private static ObjectNode fieldsJson(LineFields f) {
        ObjectNode o = NODES.objectNode();
        o.put("remote_addr", f.remoteAddr.asString());
        o.put("forwarded_for", f.forwardedFor.asString());
        o.put("real_ip", f.realIp.asString());
        o.put("connecting_ip", f.connectingIp.asString());
        o.put("method", f.method.asString());
        o.put("host", f.host.asString());
        o.put("path", f.path.asString());
        o.put("query", f.query.asString());
        o.put("protocol", f.protocol.asString());
        o.put("status", f.status == LineFields.NONE ? null : f.status);
        o.put("bytes", f.bytes == LineFields.NONE ? null : f.bytes);
        o.put("time", f.timeMillis == LineFields.NONE ? null : Instant.ofEpochMilli(f.timeMillis).toString());
        o.put("user_agent", f.userAgent.asString());
        o.put("referer", f.referer.asString());
        return o;
    }

    private static ObjectNode ruleJson(Detector.RuleInfo info) {
        ObjectNode o = NODES.objectNode();
        o.put("id", info.id());
        o.put("category", info.category());
        o.put("description", info.description());
        o.put("group_by", info.groupBy());
        o.put("window_seconds", info.window().toSeconds());
        o.put("count", info.count());
        ObjectNode th = o.putObject("thresholds");
        info.thresholds().forEach(th::put);
        // Every count kind counts one line as 1 (one request, one path, one IP, one agent).
        String alone = null;
        for (Map.Entry<String, Long> e : info.thresholds().entrySet()) {
            if (e.getValue() <= 1) {
                alone = e.getKey();
            }
        }
        o.put("one_line_reaches", alone);
        o.put("file", info.file());
        return o;
    }

    private static void printText(PrintWriter out, ObjectNode o) throws IOException {
        out.println("line      " + o.get("line").asText());
        ObjectNode f = (ObjectNode) o.get("format");
        List<String> tried = new ArrayList<>();
        f.get("tried").forEach(a -> tried.add(a.get("format").asText() + " " + a.get("outcome").asText()));
        out.println("format    " + f.get("name").asText() + " (" + f.get("reason").asText() + "; tried: "
                + String.join(", ", tried) + ")");
        out.println();
        out.println("fields");
        for (Iterator<Map.Entry<String, JsonNode>> it = o.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.printf("  %-14s %s%n", e.getKey(), e.getValue().isNull() ? "-" : e.getValue().asText());
        }
        out.println();
        ObjectNode c = (ObjectNode) o.get("client");
        out.println("client    " + (c.get("ip").isNull() ? "none" : c.get("ip").asText()) + " (" + c.get("resolution").asText()
                + ": " + c.get("detail").asText() + ")");
        out.println();
        ObjectNode n = (ObjectNode) o.get("normalized");
        List<String> signals = new ArrayList<>();
        n.get("signals").forEach(s -> signals.add(s.asText()));
        out.println("request as the rules see it");
        out.println("  path     " + n.get("path").asText());
        out.println("  query    " + (n.get("query").isNull() ? "-" : n.get("query").asText()));
        out.println("  signals  " + (signals.isEmpty() ? "none" : String.join(", ", signals)));
        out.println();
        if (o.get("intel").isNull()) {
            out.println("intel     none");
        } else {
            ObjectNode v = (ObjectNode) o.get("intel");
            List<String> cats = new ArrayList<>();
            v.get("categories").forEach(k -> cats.add(k.get("category").asText() + " " + k.get("confidence").asText()
                    + " (feeds: " + join(k.get("feeds")) + ")"));
            out.println("intel     " + v.get("verdict").asText() + (v.get("level").isNull() ? "" : ", level " + v.get("level").asText())
                    + (cats.isEmpty() ? "" : ": " + String.join("; ", cats))
                    + (v.get("matched").isNull() ? "" : "; matched " + v.get("matched").asText()));
            out.println("  lookup  " + VerdictJson.MAPPER.writeValueAsString(v));
        }
        out.println();
        out.println("rules this line feeds (" + o.get("rules").size() + ")");
        for (JsonNode r : o.get("rules")) {
            List<String> th = new ArrayList<>();
            r.get("thresholds").fields().forEachRemaining(e -> th.add(e.getKey() + " >= " + e.getValue().asLong()));
            out.printf("  %-30s %-16s per %s, %s window, counts %s: %s%s%n", r.get("id").asText(), r.get("category").asText(),
                    r.get("group_by").asText(), duration(Duration.ofSeconds(r.get("window_seconds").asLong())),
                    r.get("count").asText(), String.join(", ", th),
                    r.get("one_line_reaches").isNull() ? "" : "; this line alone reaches " + r.get("one_line_reaches").asText());
            if (!r.get("description").isNull() && !r.get("description").asText().isEmpty()) {
                out.println("      " + r.get("description").asText());
            }
        }
        for (JsonNode note : o.get("notes")) {
            out.println("note: " + note.asText());
        }
    }

    private static String join(JsonNode array) {
        List<String> s = new ArrayList<>();
        array.forEach(x -> s.add(x.asText()));
        return s.isEmpty() ? "-" : String.join(", ", s);
    }

    /** {@code 10m}, {@code 1h}, {@code 90s}: the way rule files write windows. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0 && s > 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
