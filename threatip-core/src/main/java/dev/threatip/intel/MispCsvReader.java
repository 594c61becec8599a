package dev.threatip.intel;

import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a MISP CSV export: a header row naming the columns, then one attribute per record
 * (RFC 4180 quoting; a quoted field may span lines). Columns are found by name, so both MISP's
 * full export ({@code uuid,event_id,category,type,value,comment,to_ids,date,object_relation,
 * attribute_tag,...}) and trimmed ones ({@code value,type,category,to_ids,comment}) read.
 *
 * <p>Required columns: {@code type} and {@code value}. The same type rules as
 * {@link MispReader} apply ({@code ip-src}, {@code ip-dst}, {@code ip}, {@code ip-src|port},
 * {@code ip-dst|port}, {@code domain|ip}; other types passed over). {@code to_ids}
 * ({@code 1}/{@code true}) is honoured as there, with the same {@code to-ids=any} option; a
 * file without the column is taken whole, as its exporter already chose the rows. Optional:
 * {@code date} (epoch seconds, {@code yyyyMMdd} or ISO) → last seen, {@code first_seen} /
 * {@code last_seen} when exported, {@code attribute_tag} and {@code event_tag} (comma-separated
 * tag names) → tags and categories, {@code threat_level_id} or {@code event_threat_level_id} →
 * score. A record with an unparseable address, time or quoting, or longer than
 * {@value CsvRecords#MAX_RECORD} characters (64 KiB, ample for one attribute), is a bad line; it
 * is reported at the line where it starts. Quoting is read strictly ({@link CsvRecords#strict}):
 * MISP quotes every field that needs it, so a stray quote means a broken file.
 * The header's published time is the newest {@code date} read.
 */
public final class MispCsvReader implements FeedReader {
    /** A stateless reader; one instance may serve any number of feeds. */
    public MispCsvReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        boolean anyToIds = MispAttributes.anyToIds(context, file);
        try (Reader in = new InputStreamReader(input.open(),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            CsvRecords records = CsvRecords.strict(in, ',');
            Map<String, Integer> columns = null;
            long headerLine = 0;
            Instant newest = null;
            for (CsvRecords.Row row = records.next(); row != null; row = records.next()) {
                long line = row.line();
                if (row.isBlank()) {
                    continue;
                }
                if (columns == null) {
                    columns = header(row, file);
                    headerLine = line;
                    continue;
                }
                context.countLines(1);
                if (row.error() != null) {
                    context.badLine(file, line, row.tooLong() ? row.error() : "bad CSV quoting: " + row.error());
                    continue;
                }
                Instant date = row(row.fields(), columns, line, file, anyToIds, context, sink);
                newest = MispAttributes.newest(newest, date);
            }
            if (columns == null) {
                throw new FeedFormatException(file, headerLine, "empty file: no MISP CSV header");
            }
            return new FeedHeader(null, null, null, null, newest, -1, null);
        }
    }

    private static Map<String, Integer> header(CsvRecords.Row row, String file) {
        if (row.error() != null) {
            throw new FeedFormatException(file, row.line(), "not a MISP CSV header: " + row.error());
        }
        List<String> names = row.fields();
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip().toLowerCase(Locale.ROOT);
            columns.putIfAbsent(name, i);
        }
        if (!columns.containsKey("type") || !columns.containsKey("value")) {
            String record = String.join(",", names);
            String shown = record.length() > 120 ? record.substring(0, 120) + "..." : record;
            throw new FeedFormatException(file, row.line(),
                    "not a MISP CSV header: expected columns 'type' and 'value', found '" + shown + "'");
        }
        return columns;
    }

    /** Sends the record's entry, if any; returns its date for the header. */
    private static Instant row(List<String> fields, Map<String, Integer> columns, long line, String file,
                               boolean anyToIds, FeedContext context, Consumer<FeedEntry> sink) {
        String type = field(fields, columns, "type");
        if (type == null || !MispAttributes.isAddressType(type.strip())) {
            return null;
        }
        type = type.strip();
        String toIds = field(fields, columns, "to_ids");
        if (!anyToIds && columns.containsKey("to_ids") && !MispAttributes.isTrue(toIds == null ? null : toIds.strip())) {
            return null;
        }
        String value = field(fields, columns, "value");
        if (value == null || value.isBlank()) {
            context.badLine(file, line, type + " record has no value");
            return null;
        }
        Cidr cidr;
        try {
            cidr = Cidr.parse(MispAttributes.addressPart(type, value.strip()).strip());
        } catch (IllegalArgumentException e) {
            String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
            context.badLine(file, line, type + " value '" + shown + "' is not an IP address or CIDR");
            return null;
        }
        Instant date;
        Instant first;
        Instant last;
        try {
            date = MispAttributes.time(field(fields, columns, "date"));
            first = MispAttributes.time(field(fields, columns, "first_seen"));
            last = MispAttributes.time(field(fields, columns, "last_seen"));
        } catch (IllegalArgumentException e) {
            context.badLine(file, line, "time " + e.getMessage());
            return null;
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        Set<String> tags = new LinkedHashSet<>();
        for (String column : List.of("attribute_tag", "event_tag")) {
            String list = field(fields, columns, column);
            if (list != null) {
                for (String tag : list.split(",")) {
                    MispAttributes.addTag(tag, categories, tags);
                }
            }
        }
        String level = field(fields, columns, "threat_level_id");
        int score = MispAttributes.score(level != null ? level : field(fields, columns, "event_threat_level_id"));
        Evidence evidence = new Evidence(categories, score, 0, first, last != null ? last : date, null,
                tags.stream().limit(MispAttributes.MAX_TAGS).toList());
        sink.accept(new FeedEntry(cidr, evidence, line));
        return date;
    }

    private static String field(List<String> fields, Map<String, Integer> columns, String name) {
        Integer i = columns.get(name);
        return i == null || i >= fields.size() ? null : fields.get(i);
    }
}
