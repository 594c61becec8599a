package dev.threatip.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.intel.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one mapping of {@code threatip.yaml} strictly: every key must be known, every value of
 * the expected kind and range, and each refusal names the key by its dotted path.
 */
final class ConfigReader {
    private final String file;
    private final String path;
    private final JsonNode node;

    ConfigReader(String file, String path, JsonNode node, Set<String> known) {
        this.file = file;
        this.path = path;
        this.node = node;
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw error(path, known == null ? "expected a mapping" : "expected a mapping with keys " + String.join(", ", known));
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext() && known != null; ) {
                String k = it.next();
                if (!known.contains(k)) {
                    throw error(key(k), "unknown key; known: " + String.join(", ", known));
                }
            }
        }
    }

    /** Whether the mapping was given (not absent, not null). */
    boolean present() {
        return node != null && !node.isNull();
    }

    boolean has(String k) {
        return present() && node.has(k) && !node.get(k).isNull();
    }

    JsonNode raw(String k) {
        return present() ? node.get(k) : null;
    }

    ConfigReader section(String k, Set<String> known) {
        return new ConfigReader(file, key(k), raw(k), known);
    }

    /** A mapping whose keys are names the user chooses (channels, policies, headers). */
    ConfigReader names(String k) {
        return new ConfigReader(file, key(k), raw(k), null);
    }

    String string(String k, String fallback) {
        if (!has(k)) {
            return fallback;
        }
        JsonNode v = node.get(k);
        if (!v.isValueNode() || v.isBoolean()) {
            throw error(key(k), "expected a text value");
        }
        return v.asText();
    }

    /** One of {@code allowed}. */
    String choice(String k, String fallback, List<String> allowed) {
        String v = string(k, fallback);
        if (v != null && !allowed.contains(v)) {
            throw error(key(k), "'" + v + "' is not allowed; allowed: " + String.join(", ", allowed));
        }
        return v;
    }

    boolean bool(String k, boolean fallback) {
        if (!has(k)) {
            return fallback;
        }
        JsonNode v = node.get(k);
        if (!v.isBoolean()) {
            throw error(key(k), "'" + v.asText() + "' is not true or false");
        }
        return v.asBoolean();
    }

    int integer(String k, int fallback, int min, int max) {
        if (!has(k)) {
            return fallback;
        }
        JsonNode v = node.get(k);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw error(key(k), "'" + v.asText() + "' is out of range; allowed: " + min + " to " + max);
        }
        return v.asInt();
    }

    Duration duration(String k, Duration fallback, Duration min, Duration max) {
        String text = string(k, null);
        if (text == null) {
            return fallback;
        }
        Duration d;
        try {
            d = DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(key(k), "'" + text + "' is not a duration like 30s, 15m, 24h or 7d");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error(key(k), "'" + text + "' is out of range; allowed: " + DurationText.format(min) + " to "
                    + DurationText.format(max));
        }
        return d;
    }

    /** A list of strings; a single string counts as a list of one. */
    List<String> strings(String k) {
        List<String> out = new ArrayList<>();
        if (!has(k)) {
            return out;
        }
        JsonNode v = node.get(k);
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw error(key(k), "expected a list of text values");
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            if (!item.isValueNode() || item.isNull() || item.isBoolean()) {
                throw error(key(k) + "[" + i + "]", "expected a text value");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** The mapping's entries, for free-form maps. */
    Iterator<Map.Entry<String, JsonNode>> entries() {
        return present() ? node.fields() : List.<Map.Entry<String, JsonNode>>of().iterator();
    }

    String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    ConfigException error(String key, String why) {
        return new ConfigException(file, key, why);
    }
}
