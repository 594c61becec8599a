package dev.threatip.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.threatip.net.AddressClass;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code feeds:} section of {@code threatip.yaml} (DESIGN.md §5), the part that
 * {@code feeds compile} reads:
 * <pre>
 * feeds:
 *   specs: [/var/lib/feeds/blocklist_de_ssh.ipset, "https://host/list.txt,name=x"]
 *   allow_special: [private]   # address classes let into the snapshot
 *   refresh: 24h               # for serve; checked here, used there
 * </pre>
 * The other sections of DESIGN.md §5 belong to other commands and are skipped; an unknown key
 * anywhere this reads is an error naming the file, line, column and key.
 *
 * @param specs         feed spec strings
 * @param allowSpecial  special-purpose classes allowed into the snapshot
 */
record FeedsConfig(List<String> specs, Set<AddressClass> allowSpecial) {
    private static final List<String> SECTIONS = List.of("feeds", "inputs", "rules", "policy", "alerts", "blocking",
            "server", "geo");
    private static final List<String> FEED_KEYS = List.of("specs", "allow_special", "refresh");

    static FeedsConfig load(Path file) throws IOException {
        List<String> specs = new ArrayList<>();
        Set<AddressClass> special = EnumSet.noneOf(AddressClass.class);
        try (JsonParser p = new YAMLFactory().createParser(file.toFile())) {
            JsonToken root = p.nextToken();
            if (root == null) {
                return new FeedsConfig(List.of(), Set.of());
            }
            if (root != JsonToken.START_OBJECT) {
                throw error(file, p, "expected a mapping of sections (" + String.join(", ", SECTIONS) + ")");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String section = p.currentName();
                if (!SECTIONS.contains(section)) {
                    throw error(file, p, "unknown key '" + section + "'; known: " + String.join(", ", SECTIONS));
                }
                JsonToken value = p.nextToken();
                if (!section.equals("feeds")) {
                    p.skipChildren();
                    continue;
                }
                if (value == JsonToken.VALUE_NULL) {
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    throw error(file, p, "feeds: expected a mapping with " + String.join(", ", FEED_KEYS));
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    switch (key) {
                        case "specs" -> specs.addAll(strings(file, p, "feeds.specs"));
                        case "allow_special" -> {
                            for (String c : strings(file, p, "feeds.allow_special")) {
                                try {
                                    special.add(AddressClass.fromWire(c));
                                } catch (IllegalArgumentException e) {
                                    throw error(file, p, "feeds.allow_special: " + e.getMessage());
                                }
                            }
                        }
                        case "refresh" -> {
                            String v = p.getValueAsString();
                            if (v == null || !v.matches("[1-9][0-9]*[smhd]")) {
                                throw error(file, p, "feeds.refresh: '" + p.getText()
                                        + "' is not a duration like 30m, 1h or 24h");
                            }
                        }
                        default -> throw error(file, p, "unknown key 'feeds." + key + "'; known: "
                                + String.join(", ", FEED_KEYS));
                    }
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InputException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        }
        return new FeedsConfig(List.copyOf(specs), Set.copyOf(special));
    }

    /** A list of strings, or a single string as a list of one. */
    private static List<String> strings(Path file, JsonParser p, String key) throws IOException {
        List<String> out = new ArrayList<>();
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            out.add(p.getText());
            return out;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(file, p, key + ": expected a list of strings");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error(file, p, key + ": expected a string, got '" + p.getText() + "'");
            }
            out.add(p.getText());
        }
        return out;
    }

    private static InputException error(Path file, JsonParser p, String why) {
        JsonLocation at = p.currentTokenLocation();
        return new InputException(file + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + why);
    }
}
