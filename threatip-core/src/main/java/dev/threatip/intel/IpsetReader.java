package dev.threatip.intel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads FireHOL {@code .ipset}/{@code .netset} files: the leading {@code #} comment block is the
 * header, the rest is a plain list (read by {@link ListLineParser}).
 *
 * <p>Header fields, as FireHOL's {@code update-ipsets.sh} writes them:
 * <ul>
 *   <li>title: the first non-empty comment line that is a single word ({@code blocklist_de_ssh});
 *   <li>description: the paragraph after the {@code # ipv4 hash:ip ipset} line, joined into one line;
 *   <li>{@code Maintainer}, {@code List source URL}, {@code Category} as written (empty means absent);
 *   <li>published: {@code This File Date} ({@code Mon Jan 24 11:00:09 UTC 2022}), else
 *       {@code Source File Date};
 *   <li>declared entries: from {@code Entries}. A netset says {@code 2511 subnets, 618830080
 *       unique IPs}; the subnet count is its number of lines, so that is taken. An ipset says only
 *       {@code 7802 unique IPs}, which is its number of lines when it lists single addresses
 *       (the common case) and an upper bound when it also lists a few CIDRs.
 * </ul>
 * A missing or unparsable field is left absent; the header never makes a feed unreadable.
 */
final class IpsetReader implements FeedReader {
    /** Header lines kept; a FireHOL header has about 30, the rest of a long comment block is ignored. */
    private static final int MAX_HEADER_LINES = 200;

    private static final Pattern SET_TYPE = Pattern.compile("ipv[46] hash:\\S+ ipset");
    private static final Pattern FIELD = Pattern.compile(
            "(Maintainer|Maintainer URL|List source URL|Source File Date|Category|Version|This File Date"
                    + "|Update Frequency|Aggregation|Entries)\\s*:\\s*(.*)");
    private static final Pattern SUBNETS = Pattern.compile("(\\d{1,12}) subnets?\\b.*");
    private static final Pattern UNIQUE_IPS = Pattern.compile("(\\d{1,12}) unique IPs?\\b.*");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss z yyyy", Locale.ENGLISH);

    /** A stateless reader. */
    IpsetReader() {
    }

    @Override
    public FeedHeader read(FeedInput input, FeedContext context, Consumer<FeedEntry> sink) throws IOException {
        ListLineParser parser = new ListLineParser(input.displayName(), context, sink);
        List<String> header = new ArrayList<>();
        try (InputStream in = NamedInput.open(input)) {
            ListLineScanner.scan(in, new ListLineScanner.Lines() {
                private boolean inHeader = true;

                @Override
                public void line(byte[] b, int from, int to, long lineNo) {
                    if (inHeader && ListLineParser.isCommentOrBlank(b, from, to)) {
                        if (header.size() < MAX_HEADER_LINES) {
                            header.add(new String(b, from, to - from, StandardCharsets.UTF_8));
                        }
                        return;
                    }
                    inHeader = false;
                    parser.line(b, from, to, lineNo);
                }

                @Override
                public void overlong(byte[] b, int from, int to, long lineNo) {
                    inHeader = false;
                    parser.overlong(b, from, to, lineNo);
                }
            });
        } finally {
            context.countLines(parser.dataLines());
        }
        return parseHeader(header);
    }

    /** The header fields of a FireHOL comment block (lines as read, with their {@code #}). */
    static FeedHeader parseHeader(List<String> lines) {
        String title = null;
        StringBuilder description = null;
        boolean descriptionDone = false;
        String maintainer = null;
        String category = null;
        String sourceUrl = null;
        Instant thisFileDate = null;
        Instant sourceFileDate = null;
        long entries = -1;
        for (String raw : lines) {
            String text = raw.strip();
            if (!text.startsWith("#")) {
                continue;
            }
            text = text.substring(1).strip();
            Matcher field = FIELD.matcher(text);
            if (field.matches()) {
                descriptionDone |= description != null;
                String key = field.group(1);
                String value = field.group(2).strip();
                if (value.isEmpty()) {
                    continue;
                }
                switch (key) {
                    case "Maintainer" -> maintainer = value;
                    case "Category" -> category = value;
                    case "List source URL" -> sourceUrl = value;
                    case "This File Date" -> thisFileDate = parseDate(value);
                    case "Source File Date" -> sourceFileDate = parseDate(value);
                    case "Entries" -> entries = parseEntries(value);
                    default -> {
                        // Version, Update Frequency, Aggregation: not part of FeedHeader.
                    }
                }
                continue;
            }
            if (title == null) {
                if (!text.isEmpty() && text.indexOf(' ') < 0) {
                    title = text;
                }
                continue;
            }
            if (description == null && SET_TYPE.matcher(text).matches()) {
                description = new StringBuilder();
                continue;
            }
            if (description != null && !descriptionDone) {
                if (text.isEmpty()) {
                    descriptionDone = description.length() > 0;
                } else {
                    description.append(description.length() == 0 ? "" : " ").append(text);
                }
            }
        }
        String desc = description == null || description.length() == 0 ? null : description.toString();
        return new FeedHeader(title, desc, maintainer, category, thisFileDate != null ? thisFileDate : sourceFileDate,
                entries, sourceUrl);
    }

    private static Instant parseDate(String value) {
        try {
            // date(1) pads single-digit days with a blank: "Tue Jan  4 ...".
            return ZonedDateTime.parse(value.replaceAll("\\s+", " "), DATE).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static long parseEntries(String value) {
        Matcher m = SUBNETS.matcher(value);
        if (m.matches()) {
            return Long.parseLong(m.group(1));
        }
        m = UNIQUE_IPS.matcher(value);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
