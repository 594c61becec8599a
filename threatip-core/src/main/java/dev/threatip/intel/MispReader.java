package dev.threatip.intel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads MISP feeds: a feed directory, or one event JSON file.
 *
 * <p>A directory holds {@code manifest.json}. In MISP's own feed layout the manifest is an
 * object keyed by event uuid, and each event is {@code <uuid>.json} (or {@code .json.gz})
 * beside it or under {@code events/}; an event the manifest names but the directory lacks is a
 * bad line of the manifest, and a corrupt event file is a bad line of that file, neither fatal.
 * Some publishers write a manifest that describes the feed instead ({@code name}, {@code url},
 * {@code default_org}); then every {@code *.json} under {@code events/} (else beside the
 * manifest) is an event, in name order. An event file is {@code {"Event": {...}}}, a bare
 * event object, an array of {@code {"Event": ...}}, or an API answer {@code {"response": [...]}}.
 *
 * <p>Entries come from {@code Event.Attribute[]} and {@code Event.Object[].Attribute[]} of type
 * {@code ip-src}, {@code ip-dst}, {@code ip} (not a MISP type, tolerated), {@code ip-src|port},
 * {@code ip-dst|port} (the address before {@code |}) and {@code domain|ip} (the address after
 * it); values may be CIDRs. Other types are passed over silently. Skipped without a report:
 * {@code deleted} attributes and objects, and, unless the feed option {@code to-ids=any} is
 * set, attributes whose {@code to_ids} is not true (the default {@code to-ids=true} keeps what
 * the publisher marked for detection). An address that does not parse, or a malformed time, is
 * a bad line and the attribute is skipped. Each entry stands at the line of its attribute's
 * {@code value}, in the event file.
 *
 * <p>Evidence: the event's {@code threat_level_id} 1/2/3/4 → score 90/60/30/none; first seen
 * from the attribute's {@code first_seen}, else the event {@code date}; last seen from the
 * attribute's {@code last_seen}, else its {@code timestamp}, else the event's; tags from the
 * attribute's and the event's {@code Tag[].name}, mapped to categories as
 * {@link IntelTagVocabulary} documents ({@code tlp:} and {@code workflow:} tags dropped).
 *
 * <p>Header: the title is the manifest's {@code name}, else the feed folder's name, or for one
 * event file its {@code info}; published is the newest event {@code timestamp} or {@code date}.
 */
public final class MispReader implements FeedReader {
    private static final Pattern UUID = Pattern.compile("[0-9A-Fa-f-]{1,64}");
    private static final Set<String> LINE_FIELDS = Set.of("value");

