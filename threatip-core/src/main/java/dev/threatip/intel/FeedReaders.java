package dev.threatip.intel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The registry of feed formats: each {@link FeedFormat} bound to its reader, and the sniffing
 * that picks a format when the feed spec does not name one.
 */
public final class FeedReaders {
    private static final int SNIFF_BYTES = 8192;

    private FeedReaders() {
    }

    /** A reader for the format. */
    public static FeedReader forFormat(FeedFormat format) {
        return switch (format) {
            case PLAIN -> new PlainListReader();
            case IPSET -> new IpsetReader();
            case IPSUM -> new IpsumReader();
            case CSV -> new CsvFeedReader();
            case STIX -> new StixReader();
            case MISP -> new MispReader();
            case MISP_CSV -> new MispCsvReader();
            case TOR -> new TorExitReader();
            case WARNINGLIST -> new WarninglistReader();
        };
    }

    /**
     * Tells a feed's format from its content (the first {@value #SNIFF_BYTES} bytes after
     * decompression) and, where content is ambiguous, its file name:
     * a directory or {@code manifest.json} is MISP; JSON is a STIX bundle, a MISP event or a
     * warninglist by its keys; {@code ExitAddress} lines are a Tor exit list; a FireHOL header
     * or an {@code .ipset}/{@code .netset} name is FireHOL; {@code IP<TAB>count} lines or an
     * IPsum header are ipsum; a CSV header naming {@code event_id}/{@code to_ids} is a MISP CSV
     * export, any other CSV header naming an IP column is CSV; everything else is a plain list.
     */
    public static FeedFormat detect(FeedInput input) {
        Path path = input.path();
        if (Files.isDirectory(path)) {
            return FeedFormat.MISP;
        }
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.equals("manifest.json")) {
            return FeedFormat.MISP;
        }
        String head;
        try (InputStream in = input.open()) {
            head = new String(in.readNBytes(SNIFF_BYTES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(input.displayName() + ": " + e.getMessage(), e);
        }
        String trimmed = head.stripLeading().replace("\uFEFF", "");
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            if (head.contains("\"Event\"") || head.contains("\"Attribute\"")) {
                return FeedFormat.MISP;
            }
            if (head.contains("\"matching_attributes\"") || (head.contains("\"list\"") && !head.contains("\"pattern\""))) {
                return FeedFormat.WARNINGLIST;
            }
            return FeedFormat.STIX;
        }
        if (head.contains("\nExitAddress ") || head.startsWith("ExitNode ")) {
            return FeedFormat.TOR;
        }
        if (file.endsWith(".ipset") || file.endsWith(".netset") || head.contains("FireHOL")) {
            return FeedFormat.IPSET;
        }
        if (head.contains("IPsum") || head.matches("(?s)(?:#[^\\n]*\\n|\\s*\\n)*\\S+\\t\\d+\\s*\\n.*")) {
            return FeedFormat.IPSUM;
        }
        String firstLine = firstDataLine(head).toLowerCase(Locale.ROOT);
        if (firstLine.contains(",") && (firstLine.contains("event_id") || firstLine.contains("to_ids"))) {
            return FeedFormat.MISP_CSV;
        }
        if ((file.endsWith(".csv") || firstLine.contains(",")) && firstLine.matches(".*\\b(ip|ipaddress|ip_address|address)\\b.*")) {
            return FeedFormat.CSV;
        }
        return FeedFormat.PLAIN;
    }

    private static String firstDataLine(String head) {
        for (String line : head.split("\n", 50)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return t;
            }
        }
        return "";
    }
}
