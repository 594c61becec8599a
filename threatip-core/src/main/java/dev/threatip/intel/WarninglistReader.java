package dev.threatip.intel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import dev.threatip.net.Cidr;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads MISP warninglists ({@code {name, version, description, type, list:[...],
 * matching_attributes}}): lists of known-good or known-benign space. Read with Jackson's
 * streaming parser so each entry keeps the line its value starts on.
 *
 * <p>Every list item that is an IP or CIDR is an entry. What happens to the others depends on
 * the list's {@code type}: in a {@code cidr} list an item that is not an address is a bad line;
 * {@code string}, {@code substring}, {@code hostname} and {@code regex} lists mix addresses with
 * domains and URLs by design, so their other items are skipped silently (they are not IP data)
 * unless shaped like a broken address ({@code 192.0.2.300}), which is a bad line. Since
 * {@code type} may come after {@code list} in the file, the verdict on such items waits for the
 * end of the object.
 *
 * <p>Header: title from {@code name}, {@code description}, published from {@code version} when
 * it reads as a date {@code yyyyMMdd} (MISP's convention); declared entries is the list's length.
 * Malformed JSON, a top-level value that is not an object, or no {@code list} array is a
 * {@link FeedFormatException} with the line.
 */
final class WarninglistReader implements FeedReader {
    /** Nesting deeper than this is refused; a warninglist is two levels deep. */
    private static final int MAX_DEPTH = 64;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(1 << 20).build())
            .build();

    private static final DateTimeFormatter VERSION_DATE = DateTimeFormatter.BASIC_ISO_DATE;

    /** A stateless reader. */
    WarninglistReader() {
    }

    /** An item that is not an address, judged once the list's type is known. */
    private record Pending(long line, String text, boolean addressShaped) {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        long items = 0;
        try (InputStream in = NamedInput.open(input); JsonParser p = JSON.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new FeedFormatException(file, 0, "empty file: not a MISP warninglist");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new FeedFormatException(file, line(p), "not a MISP warninglist: expected a JSON object, found "
                        + first.asString());
            }
            String name = null;
            String description = null;
            String version = null;
            String type = null;
            boolean sawList = false;
            List<Pending> pending = new ArrayList<>();
            long[] scratch = new long[2];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "name" -> name = scalar(p, value);
                    case "description" -> description = scalar(p, value);
                    case "version" -> version = scalar(p, value);
                    case "type" -> type = scalar(p, value);
                    case "list" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new FeedFormatException(file, line(p), "'list' must be an array");
                        }
                        sawList = true;
                        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                            items++;
                            long line = line(p);
                            if (t != JsonToken.VALUE_STRING) {
                                context.badLine(file, line, "list item is not a string but " + describe(t));
                                p.skipChildren();
                                continue;
                            }
                            String text = p.getText().strip();
                            Cidr network = AddressToken.parse(text, scratch);
                            if (network != null) {
                                sink.accept(new FeedEntry(network, Evidence.NONE, line));
                            } else {
                                // Only the quoted prefix is ever shown; keep no more than that.
                                String kept = text.length() > AddressToken.QUOTE_LIMIT + 1
                                        ? text.substring(0, AddressToken.QUOTE_LIMIT + 1) : text;
                                pending.add(new Pending(line, kept, AddressToken.looksLikeAddress(text)));
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new FeedFormatException(file, line(p), "malformed warninglist object");
            }
            if (!sawList) {
                throw new FeedFormatException(file, 0, "not a MISP warninglist: no 'list' array");
            }
            boolean strict = type == null || type.equals("cidr");
            for (Pending item : pending) {
                if (strict || item.addressShaped) {
                    context.badLine(file, item.line, AddressToken.why(item.text));
                }
            }
            return new FeedHeader(name, description, null, null, versionDate(version), items, null);
        } catch (JsonProcessingException e) {
            throw new FeedFormatException(file, e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr()),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (CharConversionException e) {
            throw new FeedFormatException(file, 0, "not valid JSON text: " + e.getMessage());
        } finally {
            context.countLines(items);
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static long line(JsonParser p) {
        return Math.max(0, p.currentTokenLocation().getLineNr());
    }

    /** The text of a scalar value, null for null, and nested values skipped. */
    private static String scalar(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        return value == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static Instant versionDate(String version) {
        if (version == null || version.length() != 8) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(version, VERSION_DATE);
            // MISP also uses counters and yyMMddHH stamps; only a plausible calendar year is a date.
            return d.getYear() >= 2000 && d.getYear() <= 2100 ? d.atStartOfDay().toInstant(ZoneOffset.UTC) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