    /** A stateless reader; one instance may serve any number of feeds. */
    public MispReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        boolean anyToIds = MispAttributes.anyToIds(context, input.displayName());
        Facts facts = new Facts();
        if (Files.isDirectory(input.path())) {
            return readDirectory(input, anyToIds, context, sink, facts);
        }
        readEventFile(input.path(), input.displayName(), anyToIds, context, sink, facts);
        return new FeedHeader(facts.info, null, facts.org, null, facts.newest, -1, null);
    }

    private FeedHeader readDirectory(FeedInput input, boolean anyToIds, FeedContext context,
                                     Consumer<FeedEntry> sink, Facts facts) throws IOException {
        Path dir = input.path();
        Path manifestPath = dir.resolve("manifest.json");
        String manifestName = nameOf(input, manifestPath);
        if (!Files.isRegularFile(manifestPath)) {
            throw new FeedFormatException(input.displayName(), 0, "MISP feed directory has no manifest.json");
        }
        LocatedJson manifest;
        try (InputStream in = FeedInput.open(manifestPath)) {
            manifest = LocatedJson.parse(in, manifestName, Set.of());
        }
        JsonNode root = manifest.root();
        if (!root.isObject()) {
            throw new FeedFormatException(manifestName, manifest.line(root), "manifest.json is not a JSON object");
        }
        String folder = dir.getFileName() == null ? input.displayName() : dir.getFileName().toString();
        if (isKeyedByUuid(root)) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long line = manifest.line(e.getValue());
                String uuid = e.getKey();
                if (!UUID.matcher(uuid).matches()) {
                    context.countLines(1);
                    context.badLine(manifestName, line, "manifest key '" + shorten(uuid) + "' is not an event uuid");
                    continue;
                }
                Path event = findEvent(dir, uuid);
                if (event == null) {
                    context.countLines(1);
                    context.badLine(manifestName, line, "event " + uuid + " named in the manifest is missing: no "
                            + uuid + ".json beside manifest.json or in events/");
                    continue;
                }
                readEventInFeed(event, nameOf(input, event), anyToIds, context, sink, facts);
            }
            return new FeedHeader(folder, null, facts.org, null, facts.newest, -1, null);
        }
        List<Path> events = listEvents(dir);
        if (events.isEmpty()) {
            throw new FeedFormatException(manifestName, 0,
                    "manifest.json names no events and the feed holds no event JSON beside it or in events/");
        }
        for (Path event : events) {
            readEventInFeed(event, nameOf(input, event), anyToIds, context, sink, facts);
        }
        String title = text(root, "name");
        String org = text(root, "default_org");
        return new FeedHeader(title != null ? title : folder, text(root, "description"),
                org != null ? org : facts.org, null, facts.newest, -1, text(root, "url"));
    }

    /** MISP's own layout: a non-empty object of objects (uuid → event summary). */
    private static boolean isKeyedByUuid(JsonNode manifest) {
        if (manifest.isEmpty()) {
            return false;
        }
        for (JsonNode v : manifest) {
            if (!v.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static Path findEvent(Path dir, String uuid) {
        for (String name : List.of(uuid + ".json", "events/" + uuid + ".json", uuid + ".json.gz",
                "events/" + uuid + ".json.gz")) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static List<Path> listEvents(Path dir) throws IOException {
        Path events = dir.resolve("events");
        Path where = Files.isDirectory(events) ? events : dir;
        try (Stream<Path> files = Files.list(where)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return (n.endsWith(".json") || n.endsWith(".json.gz")) && !n.equals("manifest.json");
                    })
                    .sorted()
                    .toList();
        }
    }

    /** One event of a directory feed: a corrupt file is reported and the feed goes on. */
    private void readEventInFeed(Path event, String name, boolean anyToIds, FeedContext context,
                                 Consumer<FeedEntry> sink, Facts facts) throws IOException {
        try {
            readEventFile(event, name, anyToIds, context, sink, facts);
        } catch (FeedFormatException e) {
            context.countLines(1);
            context.badLine(e.file(), e.line(), e.why());
        }
    }

    private void readEventFile(Path path, String file, boolean anyToIds, FeedContext context,
                               Consumer<FeedEntry> sink, Facts facts) throws IOException {
        LocatedJson json;
        try (InputStream in = FeedInput.open(path)) {
            json = LocatedJson.parse(in, file, LINE_FIELDS);
        }
        JsonNode root = json.root();
        JsonNode response = root.isObject() ? root.get("response") : null;
        if (response != null && response.isArray()) {
            root = response;
        }
        List<JsonNode> events = new ArrayList<>();
        if (root.isArray()) {
            for (JsonNode wrapper : root) {
                events.add(eventOf(wrapper, json, file));
            }
        } else {
            events.add(eventOf(root, json, file));
        }
        for (JsonNode event : events) {
            readEvent(file, json, event, anyToIds, context, sink, facts);
        }
    }

    private static JsonNode eventOf(JsonNode node, LocatedJson json, String file) {
        if (node.isObject()) {
            JsonNode event = node.get("Event");
            if (event != null) {
                if (!event.isObject()) {
                    throw new FeedFormatException(file, json.line(node), "'Event' is not a JSON object");
                }
                return event;
            }
            if (node.has("Attribute") || node.has("Object") || node.has("info")) {
                return node; // a bare event, as some publishers write
            }
        }
        throw new FeedFormatException(file, json.line(node.isContainerNode() ? node : json.root()),
                "not a MISP event: expected {\"Event\": {...}} or an event object");
    }

    private static void readEvent(String file, LocatedJson json, JsonNode event, boolean anyToIds,
                                  FeedContext context, Consumer<FeedEntry> sink, Facts facts) {
        Instant date = quietTime(text(event, "date"));
        Instant timestamp = quietTime(text(event, "timestamp"));
        facts.newest = MispAttributes.newest(facts.newest, MispAttributes.newest(date, timestamp));
        if (facts.info == null) {
            facts.info = text(event, "info");
        }
        if (facts.org == null) {
            facts.org = text(event.path("Orgc"), "name");
        }
        EventFacts ev = new EventFacts(MispAttributes.score(text(event, "threat_level_id")), date, timestamp,
                tagNames(event));
        attributes(file, json, event.get("Attribute"), ev, anyToIds, context, sink);
        JsonNode objects = event.get("Object");
        if (objects != null && objects.isArray()) {
            for (JsonNode object : objects) {
                if (object.isObject() && !MispAttributes.isTrue(text(object, "deleted"))) {
                    attributes(file, json, object.get("Attribute"), ev, anyToIds, context, sink);
                }
            }
        }
    }

    private static void attributes(String file, LocatedJson json, JsonNode attributes, EventFacts ev,
                                   boolean anyToIds, FeedContext context, Consumer<FeedEntry> sink) {
        if (attributes == null || !attributes.isArray()) {
            return;
        }
        int index = -1;
        for (JsonNode a : attributes) {
            index++;
            if (!a.isObject()) {
                context.countLines(1);
                context.badLine(file, json.elementLine(attributes, index), "attribute is not a JSON object");
                continue;
            }
            String type = text(a, "type");
            if (!MispAttributes.isAddressType(type)) {
                continue;
            }
            context.countLines(1);
            long line = json.fieldLine(a, "value");
            if (MispAttributes.isTrue(text(a, "deleted")) || (!anyToIds && !MispAttributes.isTrue(text(a, "to_ids")))) {
                continue;
            }
            String value = text(a, "value");
            if (value == null) {
                context.badLine(file, line, type + " attribute has no value");
                continue;
            }
            Cidr cidr;
            Instant firstSeen;
            Instant lastSeen;
            try {
                cidr = Cidr.parse(MispAttributes.addressPart(type, value).trim());
            } catch (IllegalArgumentException e) {
                context.badLine(file, line, type + " value '" + shorten(value) + "' is not an IP address or CIDR");
                continue;
            }
            try {
                Instant first = MispAttributes.time(text(a, "first_seen"));
                Instant last = MispAttributes.time(text(a, "last_seen"));
                Instant stamp = MispAttributes.time(text(a, "timestamp"));
                firstSeen = first != null ? first : ev.date;
                lastSeen = last != null ? last : stamp != null ? stamp : ev.timestamp;
            } catch (IllegalArgumentException e) {
                context.badLine(file, line, type + " attribute time " + e.getMessage());
                continue;
            }
            Set<Category> categories = EnumSet.noneOf(Category.class);
            Set<String> tags = new LinkedHashSet<>();
            for (String t : tagNames(a)) {
                MispAttributes.addTag(t, categories, tags);
            }
            for (String t : ev.tags) {
                MispAttributes.addTag(t, categories, tags);
            }
            Evidence evidence = new Evidence(categories, ev.score, 0, firstSeen, lastSeen, null,
                    tags.stream().limit(MispAttributes.MAX_TAGS).toList());
            sink.accept(new FeedEntry(cidr, evidence, line));
        }
    }

    private static List<String> tagNames(JsonNode holder) {
        JsonNode tags = holder.get("Tag");
        if (tags == null || !tags.isArray()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode t : tags) {
            String name = text(t, "name");
            if (name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** A field as text: strings as they are, numbers and booleans as written, else null. */
    private static String text(JsonNode object, String field) {
        JsonNode v = object.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    private static Instant quietTime(String text) {
        try {
            return MispAttributes.time(text);
        } catch (IllegalArgumentException e) {
            return null; // an event-level date only fills gaps; a bad one must not cost the event
        }
    }

    /** How a file of the feed is named in reports: its path, or the feed's name plus the relative path. */
    private static String nameOf(FeedInput input, Path file) {
        if (input.displayName().equals(input.path().toString())) {
            return file.toString();
        }
        return input.displayName() + "/" + input.path().relativize(file);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** What the header is built from, gathered across events. */
    private static final class Facts {
        String info;
        String org;
        Instant newest;
    }

    /** What an event lends its attributes. */
    private record EventFacts(int score, Instant date, Instant timestamp, List<String> tags) {
    }
}
