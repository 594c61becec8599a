package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Every decision as a JSON object, with what the export left out:
 * {@code {"generated", "exported", "capacity", "left_out": {"total", "by_reason", "first"},
 * "notes", "decisions": [{"id", "scope", "type", "origin", "created", "expires", "reason",
 * "policy", "category", "confidence", "hits", "offence"}]}}.
 */
final class JsonFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.records(
            "json",
            "JSON: every decision, and what was left out",
            "application/json",
            ".json",
            Capacity.unlimited("a JSON file has no limit"));


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        ObjectNode root = JsonOutput.NODES.objectNode();
        root.put("generated", s.options().now().toString());
        root.put("exported", s.entries().size());
        root.put("capacity", s.capacity().describe());
        ObjectNode left = root.putObject("left_out");
        left.put("total", s.leftOut().size());
        ObjectNode byReason = left.putObject("by_reason");
        s.leftOutCounts().forEach((r, n) -> byReason.put(r.wireName(), n));
        ArrayNode first = left.putArray("first");
        List<LeftOut> shown = s.leftOut().subList(0, Math.min(FileHeader.LISTED, s.leftOut().size()));
        for (LeftOut l : shown) {
            first.addObject().put("scope", l.decision().scope().toString()).put("type", l.decision().type().wireName())
                    .put("reason", l.reason().wireName()).put("detail", l.detail());
        }
        ArrayNode notes = root.putArray("notes");
        s.notes().forEach(notes::add);
        ArrayNode decisions = root.putArray("decisions");
        for (Selection.Entry e : s.entries()) {
            decisions.add(decision(e.decision()));
        }
        JsonOutput.write(root, out);
    }

    /** A decision's fields, as the export writes them. */
    static ObjectNode decision(Decision d) {
        ObjectNode o = JsonOutput.NODES.objectNode();
        o.put("id", d.id());
        o.put("scope", d.scope().toString());
        o.put("type", d.type().wireName());
        o.put("origin", d.origin().wireName());
        o.put("created", d.created().toString());
        o.put("expires", d.expires().toString());
        o.put("reason", d.reason());
        o.put("policy", d.policy());
        o.put("category", d.category() == null ? null : d.category().wireName());
        o.put("confidence", d.confidence() == null ? null : d.confidence().wireName());
        o.put("hits", d.hits());
        o.put("offence", d.offence());
        return o;
    }
}
