package dev.threatip.intel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A JSON document read into a Jackson tree that remembers where things stood: the line where
 * each object and array starts, and the line of the values of a few named fields (a STIX
 * {@code pattern}, a MISP attribute's {@code value}). Jackson's own trees drop locations, and
 * feed entries must name their line, so the tree is built here from the streaming parser.
 *
 * <p>Hostile input is bounded by the parser's {@link StreamReadConstraints}: nesting deeper than
 * {@value #MAX_DEPTH} (STIX and MISP never go past ten) and strings longer than
 * {@value #MAX_STRING} characters fail as {@link FeedFormatException}, so the recursive build
 * below can never overflow the stack. Every parse failure names the file and line.
 */
final class LocatedJson {
    /** Deepest nesting accepted; also bounds the recursion of {@link #value}. */
    static final int MAX_DEPTH = 200;
    /** Longest string value accepted, in characters. */
    static final int MAX_STRING = 8 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING)
                    .build())
            .build();
    private static final int MAX_WHY = 200;

    private final Set<String> lineFields;
    private final Map<JsonNode, Long> starts = new IdentityHashMap<>();
    private final Map<JsonNode, Map<String, Long>> fieldLines = new IdentityHashMap<>();
    private final Map<JsonNode, long[]> elementLines = new IdentityHashMap<>();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private JsonNode root;

    private LocatedJson(Set<String> lineFields) {
        this.lineFields = lineFields;
    }

    /**
     * Reads one JSON value, and nothing after it, from {@code in}.
     *
     * @param file       the file as named in errors
     * @param lineFields field names whose value lines are kept (see {@link #fieldLine})
     * @throws FeedFormatException when the text is empty, not JSON, truncated or too deep
     * @throws IOException         when reading fails; the message names the file
     */
    static LocatedJson parse(InputStream in, String file, Set<String> lineFields) throws IOException {
        LocatedJson json = new LocatedJson(lineFields);
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new FeedFormatException(file, 0, "empty file, expected JSON");
            }
            json.root = json.value(p, first, file);
            if (p.nextToken() != null) {
                throw new FeedFormatException(file, line(p), "unexpected content after the JSON document");
            }
            return json;
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw new FeedFormatException(file, line, "not valid JSON: " + shorten(e.getOriginalMessage()));
        } catch (CharConversionException e) {
            // Jackson's UTF-32 decoder reports undecodable bytes this way: bad content, not bad I/O.
            throw new FeedFormatException(file, 0, "not valid JSON text: " + shorten(e.getMessage()));
        } catch (FeedFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The document's top-level value. */
    JsonNode root() {
        return root;
    }

    /** The 1-based line where {@code container} (an object or array of this tree) starts, or 0. */
    long line(JsonNode container) {
        Long l = starts.get(container);
        return l == null ? 0 : l;
    }

    /**
     * The line of the value of {@code field} in {@code object} when the field was named at
     * parse time and present, else the object's own line.
     */
    long fieldLine(JsonNode object, String field) {
        Map<String, Long> lines = fieldLines.get(object);
        Long l = lines == null ? null : lines.get(field);
        return l != null ? l : line(object);
    }

    /**
     * The line where element {@code index} of {@code array} starts, scalars included, so a
     * stray number in a list of objects is reported where it stands; else the array's line.
     */
    long elementLine(JsonNode array, int index) {
        long[] lines = elementLines.get(array);
        return lines != null && index < lines.length ? lines[index] : line(array);
    }

    private JsonNode value(JsonParser p, JsonToken t, String file) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = nodes.objectNode();
                starts.put(o, line(p));
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    JsonToken vt = p.nextToken();
                    if (lineFields.contains(name)) {
                        fieldLines.computeIfAbsent(o, k -> new HashMap<>(4)).put(name, line(p));
                    }
                    o.set(name, value(p, vt, file));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = nodes.arrayNode();
                starts.put(a, line(p));
                long[] lines = new long[8];
                int n = 0;
                for (JsonToken vt = p.nextToken(); vt != JsonToken.END_ARRAY; vt = p.nextToken()) {
                    if (vt == null) {
                        throw new FeedFormatException(file, line(p), "JSON ends inside an array");
                    }
                    if (n == lines.length) {
                        lines = Arrays.copyOf(lines, n * 2);
                    }
                    lines[n++] = line(p);
                    a.add(value(p, vt, file));
                }
                elementLines.put(a, n == lines.length ? lines : Arrays.copyOf(lines, n));
                return a;
            }
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? nodes.numberNode(p.getBigIntegerValue()) : nodes.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new FeedFormatException(file, line(p), "unexpected JSON token " + t);
        }
    }

    private static long line(JsonParser p) {
        return Math.max(0, p.currentTokenLocation().getLineNr());
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        // Jackson names the source even when it hides it; the file is in the message already.
        String oneLine = s.replace("[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); ", "[")
                .replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= MAX_WHY ? oneLine : oneLine.substring(0, MAX_WHY) + "...";
    }
}
