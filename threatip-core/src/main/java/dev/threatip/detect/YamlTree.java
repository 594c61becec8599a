package dev.threatip.detect;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree that remembers where each value stood, so errors in rule
 * files and policies can name line and column: Jackson's own trees drop locations. Duplicate
 * keys are refused (a rule file that says {@code window} twice means one of them silently).
 */
public final class YamlTree {
    /** Makes the typed exception of the file format being read ({@link InvalidRuleException} for rules). */
    @FunctionalInterface
    public interface Errors {
        /**
         * @param key    the offending key, or empty
         * @param why    what is wrong
         * @param line   1-based line, 0 when unknown
         * @param column 1-based column, 0 when unknown
         */
        RuntimeException at(String key, String why, int line, int column);
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final int MAX_DEPTH = 64;

    private final Map<JsonNode, int[]> starts = new IdentityHashMap<>();
    private final Map<JsonNode, Map<String, int[]>> keys = new IdentityHashMap<>();
    private final Map<JsonNode, Map<Integer, int[]>> items = new IdentityHashMap<>();
    private final JsonNode root;

    private final Errors errors;

    private YamlTree(String file, String text, Errors errors) {
        this.errors = errors;
        JsonNode r;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            r = t == null ? JsonNodeFactory.instance.objectNode() : value(p, t, 0);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw errors.at("", "not valid YAML: " + e.getOriginalMessage(),
                    at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr());
        } catch (IOException e) {
            throw errors.at("", "cannot read: " + e.getMessage(), 0, 0);
        }
        root = r;
    }

    /** A rule file's tree: errors are {@link InvalidRuleException}s. */
    static YamlTree parse(String file, String text) {
        return parse(file, text, (key, why, line, column) -> new InvalidRuleException(file, null, key, why, line, column));
    }

    /**
     * Parses {@code text}; every problem (not YAML, duplicate key, too deep) is thrown as the
     * exception {@code errors} makes, with line and column.
     */
    public static YamlTree parse(String file, String text, Errors errors) {
        return new YamlTree(file, text, errors);
    }

    public JsonNode root() {
        return root;
    }

    /** Line and column of a container node, or {0, 0}. */
    public int[] at(JsonNode container) {
        return starts.getOrDefault(container, new int[2]);
    }

    /** Line and column of the value of {@code key} in an object, else of the object. */
    public int[] at(JsonNode object, String key) {
        Map<String, int[]> m = keys.get(object);
        int[] p = m == null ? null : m.get(key);
        return p != null ? p : at(object);
    }

    /** Line and column of element {@code i} of an array, else of the array. */
    public int[] at(JsonNode array, int i) {
        Map<Integer, int[]> m = items.get(array);
        int[] p = m == null ? null : m.get(i);
        return p != null ? p : at(array);
    }

    private JsonNode value(JsonParser p, JsonToken t, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw errors.at("", "nested deeper than " + MAX_DEPTH + " levels",
                    p.currentLocation().getLineNr(), p.currentLocation().getColumnNr());
        }
        int[] here = {p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr()};
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                starts.put(o, here);
                Map<String, int[]> locs = new HashMap<>();
                keys.put(o, locs);
                while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    int[] keyAt = {p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr()};
                    if (o.has(name)) {
                        throw errors.at(name, "duplicate key '" + name + "'",
                                keyAt[0], keyAt[1]);
                    }
                    JsonToken vt = p.nextToken();
                    locs.put(name, new int[] {p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr()});
                    o.set(name, value(p, vt, depth + 1));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                starts.put(a, here);
                Map<Integer, int[]> locs = new HashMap<>();
                items.put(a, locs);
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    locs.put(a.size(), new int[] {p.currentTokenLocation().getLineNr(), p.currentTokenLocation().getColumnNr()});
                    a.add(value(p, t, depth + 1));
                }
                return a;
            }
            case VALUE_STRING -> {
                return f.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return f.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return f.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return f.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return f.nullNode();
            }
            default -> throw errors.at("", "unexpected YAML token " + t, here[0], here[1]);
        }
    }
}
