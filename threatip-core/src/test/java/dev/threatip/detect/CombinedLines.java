package dev.threatip.detect;

import dev.threatip.log.EventSink;
import dev.threatip.log.EventTime;
import dev.threatip.log.LineFields;
import dev.threatip.log.RequestLine;
import dev.threatip.net.IpParser;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEST scaffolding standing in for the combined-format parser being written in the log package:
 * splits an nginx/Apache combined line with a regex and fills {@link LineFields} the way a
 * parser does. Also accepts the vhost variants fail2ban's samples use ({@code ip - - - [time]
 * host "request" ...}). Not a hot path: it builds Strings freely.
 */
final class CombinedLines {
    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) (?:\\S+ )+?\\[([^\\]]*)\\] (?:(\\S+) )?\"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}|-) (\\d+|-)"
                    + "(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?.*");

    private final LineFields fields = new LineFields();
    private final long[] addr = new long[2];

    /** Parses one line into the reused fields; returns null when it is not a combined line. */
    LineFields parse(byte[] b) {
        String s = new String(b, StandardCharsets.ISO_8859_1); // one char per byte: indices are byte offsets
        Matcher m = LINE.matcher(s);
        fields.reset();
        if (!m.matches()) {
            return null;
        }
        fields.remoteAddr.set(b, m.start(1), m.end(1));
        if (IpParser.parse(b, m.start(1), m.end(1), addr)) {
            fields.clientHi = addr[0];
            fields.clientLo = addr[1];
            fields.clientValid = true;
        }
        long t = EventTime.parseClf(b, m.start(2), m.end(2));
        fields.timeMillis = t == EventTime.INVALID ? LineFields.NONE : t;
        if (m.group(3) != null) {
            fields.host.set(b, m.start(3), m.end(3));
        }
        RequestLine.split(b, m.start(4), m.end(4), fields);
        fields.status = m.group(5).equals("-") ? (int) LineFields.NONE : Integer.parseInt(m.group(5));
        fields.bytes = m.group(6).equals("-") ? LineFields.NONE : Long.parseLong(m.group(6));
        if (m.group(7) != null) {
            fields.referer.set(b, m.start(7), m.end(7));
            fields.userAgent.set(b, m.start(8), m.end(8));
        }
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
