package dev.threatip.intel;

import dev.threatip.net.Cidr;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads CSV feeds with configurable columns, AbuseIPDB exports being the model. RFC 4180 quoting
 * (see {@link CsvRecords}); blank lines and lines starting with {@code #} are skipped.
 *
 * <p>Options (from the feed spec, e.g. {@code abuse.csv,format=csv,score-column=confidence}):
 * <table>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code has-header}</td><td>{@code true}</td><td>whether the first record names the
 *       columns; when {@code false}, columns are given by number</td></tr>
 *   <tr><td>{@code ip-column}</td><td>first of {@code ip, ipAddress, ip_address, IP, address}
 *       (column 1 without a header)</td><td>the IP or CIDR; a value that is not one is a bad line</td></tr>
 *   <tr><td>{@code score-column}</td><td>first of {@code abuseConfidenceScore, confidence, score}</td>
 *       <td>the feed's score 0-100 ({@link Evidence#score()})</td></tr>
 *   <tr><td>{@code categories-column}</td><td>first of {@code categories, category}</td><td>AbuseIPDB
 *       category ids or category wire names, separated by {@code ,} {@code ;} {@code |} or blanks;
 *       ids threatip has no category for are kept as tags {@code abuseipdb:N}, other words as tags</td></tr>
 *   <tr><td>{@code last-seen-column}</td><td>first of {@code lastReportedAt, last_seen, lastSeen,
 *       last_reported, ReportDate}</td><td>ISO-8601 instant, offset date-time, local date-time
 *       (UTC) or date, or epoch seconds</td></tr>
 *   <tr><td>{@code first-seen-column}</td><td>first of {@code firstReportedAt, first_seen, firstSeen}</td>
 *       <td>as last seen</td></tr>
 *   <tr><td>{@code delimiter}</td><td>{@code ,}</td><td>one character, or {@code tab}</td></tr>
 * </table>
 * A column is named as in the header (exactly, else ignoring case) or by its number counted
 * from 1, as {@code cut -f} counts. Default column names match ignoring case. A named column the
 * header lacks, or a bad option value, makes the feed unreadable ({@link FeedFormatException});
 * a bad value in a row is a bad line.
 */
final class CsvFeedReader implements FeedReader {
    /** AbuseIPDB's category ids (abuseipdb.com/categories) that map onto threatip's categories. */
    static final Map<Integer, Category> ABUSEIPDB_CATEGORIES = Map.ofEntries(
            Map.entry(4, Category.NETWORK_ATTACK),   // DDoS Attack
            Map.entry(5, Category.BRUTE_FORCE),      // FTP Brute-Force
            Map.entry(6, Category.NETWORK_ATTACK),   // Ping of Death
            Map.entry(9, Category.NETWORK_PROXY),    // Open Proxy
            Map.entry(10, Category.MALICIOUS_BOT),   // Web Spam
            Map.entry(12, Category.MALICIOUS_BOT),   // Blog Spam
            Map.entry(13, Category.NETWORK_PROXY),   // VPN IP
            Map.entry(14, Category.SCANNER),         // Port Scan
            Map.entry(15, Category.EXPLOIT),         // Hacking
            Map.entry(16, Category.WEB_ATTACK),      // SQL Injection
            Map.entry(18, Category.BRUTE_FORCE),     // Brute-Force
            Map.entry(19, Category.MALICIOUS_BOT),   // Bad Web Bot
            Map.entry(20, Category.NETWORK_ATTACK),  // Exploited Host
            Map.entry(21, Category.WEB_ATTACK),      // Web App Attack
            Map.entry(22, Category.BRUTE_FORCE),     // SSH
            Map.entry(23, Category.EXPLOIT));        // IoT Targeted

    private static final List<String> IP_COLUMNS = List.of("ip", "ipAddress", "ip_address", "IP", "address");
    private static final List<String> SCORE_COLUMNS = List.of("abuseConfidenceScore", "confidence", "score");
    private static final List<String> CATEGORY_COLUMNS = List.of("categories", "category");
    private static final List<String> LAST_SEEN_COLUMNS =
            List.of("lastReportedAt", "last_seen", "lastSeen", "last_reported", "ReportDate");
    private static final List<String> FIRST_SEEN_COLUMNS = List.of("firstReportedAt", "first_seen", "firstSeen");
    private static final int MAX_TAGS_PER_ROW = 32;
    private static final int MAX_INTERNED = 65_536;

