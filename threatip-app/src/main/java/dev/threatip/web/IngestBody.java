package dev.threatip.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of one ingest body, split on bytes. Raw text is split on LF (a CR before it is
 * dropped) and blank lines are skipped. NDJSON is validated whole before anything is handed on:
 * every line must be one JSON object; a record with a string {@code log} or {@code message}
 * member (what Fluent Bit and Vector send) stands for that raw line, any other record is itself a
 * JSON access-log line. A body mixing the two kinds is refused, since the handler takes one kind
 * per call and splitting it could accept half a body. A JSON array of such records is accepted
 * too (Vector's default HTTP framing).
 *
 * @param json  whether the lines are JSON access-log records
 * @param lines the lines, none empty
 */
record IngestBody(boolean json, List<byte[]> lines) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /** Raw log lines. */
    static IngestBody raw(byte[] body) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!blank(body, start, end)) {
                    lines.add(Arrays.copyOfRange(body, start, end));
                }
                start = i + 1;
            }
        }
        return new IngestBody(false, lines);
    }

    /**
     * NDJSON records, or one JSON array of records.
     *
     * @throws ApiError 400 naming the first bad line (or array element) and why
     */
    static IngestBody ndjson(byte[] body) {
        int first = 0;
        while (first < body.length && isSpace(body[first])) {
            first++;
        }
        if (first < body.length && body[first] == '[') {
            return array(body);
        }
        Collector out = new Collector();
        int start = 0;
        int lineNo = 0;
        int lastContent = lastNonSpace(body);
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                lineNo++;
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (blank(body, start, end)) {
                    if (start <= lastContent) {
                        throw ApiError.badRequest("line " + lineNo + ": empty; each line must be one JSON object");
                    }
                } else {
                    out.add(record(body, start, end, "line " + lineNo), "line " + lineNo,
                            Arrays.copyOfRange(body, start, end));
                }
                start = i + 1;
            }
        }
        return out.body();
    }

    private static IngestBody array(byte[] body) {
        Collector out = new Collector();
        try (JsonParser p = FACTORY.createParser(body)) {
            p.nextToken();
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                n++;
                String where = "array element " + n;
                if (t != JsonToken.START_OBJECT) {
                    throw ApiError.badRequest(where + ": not a JSON object");
                }
                JsonNode node = MAPPER.readTree(p);
                out.add(node, where, MAPPER.writeValueAsBytes(node));
            }
            if (p.nextToken() != null) {
                throw ApiError.badRequest("the body has content after the JSON array");
            }
        } catch (JsonEOFException e) {
            throw ApiError.badRequest("the JSON array is not closed");
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body is not a JSON array of objects: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.body();
    }

    private static JsonNode record(byte[] body, int from, int to, String where) {
        try (JsonParser p = FACTORY.createParser(body, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.badRequest(where + ": not a JSON object");
            }
            JsonNode node = MAPPER.readTree(p);
            if (p.nextToken() != null) {
                throw ApiError.badRequest(where + ": more than one JSON value; put one object per line");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects records, all of one kind. */
    private static final class Collector {
        private final List<byte[]> lines = new ArrayList<>();
        private Boolean json;
        private String firstWhere;

        void add(JsonNode node, String where, byte[] text) {
            JsonNode log = node.get("log");
            if (log == null || !log.isTextual()) {
                log = node.get("message");
            }
            boolean isJson = log == null || !log.isTextual();
            if (json == null) {
                json = isJson;
                firstWhere = where;
            } else if (json != isJson) {
                throw ApiError.badRequest(where + ": " + (isJson ? "a JSON access-log record" : "a record with a string "
                        + "log/message member") + " after " + firstWhere + " was the other kind; send raw-line "
                        + "records (log/message) and JSON access-log records in separate requests");
            }
            if (isJson) {
                lines.add(text);
            } else {
                byte[] raw = log.textValue().getBytes(StandardCharsets.UTF_8);
                int end = raw.length;
                while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
                    end--;
                }
                if (end == 0) {
                    throw ApiError.badRequest(where + ": the log/message member is empty");
                }
                lines.add(end == raw.length ? raw : Arrays.copyOf(raw, end));
            }
        }

        IngestBody body() {
            if (lines.isEmpty()) {
                throw ApiError.badRequest("the body has no records");
            }
            return new IngestBody(json, lines);
        }
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isSpace(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static int lastNonSpace(byte[] b) {
        int i = b.length - 1;
        while (i >= 0 && isSpace(b[i])) {
            i--;
        }
        return i;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
