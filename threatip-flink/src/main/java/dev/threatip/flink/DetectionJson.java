package dev.threatip.flink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One address's verdict as the DESIGN.md §4 object, member for member as {@code scan --output
 * ndjson} writes a flagged client ({@code ip, verdict, level, categories, tags, hits,
 * first_seen, last_seen, top_paths, statuses, user_agents, samples}, then {@code detections}
 * when rules fired). The job reads a stream, not files, so there is no {@code first_hits}.
 */
final class DetectionJson {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int TOP_PATHS = 10;

    private DetectionJson() {
    }

    /** The JSON object, on one line. */
    static String write(IpAddress ip, Verdict v, IpState s) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("ip", ip.toString());
            g.writeStringField("verdict", v.kind().wireName());
            if (v.level() == null) {
                g.writeNullField("level");
            } else {
                g.writeStringField("level", v.level().wireName());
            }
            g.writeArrayFieldStart("categories");
            for (CategoryVerdict c : v.categories()) {
                g.writeStartObject();
                g.writeStringField("category", c.category().wireName());
                g.writeStringField("confidence", c.confidence().wireName());
                g.writeStringField("source", c.source());
                strings(g, "rules", c.rules());
                strings(g, "feeds", c.feeds());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "tags", v.tags());
            long hits = s.hits;
            long first = s.first;
            long last = s.last;
            if (hits == 0) {
                // flagged by volume rules alone (they do not profile): what the rules counted, as scan reports it
                for (RuleDetection d : s.detections.values()) {
                    hits = Math.max(hits, d.count);
                    first = d.firstMillis >= 0 ? Math.min(first, d.firstMillis) : first;
                    last = Math.max(last, d.lastMillis);
                }
            }
            g.writeNumberField("hits", hits);
            time(g, "first_seen", first == Long.MAX_VALUE ? -1 : first);
            time(g, "last_seen", last == Long.MIN_VALUE ? -1 : last);
            g.writeArrayFieldStart("top_paths");
            for (Map.Entry<String, Long> p : topPaths(s)) {
                g.writeStartObject();
                g.writeStringField("path", p.getKey());
                g.writeNumberField("count", p.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("statuses");
            for (Map.Entry<Integer, Long> e : s.statuses.entrySet()) {
                g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
            }
            g.writeEndObject();
            strings(g, "user_agents", s.agents);
            strings(g, "samples", s.sampleLines());
            if (!s.detections.isEmpty()) {
                g.writeArrayFieldStart("detections");
                for (RuleDetection d : s.detections.values()) {
                    g.writeStartObject();
                    g.writeStringField("rule", d.ruleId);
                    g.writeStringField("category", d.category);
                    g.writeStringField("confidence", d.confidence);
                    g.writeStringField("key", d.groupKey);
                    g.writeNumberField("count", d.count);
                    g.writeNumberField("window_seconds", d.windowMillis / 1000);
                    time(g, "first_seen", d.firstMillis);
                    time(g, "last_seen", d.lastMillis);
                    strings(g, "tags", List.of(d.tags));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static List<Map.Entry<String, Long>> topPaths(IpState s) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(s.paths.entrySet());
        if (s.otherPaths > 0) {
            all.add(Map.entry(IpState.OTHER_PATH, s.otherPaths));
        }
        all.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return all.subList(0, Math.min(TOP_PATHS, all.size()));
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void time(JsonGenerator g, String field, long millis) throws IOException {
        if (millis < 0) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Instant.ofEpochMilli(millis).toString());
        }
    }
}