    /** A stateless reader. */
    CsvFeedReader() {
    }

    /** Column positions (0-based, -1 when absent) resolved once per feed. */
    private record Columns(int ip, int score, int categories, int lastSeen, int firstSeen) {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        String file = input.displayName();
        char delimiter = delimiter(file, context.option("delimiter", ","));
        boolean hasHeader = switch (context.option("has-header", "true")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new FeedFormatException(file, 0, "option has-header must be true or false, not '"
                    + context.option("has-header", "") + "'");
        };
        long dataLines = 0;
        try (Reader reader = new InputStreamReader(NamedInput.open(input), StandardCharsets.UTF_8)) {
            CsvRecords records = new CsvRecords(reader, delimiter);
            Columns columns = hasHeader ? null : numberedColumns(file, context);
            Map<Evidence, Evidence> interned = new HashMap<>();
            long[] scratch = new long[2];
            for (CsvRecords.Row row = records.next(); row != null; row = records.next()) {
                if (row.isBlank() || (row.error() == null && row.fields().get(0).startsWith("#"))) {
                    continue;
                }
                if (columns == null) {
                    if (row.error() != null) {
                        throw new FeedFormatException(file, row.line(), "bad header row: " + row.error());
                    }
                    columns = namedColumns(file, row, context);
                    continue;
                }
                dataLines++;
                String why = row.error() != null ? row.error() : readRow(row, columns, scratch, interned, sink);
                if (why != null) {
                    context.badLine(file, row.line(), why);
                }
            }
        } finally {
            context.countLines(dataLines);
        }
        return FeedHeader.EMPTY;
    }

