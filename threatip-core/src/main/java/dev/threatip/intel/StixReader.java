package dev.threatip.intel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads STIX 2.1 JSON: a bundle ({@code {"type":"bundle","objects":[...]}}), a bare array of
 * STIX objects, or one STIX object.
 *
 * <p>Entries come from {@code indicator} objects whose {@code pattern_type} is {@code stix} or
 * absent; the pattern is checked by a strict scanner ({@link StixPattern}) and every address or
 * CIDR it asserts for {@code ipv4-addr:value}, {@code ipv6-addr:value} or
 * {@code network-traffic:src_ref.value}/{@code dst_ref.value} (with {@code =}, {@code IN} or
 * {@code ISSUBSET}) becomes an entry at the line of the pattern. Silently passed over, as they
 * are not about addresses: other object types, other pattern languages (Snort, YARA, Sigma),
 * patterns on domains, URLs or file hashes, and indicators of type {@code benign}.
 * {@code revoked: true} indicators are dropped without a report. A pattern that breaks the
 * grammar, a non-address value on an address path, or a bad {@code confidence} or timestamp is
 * a bad line, and the indicator is skipped.
 *
 * <p>Evidence per indicator: {@code confidence} → score; {@code valid_from} → first seen;
 * {@code modified}, else {@code valid_from} → last seen; {@code valid_until} → valid until (an
 * expired indicator is still read; expiry is the compiler's call). {@code indicator_types}
 * map by the STIX open vocabulary: {@code anonymization} → network_proxy,
 * {@code compromised} and {@code malicious-activity} → network_attack; the others
 * ({@code anomalous-activity}, {@code attribution}) become tags, {@code unknown} is dropped.
 * {@code labels} map through {@link IntelTagVocabulary}; those naming no category become
 * tags, as does the indicator's {@code name} when at most {@value #MAX_NAME_TAG} characters.
 *
 * <p>Header: the title is the name of the first {@code identity} object, else the bundle id;
 * published is the newest {@code modified} or {@code created} of any object.
 */
public final class StixReader implements FeedReader {
    private static final int MAX_NAME_TAG = 80;
    private static final int MAX_TAGS = 16;
    private static final Map<String, Category> INDICATOR_TYPES = Map.of(
            "anonymization", Category.NETWORK_PROXY,
            "compromised", Category.NETWORK_ATTACK,
            "malicious-activity", Category.NETWORK_ATTACK);

    /** A stateless reader; one instance may serve any number of feeds. */
    public StixReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        LocatedJson json;
        try (InputStream in = input.open()) {
            json = LocatedJson.parse(in, file, Set.of("pattern"));
        }
        JsonNode root = json.root();
        JsonNode objects;
        String bundleId = null;
        if (root.isArray()) {
            objects = root;
        } else if (root.isObject() && "bundle".equals(text(root, "type"))) {
            objects = root.get("objects");
            bundleId = text(root, "id");
            if (objects == null) {
                return new FeedHeader(bundleId, null, null, null, null, -1, null); // an empty bundle
            }
            if (!objects.isArray()) {
                throw new FeedFormatException(file, json.line(root), "bundle 'objects' is not an array");
            }
        } else if (root.isObject() && text(root, "type") != null) {
            objects = json.root();
        } else {
            throw new FeedFormatException(file, json.line(root),
                    "not STIX: expected a bundle, an array of STIX objects or one STIX object");
        }

        String identity = null;
        Instant published = null;
        Iterable<JsonNode> list = objects.isArray() ? objects : List.of(objects);
        int index = 0;
        for (JsonNode object : list) {
            if (!object.isObject() || text(object, "type") == null) {
                context.countLines(1);
                context.badLine(file, objects.isArray() ? json.elementLine(objects, index) : json.line(object),
                        "objects[" + index + "] is not a STIX object (no 'type')");
                index++;
                continue;
            }
            index++;
            String type = text(object, "type");
            published = newest(published, quietInstant(text(object, "modified")));
            published = newest(published, quietInstant(text(object, "created")));
            if (identity == null && "identity".equals(type)) {
                identity = text(object, "name");
            }
            if ("indicator".equals(type)) {
                indicator(file, json, object, context, sink);
            }
        }
        return new FeedHeader(identity != null ? identity : bundleId, null, identity, null, published, -1, null);
    }

    private static void indicator(String file, LocatedJson json, JsonNode ind, FeedContext context,
                                  Consumer<FeedEntry> sink) {
        String patternType = text(ind, "pattern_type");
        if (ind.path("revoked").asBoolean(false) || (patternType != null && !patternType.equals("stix"))) {
            return;
        }
        context.countLines(1);
        long line = json.fieldLine(ind, "pattern");
        JsonNode pattern = ind.get("pattern");
        if (pattern == null || !pattern.isTextual()) {
            context.badLine(file, line, "indicator " + idOf(ind) + " has no pattern string");
            return;
        }
        List<StixPattern.IpValue> values;
        try {
            values = StixPattern.ipValues(pattern.asText());
        } catch (StixPattern.MalformedPatternException e) {
            context.badLine(file, line, "malformed STIX pattern in " + idOf(ind) + ": " + e.getMessage());
            return;
        }
        if (values.isEmpty()) {
            return; // a pattern on domains, hashes, URLs...: not about addresses
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode t : ind.path("indicator_types")) {
            String type = t.asText("");
            if (type.equals("benign")) {
                return; // a feed saying an address is good is not evidence against it
            }
            Category c = INDICATOR_TYPES.get(type);
            if (c != null) {
                categories.add(c);
            } else if (!type.isEmpty() && !type.equals("unknown")) {
                tags.add(type);
            }
        }
        for (JsonNode l : ind.path("labels")) {
            String label = l.asText("");
            Set<Category> mapped = IntelTagVocabulary.categoriesOf(label);
            if (mapped.isEmpty()) {
                if (!label.isEmpty()) {
                    tags.add(label);
                }
            } else {
                categories.addAll(mapped);
            }
        }
        String name = text(ind, "name");
        if (name != null && !name.isBlank() && name.length() <= MAX_NAME_TAG) {
            tags.add(name);
        }

        int score = Evidence.NO_SCORE;
        JsonNode confidence = ind.get("confidence");
        if (confidence != null && !confidence.isNull()) {
            if (!confidence.isIntegralNumber() || confidence.asLong() < 0 || confidence.asLong() > 100) {
                context.badLine(file, line, "indicator " + idOf(ind) + " confidence '" + confidence
                        + "' is not an integer 0-100");
                return;
            }
            score = confidence.asInt();
        }
        Instant validFrom;
        Instant modified;
        Instant validUntil;
        try {
            validFrom = instant(ind, "valid_from");
            modified = instant(ind, "modified");
            validUntil = instant(ind, "valid_until");
        } catch (IllegalArgumentException e) {
            context.badLine(file, line, "indicator " + idOf(ind) + " " + e.getMessage());
            return;
        }

        List<Cidr> networks = new ArrayList<>(values.size());
        for (StixPattern.IpValue v : values) {
            Cidr cidr;
            try {
                cidr = Cidr.parse(v.value());
            } catch (IllegalArgumentException e) {
                if (v.path().startsWith("network-traffic:")) {
                    continue; // a *_ref may point at a domain-name: not an address, not an error
                }
                context.badLine(file, line, v.path() + " value '" + v.value() + "' is not an IP address or CIDR");
                return;
            }
            boolean wantV4 = v.path().startsWith("ipv4-addr:");
            boolean wantV6 = v.path().startsWith("ipv6-addr:");
            if ((wantV4 && !cidr.isIpv4()) || (wantV6 && cidr.isIpv4())) {
                context.badLine(file, line, v.path() + " value '" + v.value() + "' is of the other address family");
                return;
            }
            if (!networks.contains(cidr)) {
                networks.add(cidr);
            }
        }
        Evidence evidence = new Evidence(categories, score, 0, validFrom, modified != null ? modified : validFrom,
                validUntil, tags.stream().limit(MAX_TAGS).toList());
        for (Cidr cidr : networks) {
            sink.accept(new FeedEntry(cidr, evidence, line));
        }
    }

    private static String idOf(JsonNode object) {
        String id = text(object, "id");
        return id != null ? id : "(no id)";
    }

    private static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** An RFC 3339 timestamp field, null when absent; throws naming the field when malformed. */
    private static Instant instant(JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        Instant i = v.isTextual() ? quietInstant(v.asText()) : null;
        if (i == null) {
            throw new IllegalArgumentException(field + " '" + v.asText() + "' is not an RFC 3339 timestamp");
        }
        return i;
    }

    private static Instant quietInstant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant newest(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
