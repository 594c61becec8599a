package dev.threatip.detect;

import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.CombinedFormat;
import dev.threatip.log.EventSink;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import java.nio.charset.StandardCharsets;

/**
 * Feeds combined-format lines to the rule engine one at a time, through the production
 * {@link CombinedFormat} parser and direct client resolution, so rule tests see exactly the
 * fields a scan would give them.
 */
final class CombinedLines {
    private final LineParser parser = CombinedFormat.combined().newParser();
    private final LineFields fields = new LineFields();

    /** Parses one line into the reused fields; returns null when it is not a combined line. */
    LineFields parse(byte[] b) {
        fields.reset();
        if (parser.parse(b, 0, b.length, fields) != LineParser.Outcome.EVENT) {
            return null;
        }
        ClientIpResolver.direct().resolve(fields);
        return fields;
    }

    /** Parses and offers a line to a sink; returns whether it parsed. */
    boolean feed(EventSink sink, String line, long lineRef) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        LineFields f = parse(b);
        if (f == null) {
            return false;
        }
        sink.accept(f, b, 0, b.length, lineRef);
        return true;
    }
}