    /** Sends the row's entry to the sink; returns why the row is bad, or null. */
    private static String readRow(CsvRecords.Row row, Columns c, long[] scratch, Map<Evidence, Evidence> interned,
                                  Consumer<FeedEntry> sink) {
        List<String> f = row.fields();
        if (c.ip >= f.size()) {
            return "no column " + (c.ip + 1) + " (the IP); the row has " + f.size();
        }
        String ipText = f.get(c.ip).strip();
        Cidr network = AddressToken.parse(ipText, scratch);
        if (network == null) {
            return AddressToken.why(ipText);
        }
        int score = Evidence.NO_SCORE;
        String s = field(f, c.score);
        if (!s.isEmpty()) {
            score = parseScore(s);
            if (score == Evidence.NO_SCORE) {
                return "score is not a number 0-100: " + AddressToken.quote(s);
            }
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        List<String> tags = new ArrayList<>();
        String cats = field(f, c.categories);
        if (!cats.isEmpty()) {
            readCategories(cats, categories, tags);
        }
        Instant lastSeen = null;
        Instant firstSeen = null;
        String last = field(f, c.lastSeen);
        if (!last.isEmpty() && (lastSeen = parseTime(last)) == null) {
            return "last seen is not an ISO-8601 time or epoch seconds: " + AddressToken.quote(last);
        }
        String first = field(f, c.firstSeen);
        if (!first.isEmpty() && (firstSeen = parseTime(first)) == null) {
            return "first seen is not an ISO-8601 time or epoch seconds: " + AddressToken.quote(first);
        }
        Evidence e = new Evidence(categories, score, 0, firstSeen, lastSeen, null, tags);
        if (e.equals(Evidence.NONE)) {
            e = Evidence.NONE;
        } else {
            Evidence known = interned.get(e);
            if (known != null) {
                e = known;
            } else if (interned.size() < MAX_INTERNED) {
                interned.put(e, e);
            }
        }
        sink.accept(new FeedEntry(network, e, row.line()));
        return null;
    }

    private static String field(List<String> f, int index) {
        return index < 0 || index >= f.size() ? "" : f.get(index).strip();
    }

    private static int parseScore(String s) {
        try {
            double d = Double.parseDouble(s);
            return d >= 0 && d <= 100 ? (int) Math.round(d) : Evidence.NO_SCORE;
        } catch (NumberFormatException e) {
            return Evidence.NO_SCORE;
        }
    }

    private static void readCategories(String text, Set<Category> categories, List<String> tags) {
        for (String token : text.split("[,;|\\s]+")) {
            String t = token.strip();
            if (t.isEmpty() || tags.size() >= MAX_TAGS_PER_ROW) {
                continue;
            }
            if (t.length() <= 4 && t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                int id = Integer.parseInt(t);
                Category mapped = ABUSEIPDB_CATEGORIES.get(id);
                if (mapped != null) {
                    categories.add(mapped);
                } else {
                    tags.add("abuseipdb:" + id);
                }
                continue;
            }
            Category named = wireCategory(t);
            if (named != null) {
                categories.add(named);
            } else {
                tags.add(t.length() > ListLineParser.MAX_TAG ? t.substring(0, ListLineParser.MAX_TAG) : t);
            }
        }
    }

    private static Category wireCategory(String t) {
        String lower = t.toLowerCase(Locale.ROOT);
        for (Category c : Category.values()) {
            if (c.wireName().equals(lower)) {
                return c;
            }
        }
        return null;
    }

    /** An instant from ISO-8601 text (instant, offset, local date-time as UTC, date) or epoch seconds. */
    static Instant parseTime(String s) {
        if (s.length() <= 12 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return Instant.ofEpochSecond(Long.parseLong(s));
        }
        String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset; try the forms without one
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a local date-time either
        }
        try {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static char delimiter(String file, String value) {
        if (value.equals("tab") || value.equals("\\t")) {
            return '\t';
        }
        if (value.length() != 1 || value.charAt(0) == '"' || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new FeedFormatException(file, 0, "option delimiter must be one character other than a quote "
                    + "or line break, or 'tab'; got '" + value + "'");
        }
        return value.charAt(0);
    }

    private static Columns numberedColumns(String file, FeedContext context) {
        return new Columns(number(file, "ip-column", context.option("ip-column", "1")),
                optionalNumber(file, "score-column", context),
                optionalNumber(file, "categories-column", context),
                optionalNumber(file, "last-seen-column", context),
                optionalNumber(file, "first-seen-column", context));
    }

    private static int optionalNumber(String file, String option, FeedContext context) {
        String v = context.option(option, null);
        return v == null ? -1 : number(file, option, v);
    }

    private static int number(String file, String option, String value) {
        if (value.length() <= 4 && !value.isEmpty() && value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n - 1;
            }
        }
        throw new FeedFormatException(file, 0, "option " + option + " must be a column number 1-9999 when "
                + "has-header=false; got '" + value + "'");
    }

    private static Columns namedColumns(String file, CsvRecords.Row header, FeedContext context) {
        List<String> names = header.fields();
        int ip = column(file, header, "ip-column", context.option("ip-column", null), IP_COLUMNS);
        if (ip < 0) {
            throw new FeedFormatException(file, header.line(), "no IP column: the header has none of "
                    + String.join(", ", IP_COLUMNS) + " (columns: " + shortList(names) + "); set ip-column");
        }
        return new Columns(ip,
                column(file, header, "score-column", context.option("score-column", null), SCORE_COLUMNS),
                column(file, header, "categories-column", context.option("categories-column", null), CATEGORY_COLUMNS),
                column(file, header, "last-seen-column", context.option("last-seen-column", null), LAST_SEEN_COLUMNS),
                column(file, header, "first-seen-column", context.option("first-seen-column", null), FIRST_SEEN_COLUMNS));
    }

    private static int column(String file, CsvRecords.Row header, String option, String wanted, List<String> defaults) {
        List<String> names = header.fields();
        if (wanted == null) {
            for (String d : defaults) {
                for (int i = 0; i < names.size(); i++) {
                    if (names.get(i).equalsIgnoreCase(d)) {
                        return i;
                    }
                }
            }
            return -1;
        }
        int exact = names.indexOf(wanted);
        if (exact >= 0) {
            return exact;
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(wanted)) {
                return i;
            }
        }
        if (!wanted.isEmpty() && wanted.length() <= 4 && wanted.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                && Integer.parseInt(wanted) >= 1) {
            return Integer.parseInt(wanted) - 1;
        }
        throw new FeedFormatException(file, header.line(), "option " + option + " names column '" + wanted
                + "', which the header lacks (columns: " + shortList(names) + ")");
    }

    private static String shortList(List<String> names) {
        String all = String.join(", ", names);
        return all.length() > 200 ? all.substring(0, 200) + "..." : all;
    }
}
