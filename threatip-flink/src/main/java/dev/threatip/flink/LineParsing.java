package dev.threatip.flink;

import dev.threatip.log.ClientIpResolver;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormat;
import dev.threatip.log.LogFormats;
import dev.threatip.net.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one line at a time with the core's formats, as {@code scan} does: a named format or a
 * user format string, or {@code auto}. A stream has no file to sample, so {@code auto} keeps the
 * format that parsed the previous line and, when a line does not fit it, tries every built-in
 * format in the core's detection order and keeps the first that parses it. Then the client
 * address is resolved ({@code --trusted-proxy} walks the forwarding headers). One per task.
 */
final class LineParsing {
    /** What one line was. */
    enum Result { EVENT, DIRECTIVE, MALFORMED, NO_CLIENT }

    private final List<LogFormat> candidates;
    private final LineParser[] parsers;
    private final ClientIpResolver resolver;
    private int current;

    LineParsing(JobOptions o) {
        if (o.logFormat() != null) {
            candidates = List.of(LogFormats.compile(o.logFormat()));
        } else if (!o.format().equals("auto")) {
            candidates = List.of(LogFormats.named(o.format(), o.ipField()));
        } else {
            List<LogFormat> all = new ArrayList<>();
            for (String name : LogFormats.names()) {
                all.add(LogFormats.named(name, o.ipField()));
            }
            candidates = List.copyOf(all);
        }
        parsers = new LineParser[candidates.size()];
        for (int i = 0; i < parsers.length; i++) {
            parsers[i] = candidates.get(i).newParser();
        }
        List<Cidr> trusted = o.trustedProxies().stream().map(p -> Cidr.parse(p.strip())).toList();
        resolver = ClientIpResolver.trusting(trusted);
    }

    /** Parses {@code line} into {@code f} (reset here) and resolves its client. */
    Result parse(byte[] line, LineFields f) {
        int end = line.length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        LineParser.Outcome o = attempt(current, line, end, f);
        for (int i = 0; o == LineParser.Outcome.MALFORMED && i < parsers.length; i++) {
            if (i != current) {
                o = attempt(i, line, end, f);
                if (o == LineParser.Outcome.EVENT) {
                    current = i;
                }
            }
        }
        if (o == LineParser.Outcome.DIRECTIVE) {
            return Result.DIRECTIVE;
        }
        if (o == LineParser.Outcome.MALFORMED) {
            return Result.MALFORMED;
        }
        return resolver.resolve(f) && f.clientValid ? Result.EVENT : Result.NO_CLIENT;
    }

    private LineParser.Outcome attempt(int i, byte[] line, int end, LineFields f) {
        f.reset();
        try {
            return parsers[i].parse(line, 0, end, f);
        } catch (RuntimeException e) {
            // a parser bug on hostile input must cost one line, never the job
            return LineParser.Outcome.MALFORMED;
        }
    }
}
