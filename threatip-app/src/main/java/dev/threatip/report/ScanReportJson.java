package dev.threatip.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.threatip.detect.Detection;
import dev.threatip.detect.ScanReport;
import dev.threatip.intel.Verdict;
import dev.threatip.log.LinePosition;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code scan} report as JSON, field for field as DESIGN.md §4 prints it, in that order:
 * {@code {"summary": {...}, "ips": [...]}}, or as NDJSON, one object per flagged client and a
 * final {@code {"summary": {...}}}. Each client carries {@code first_hits} [{file, line}], its
 * linked access-log lines.
 */
public final class ScanReportJson {
    private static final JsonFactory JSON = JsonFactory.builder().build()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ScanReportJson() {
    }

    /** Writes the report as one JSON object and a newline. */
    public static void write(ScanReport report, Writer out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("summary");
            summary(g, report.summary());
            g.writeArrayFieldStart("ips");
            for (ScanReport.FlaggedIp ip : report.ips()) {
                ip(g, ip);
            }
            g.writeEndArray();
            extras(g, report);
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** Writes one line per flagged client, then {@code {"summary": {...}}}. */
    public static void writeNdjson(ScanReport report, Writer out) throws IOException {
        for (ScanReport.FlaggedIp ip : report.ips()) {
            try (JsonGenerator g = JSON.createGenerator(out)) {
                ip(g, ip);
            }
            out.write('\n');
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("summary");
            summary(g, report.summary());
            extras(g, report);
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** Endpoint detections and notes, only when there are any: §4's shape stays exact otherwise. */
    private static void extras(JsonGenerator g, ScanReport report) throws IOException {
        if (!report.endpoints().isEmpty()) {
            detections(g, "endpoints", report.endpoints());
        }
        if (!report.notes().isEmpty()) {
            strings(g, "notes", report.notes());
        }
    }

    /** Behaviour detections: which rule fired, how sure, on what count in which window, and when. */
    private static void detections(JsonGenerator g, String field, List<Detection> detections) throws IOException {
        g.writeArrayFieldStart(field);
        for (Detection d : detections) {
            g.writeStartObject();
            g.writeStringField("rule", d.ruleId());
            g.writeStringField("category", d.category().wireName());
            g.writeStringField("confidence", d.confidence().wireName());
            g.writeStringField("key", d.groupKey());
            g.writeNumberField("count", d.count());
            g.writeNumberField("window_seconds", d.window().toSeconds());
            time(g, "first_seen", d.firstMillis() < 0 ? null : Instant.ofEpochMilli(d.firstMillis()));
            time(g, "last_seen", d.lastMillis() < 0 ? null : Instant.ofEpochMilli(d.lastMillis()));
            strings(g, "tags", d.tags());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void summary(JsonGenerator g, ScanReport.Summary s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("files", s.files());
        g.writeNumberField("lines", s.lines());
        g.writeNumberField("parsed", s.parsed());
        g.writeNumberField("unparsed", s.unparsed());
        g.writeNumberField("flagged_ips", s.flaggedIps());
        g.writeNumberField("flagged_requests", s.flaggedRequests());
        g.writeNumberField("elapsed_ms", s.elapsedMillis());
        g.writeEndObject();
    }

    private static void ip(JsonGenerator g, ScanReport.FlaggedIp ip) throws IOException {
        g.writeStartObject();
        g.writeStringField("ip", ip.ip().toString());
        verdict(g, ip.verdict());
        g.writeNumberField("hits", ip.hits());
        time(g, "first_seen", ip.firstSeen());
        time(g, "last_seen", ip.lastSeen());
        g.writeArrayFieldStart("top_paths");
        for (ScanReport.PathCount p : ip.topPaths()) {
            g.writeStartObject();
            g.writeStringField("path", p.path());
            g.writeNumberField("count", p.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("statuses");
        for (Map.Entry<Integer, Long> e : ip.statuses().entrySet()) {
            g.writeNumberField(String.valueOf(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        strings(g, "user_agents", ip.userAgents());
        strings(g, "samples", ip.samples());
        g.writeArrayFieldStart("first_hits");
        for (LinePosition p : ip.firstHits()) {
            g.writeStartObject();
            g.writeStringField("file", p.file());
            g.writeNumberField("line", p.line());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!ip.detections().isEmpty()) {
            detections(g, "detections", ip.detections());
        }
        g.writeEndObject();
    }

    /** The verdict's fields of §4 ({@code verdict, level, categories, tags}), categories as {@code lookup} prints them. */
    private static void verdict(JsonGenerator g, Verdict v) throws IOException {
        g.writeStringField("verdict", v.kind().wireName());
        if (v.level() == null) {
            g.writeNullField("level");
        } else {
            g.writeStringField("level", v.level().wireName());
        }
        g.writeFieldName("categories");
        VerdictJson.MAPPER.writeTree(g, VerdictJson.categories(v.categories()));
        strings(g, "tags", v.tags());
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void time(JsonGenerator g, String field, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, t.toString());
        }
    }
}
