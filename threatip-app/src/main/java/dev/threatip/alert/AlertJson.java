package dev.threatip.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.store.PathCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The alert payload of the README's schema: written into the outbox when a policy fires, read
 * back by the delivery worker, and sent as the webhook body with {@code id} and {@code sent_at}
 * in front.
 */
final class AlertJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertJson() {
    }

    static ObjectNode toJson(Alert a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("policy", a.policy());
        o.put("group", a.group().wireName());
        o.put("ip", a.ip().toString());
        o.put("verdict", a.verdict().wireName());
        o.put("level", a.level().wireName());
        ArrayNode cats = o.putArray("categories");
        for (CategoryVerdict c : a.categories()) {
            ObjectNode n = cats.addObject();
            n.put("category", c.category().wireName());
            n.put("confidence", c.confidence().wireName());
            n.put("source", c.source());
            ArrayNode rules = n.putArray("rules");
            c.rules().forEach(rules::add);
            ArrayNode feeds = n.putArray("feeds");
            c.feeds().forEach(feeds::add);
        }
        o.put("hits", a.hits());
        ArrayNode paths = o.putArray("top_paths");
        for (PathCount p : a.topPaths()) {
            paths.addObject().put("path", p.path()).put("count", p.count());
        }
        ArrayNode agents = o.putArray("user_agents");
        a.userAgents().forEach(agents::add);
        putInstant(o, "first_seen", a.firstSeen());
        putInstant(o, "last_seen", a.lastSeen());
        o.put("profile_url", a.profileUrl());
        o.put("count", a.count());
        ArrayNode ips = o.putArray("ips");
        for (Alert.Member m : a.ips()) {
            ips.addObject().put("ip", m.ip().toString()).put("level", m.level().wireName()).put("hits", m.hits())
                    .put("profile_url", m.profileUrl());
        }
        putInstant(o, "created", a.created());
        return o;
    }

    static String write(Alert a) {
        try {
            return MAPPER.writeValueAsString(toJson(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an alert as JSON", e);
        }
    }

    /** The webhook body: {@code id} and {@code sent_at} (epoch seconds, = X-Threatip-Timestamp), then the payload. */
    static String body(long id, long sentAt, String payload) {
        try {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("id", id);
            o.put("sent_at", sentAt);
            o.setAll((ObjectNode) MAPPER.readTree(payload));
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the stored alert payload is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Alert read(String payload) {
        JsonNode o;
        try {
            o = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the stored alert payload is not JSON: " + e.getOriginalMessage(), e);
        }
        List<CategoryVerdict> cats = new ArrayList<>();
        for (JsonNode c : o.path("categories")) {
            cats.add(new CategoryVerdict(Category.fromWire(c.path("category").asText()), Confidence.fromWire(c.path("confidence").asText()),
                    c.path("source").asText(), texts(c.path("rules")), texts(c.path("feeds"))));
        }
        List<PathCount> paths = new ArrayList<>();
        for (JsonNode p : o.path("top_paths")) {
            paths.add(new PathCount(p.path("path").asText(), p.path("count").asLong()));
        }
        List<Alert.Member> members = new ArrayList<>();
        for (JsonNode m : o.path("ips")) {
            members.add(new Alert.Member(IpAddress.parse(m.path("ip").asText()), ThreatLevel.fromWire(m.path("level").asText()),
                    m.path("hits").asLong(), m.path("profile_url").asText()));
        }
        return new Alert(o.path("policy").asText(),
                AlertPolicy.Grouping.valueOf(o.path("group").asText("ip").toUpperCase(Locale.ROOT)),
                IpAddress.parse(o.path("ip").asText()), Verdict.Kind.valueOf(o.path("verdict").asText().toUpperCase(Locale.ROOT)),
                ThreatLevel.fromWire(o.path("level").asText()), cats, o.path("hits").asLong(), paths, texts(o.path("user_agents")),
                instant(o, "first_seen"), instant(o, "last_seen"), o.path("profile_url").asText(), o.path("count").asInt(1),
                members, instant(o, "created"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void putInstant(ObjectNode o, String k, Instant t) {
        if (t == null) {
            o.putNull(k);
        } else {
            o.put(k, t.toString());
        }
    }

    private static Instant instant(JsonNode o, String k) {
        JsonNode n = o.get(k);
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }
}
