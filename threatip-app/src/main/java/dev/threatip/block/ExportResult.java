package dev.threatip.block;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One export: the file's bytes and what it holds — how many entries, which decisions were left
 * out and why (best ranked first), and notes on changes made to fit the target (IPv6 scopes
 * widened, timeouts capped).
 *
 * @param format    the target's name, e.g. {@code nftables}
 * @param mediaType the HTTP content type, e.g. {@code text/plain; charset=utf-8}
 * @param fileName  a file name to save it as, e.g. {@code threatip.nft}
 * @param content   the file, UTF-8
 * @param exported  the entries written (after merging covered and duplicate scopes)
 * @param leftOut   the decisions not written, with the reason
 * @param notes     adjustments, one sentence each
 * @param capacity  the limit the export applied
 */
public record ExportResult(String format, String mediaType, String fileName, byte[] content, int exported,
                           List<LeftOut> leftOut, List<String> notes, Capacity capacity) {
    public ExportResult {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(fileName, "fileName");
        content = content.clone();
        leftOut = List.copyOf(leftOut);
        notes = List.copyOf(notes);
        Objects.requireNonNull(capacity, "capacity");
    }

    /** The file, UTF-8 (a copy). */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The file as text. */
    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** How many decisions each reason left out, reasons in their declared order, none with zero. */
    public Map<LeftOut.Reason, Integer> leftOutCounts() {
        Map<LeftOut.Reason, Integer> counts = new EnumMap<>(LeftOut.Reason.class);
        for (LeftOut l : leftOut) {
            counts.merge(l.reason(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * One line for people, e.g. {@code "nftables: 5 exported, 4 left out (1 expired, 1 type, 2
     * capacity); capacity 3 per address family (--limit)"}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(format).append(": ").append(exported).append(" exported");
        if (!leftOut.isEmpty()) {
            sb.append(", ").append(leftOut.size()).append(" left out (")
                    .append(leftOutCounts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey().wireName())
                            .collect(Collectors.joining(", ")))
                    .append(')');
        }
        return sb.append("; capacity ").append(capacity.describe()).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExportResult r && format.equals(r.format) && mediaType.equals(r.mediaType)
                && fileName.equals(r.fileName) && java.util.Arrays.equals(content, r.content) && exported == r.exported
                && leftOut.equals(r.leftOut) && notes.equals(r.notes) && capacity.equals(r.capacity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, java.util.Arrays.hashCode(content), exported, leftOut, notes);
    }

    @Override
    public String toString() {
        return "ExportResult[" + summary() + ", " + content.length + " bytes]";
    }
}
