package dev.threatip.block;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.DurationText;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a list of decisions to import: plain lists (one address or CIDR per line, {@code #} and
 * {@code ;} comments), CSV with a header ({@code scope}/{@code ip}/{@code value}/{@code cidr},
 * optional {@code type}, {@code duration}, {@code reason}), and JSON (an array of objects with
 * those members, or {@code {"decisions": [...]}}). Values a line leaves out come from the
 * defaults. A bad line never stops the import: it is reported with its line number.
 */
public final class DecisionImport {
    /** The list formats. */
    public enum Format {
        PLAIN, CSV, JSON;

        /** The format named {@code auto}, {@code plain}, {@code csv} or {@code json}; null for auto. */
        public static Format of(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "auto" -> null;
                case "plain" -> PLAIN;
                case "csv" -> CSV;
                case "json" -> JSON;
                default -> throw new IllegalArgumentException("unknown import format '" + name + "'; known: auto, plain, csv, json");
            };
        }
    }

    /**
     * One usable entry.
     *
     * @param line    its line in the file (1-based)
     * @param request the decision asked for
     */
    public record Entry(int line, ManualDecisions.Request request) {
    }

    /**
     * A line that could not be read.
     *
     * @param line its line in the file (1-based)
     * @param why  what is wrong with it
     */
    public record BadLine(int line, String why) {
    }

    /**
     * What a file held.
     *
     * @param format  the format read (detected when asked for auto)
     * @param entries the usable entries, in file order
     * @param bad     the lines that could not be read, in file order
     */
    public record Result(Format format, List<Entry> entries, List<BadLine> bad) {
        public Result {
            entries = List.copyOf(entries);
            bad = List.copyOf(bad);
        }
    }

    /**
     * The defaults for what a line leaves out.
     *
     * @param type     default type
     * @param duration default duration
     * @param reason   default reason (may be null)
     * @param force    whether every entry is forced past the overridable guard rails
     */
    public record Defaults(DecisionType type, Duration duration, String reason, boolean force) {
        public Defaults {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(duration, "duration");
        }
    }

    private static final Set<String> SCOPE_NAMES = Set.of("scope", "ip", "value", "cidr", "address");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionImport() {
    }

    /**
     * Reads {@code text}.
     *
     * @param format the format, or null to detect it: JSON when the text starts with {@code [} or
     *               {@code {}, CSV when the first line names a scope column among commas, else plain
     */
    public static Result read(String text, Format format, Defaults defaults) {
        Format f = format != null ? format : detect(text);
        List<Entry> entries = new ArrayList<>();
        List<BadLine> bad = new ArrayList<>();
        switch (f) {
            case PLAIN -> plain(text, defaults, entries, bad);
            case CSV -> csv(text, defaults, entries, bad);
            case JSON -> json(text, defaults, entries, bad);
            default -> throw new IllegalStateException(f.name());
        }
        return new Result(f, entries, bad);
    }

    static Format detect(String text) {
        String t = text.stripLeading();
        if (t.startsWith("[") || t.startsWith("{")) {
            return Format.JSON;
        }
        int nl = t.indexOf('\n');
        String first = (nl < 0 ? t : t.substring(0, nl)).toLowerCase(Locale.ROOT);
        if (first.contains(",")) {
            for (String h : first.split(",")) {
                if (SCOPE_NAMES.contains(unquote(h.strip()))) {
                    return Format.CSV;
                }
            }
        }
        return Format.PLAIN;
    }

    private static void plain(String text, Defaults d, List<Entry> entries, List<BadLine> bad) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int hash = indexOfAny(l, "#;");
            String comment = hash < 0 ? null : l.substring(hash + 1).strip();
            l = (hash < 0 ? l : l.substring(0, hash)).strip();
            if (l.isEmpty()) {
                continue;
            }
            String token = l.split("[\\s,]+", 2)[0];
            add(i + 1, token, null, null, comment == null || comment.isEmpty() ? null : comment, d, entries, bad);
        }
    }

    private static void csv(String text, Defaults d, List<Entry> entries, List<BadLine> bad) {
        String[] lines = text.split("\r?\n", -1);
        Map<String, Integer> columns = new HashMap<>();
        int headerLine = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank() || lines[i].startsWith("#")) {
                continue;
            }
            List<String> cells = cells(lines[i]);
            if (headerLine < 0) {
                headerLine = i;
                for (int c = 0; c < cells.size(); c++) {
                    columns.putIfAbsent(cells.get(c).strip().toLowerCase(Locale.ROOT), c);
                }
                if (SCOPE_NAMES.stream().noneMatch(columns::containsKey)) {
                    bad.add(new BadLine(i + 1, "the CSV header names no scope column; one of: address, cidr, ip, scope, value"));
                    return;
                }
                continue;
            }
            int scopeAt = SCOPE_NAMES.stream().filter(columns::containsKey).map(columns::get).min(Integer::compare).orElseThrow();
            add(i + 1, cell(cells, scopeAt), cell(cells, columns.get("type")), cell(cells, columns.get("duration")),
                    cell(cells, columns.get("reason")), d, entries, bad);
        }
    }

    private static void json(String text, Defaults d, List<Entry> entries, List<BadLine> bad) {
        try (JsonParser p = JSON.getFactory().createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                // {"decisions": [...]}
                JsonToken field = p.nextToken();
                if (field != JsonToken.FIELD_NAME || !p.currentName().equals("decisions") || p.nextToken() != JsonToken.START_ARRAY) {
                    bad.add(new BadLine(line(p.currentTokenLocation()), "expected an array of decisions or {\"decisions\": [...]}"));
                    return;
                }
            } else if (t != JsonToken.START_ARRAY) {
                bad.add(new BadLine(line(p.currentTokenLocation()), "expected an array of decisions or {\"decisions\": [...]}"));
                return;
            }
            while (p.nextToken() != JsonToken.END_ARRAY) {
                int line = line(p.currentTokenLocation());
                JsonNode o = JSON.readTree(p);
                if (o == null || !o.isObject()) {
                    bad.add(new BadLine(line, "expected a decision object"));
                    continue;
                }
                String scope = null;
                for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (SCOPE_NAMES.contains(k.toLowerCase(Locale.ROOT)) && o.get(k).isTextual()) {
                        scope = o.get(k).asText();
                        break;
                    }
                }
                add(line, scope, text(o, "type"), text(o, "duration"), text(o, "reason"), d, entries, bad);
            }
        } catch (JsonParseException e) {
            bad.add(new BadLine(line(e.getLocation()), "not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            bad.add(new BadLine(0, "cannot read JSON: " + e.getMessage()));
        }
    }

    private static void add(int line, String scopeText, String type, String duration, String reason, Defaults d,
                            List<Entry> entries, List<BadLine> bad) {
        if (scopeText == null || scopeText.isBlank()) {
            bad.add(new BadLine(line, "no address or CIDR"));
            return;
        }
        Cidr scope;
        try {
            scope = Cidr.parse(scopeText.strip());
        } catch (IllegalArgumentException e) {
            bad.add(new BadLine(line, e.getMessage()));
            return;
        }
        DecisionType t = d.type();
        if (type != null && !type.isBlank()) {
            try {
                t = DecisionType.fromWire(type.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                bad.add(new BadLine(line, e.getMessage()));
                return;
            }
        }
        Duration dur = d.duration();
        if (duration != null && !duration.isBlank()) {
            try {
                dur = DurationText.parse(duration.strip());
            } catch (IllegalArgumentException e) {
                bad.add(new BadLine(line, "'" + duration + "' is not a duration like 30m, 4h, 24h or 7d"));
                return;
            }
        }
        String why = reason == null || reason.isBlank() ? d.reason() : reason.strip();
        try {
            entries.add(new Entry(line, new ManualDecisions.Request(scope, t, dur, why, d.force())));
        } catch (IllegalArgumentException e) {
            bad.add(new BadLine(line, e.getMessage()));
        }
    }

    /** The cells of one CSV line; double quotes group, {@code ""} inside quotes is one quote. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static String cell(List<String> cells, Integer at) {
        return at == null || at >= cells.size() ? null : cells.get(at).strip();
    }

    private static String text(JsonNode o, String k) {
        JsonNode v = o.get(k);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static int line(JsonLocation at) {
        return at == null ? 0 : at.getLineNr();
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
