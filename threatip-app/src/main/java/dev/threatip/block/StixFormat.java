package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.intel.Confidence;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A STIX 2.1 bundle: threatip's {@code identity} and one {@code indicator} per decision, with
 * pattern {@code [ipv4-addr:value = '203.0.113.7']} (or {@code ipv6-addr}, CIDRs as values),
 * {@code valid_from} = created, {@code valid_until} = expires, {@code confidence} on STIX's
 * 0-100 scale (high 85, moderate 50, general 15), labels = the type and the category. Ids are
 * UUIDv5 of the decision (RFC 4122 §4.3), so the same decision keeps its indicator id from one
 * export to the next and a consumer updates rather than duplicates.
 */
final class StixFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.records(
            "stix",
            "STIX 2.1 bundle of indicators with valid_from and valid_until",
            "application/stix+json;version=2.1",
            ".stix.json",
            Capacity.unlimited("a STIX bundle has no limit"));

    /** The namespace of threatip's STIX ids. */
    private static final UUID NAMESPACE = UUID.fromString("6f3c2a8e-1d4b-4e7a-9c55-0b8e2f7d9a61");
    /** A fixed creation time, so threatip's identity object is the same object in every export. */
    private static final Instant IDENTITY_CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final DateTimeFormatter STIX_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        String identity = "identity--" + uuid5("identity:threatip");
        ObjectNode bundle = JsonOutput.NODES.objectNode();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + uuid5("bundle:" + s.options().name() + ":" + s.options().now() + ":" + s.entries().size()));
        ArrayNode objects = bundle.putArray("objects");
        ObjectNode id = objects.addObject();
        id.put("type", "identity");
        id.put("spec_version", "2.1");
        id.put("id", identity);
        id.put("created", time(IDENTITY_CREATED));
        id.put("modified", time(IDENTITY_CREATED));
        id.put("name", "threatip");
        id.put("identity_class", "system");
        for (Selection.Entry e : s.entries()) {
            objects.add(indicator(e.decision(), identity));
        }
        JsonOutput.write(bundle, out);
    }

    private static ObjectNode indicator(Decision d, String identity) {
        String value = SafeText.address(d.scope());
        ObjectNode o = JsonOutput.NODES.objectNode();
        o.put("type", "indicator");
        o.put("spec_version", "2.1");
        o.put("id", "indicator--" + uuid5("decision:" + d.id() + ":" + d.scope() + ":" + d.created().toEpochMilli()));
        o.put("created_by_ref", identity);
        o.put("created", time(d.created()));
        o.put("modified", time(d.created()));
        o.put("name", "threatip " + d.type().wireName() + " " + value);
        if (d.reason() != null && !d.reason().isBlank()) {
            o.put("description", SafeText.plain(d.reason(), 1000));
        }
        o.putArray("indicator_types").add("malicious-activity");
        // the value is an address or CIDR written by threatip: it holds no quote to escape
        o.put("pattern", "[" + (d.scope().isIpv4() ? "ipv4-addr" : "ipv6-addr") + ":value = '" + value + "']");
        o.put("pattern_type", "stix");
        o.put("pattern_version", "2.1");
        o.put("valid_from", time(d.created()));
        o.put("valid_until", time(d.expires()));
        if (d.confidence() != null) {
            o.put("confidence", stixConfidence(d.confidence()));
        }
        ArrayNode labels = o.putArray("labels").add(d.type().wireName());
        if (d.category() != null) {
            labels.add(d.category().wireName());
        }
        return o;
    }

    /** STIX 2.1 Appendix A's High/Medium/Low scale. */
    static int stixConfidence(Confidence c) {
        return switch (c) {
            case HIGH -> 85;
            case MODERATE -> 50;
            case GENERAL -> 15;
        };
    }

    private static String time(Instant t) {
        return STIX_TIME.format(t);
    }

    /** A name-based UUID, version 5 (SHA-1), in threatip's namespace. */
    static UUID uuid5(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
            return new UUID(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }
}
