package dev.threatip.log;

import java.util.Locale;

/**
 * Parsers for any Apache httpd {@code LogFormat} string, compiled once:
 *
 * <pre>{@code
 * LogFormat f = ApacheLogFormat.compile("%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"");
 * }</pre>
 *
 * Directives that fill {@link LineFields}: {@code %h %a %{c}a} (the remote address; {@code %a}
 * wins when several are present, since with mod_remoteip it is the resolved client), {@code %t}
 * (bracketed CLF time), {@code %{format}t} ({@code sec}, {@code msec}, {@code usec}, or a strftime
 * format giving CLF or ISO-8601 text), {@code %r %m %U %q %H}, {@code %s %>s %<s},
 * {@code %b %B} (else {@code %O}), {@code %v %V %{Host}i}, {@code %{Referer}i},
 * {@code %{User-Agent}i}, {@code %{X-Forwarded-For}i}, {@code %{X-Real-IP}i},
 * {@code %{CF-Connecting-IP}i}, {@code %{True-Client-IP}i}, and {@code %%}. Skipped as opaque
 * fields: {@code %l %u %p %D %T %I %O %S %A %P %k %L %R %X %f %n %e %o %C %^ti %^to} and any other
 * {@code %{Header}i}. Conditions and modifiers ({@code %>s}, {@code %400,501{X}i}, {@code %!200s})
 * are accepted and ignored.
 */
public final class ApacheLogFormat {
    private static final String SUPPORTED = "%h %a %l %u %t %{format}t %r %m %U %q %H %s %>s %<s %b %B %O %I %v %V %p "
            + "%D %T %S %A %P %k %L %R %X %f %n %e %o %C %{Header}i %^ti %^to %%";

    private ApacheLogFormat() {
    }

    /** Compiles with the name {@code apache}. */
    public static LogFormat compile(String logFormat) {
        return compile("apache", logFormat);
    }

    /**
     * Compiles an Apache {@code LogFormat} string (as written between the directive's quotes,
     * with {@code \"} already unescaped to {@code "}).
     *
     * @throws IllegalArgumentException naming the directive and the supported ones when a
     *                                  directive is unknown or unterminated
     */
    public static LogFormat compile(String name, String logFormat) {
        if (logFormat == null || logFormat.isBlank()) {
            throw new IllegalArgumentException("Apache LogFormat is empty; supported directives: " + SUPPORTED);
        }
        FormatProgram.Builder program = new FormatProgram.Builder();
        StringBuilder literal = new StringBuilder();
        boolean sizeSeen = logFormat.matches("(?s).*%[<>!0-9,]*[bB].*");
        // With mod_remoteip %a is the client and %h / %{c}a the peer: one address field is kept.
        int addressRank = logFormat.matches("(?s).*%[<>!0-9,]*a.*") ? 2 : logFormat.matches("(?s).*%[<>!0-9,]*h.*") ? 1 : 0;
        int i = 0;
        int n = logFormat.length();
        while (i < n) {
            char c = logFormat.charAt(i);
            if (c != '%') {
                literal.append(c);
                i++;
                continue;
            }
            int start = i;
            i++;
            if (i < n && logFormat.charAt(i) == '%') {
                literal.append('%');
                i++;
                continue;
            }
            while (i < n && "<>!,0123456789".indexOf(logFormat.charAt(i)) >= 0) {
                i++;
            }
            String arg = null;
            if (i < n && logFormat.charAt(i) == '{') {
                int close = logFormat.indexOf('}', i);
                if (close < 0) {
                    throw unknown(logFormat.substring(start), "an unclosed '{'");
                }
                arg = logFormat.substring(i + 1, close);
                i = close + 1;
            }
            if (i >= n) {
                throw unknown(logFormat.substring(start), "a directive without its letter");
            }
            char letter = logFormat.charAt(i++);
            String directive;
            if (letter == '^' && i + 1 < n && logFormat.charAt(i) == 't') {
                directive = logFormat.substring(start, i + 2);
                i += 2;
            } else {
                directive = logFormat.substring(start, i);
            }
            program.literal(literal.toString());
            literal.setLength(0);
            if (letter == 't' && arg == null) {
                // %t writes its own brackets: [10/Oct/2000:13:55:36 -0700]
                program.literal("[");
                program.field(directive, FieldKind.TIME_CLF, 0);
                program.literal("]");
                continue;
            }
            if (letter == 't') {
                timeField(program, directive, arg);
                continue;
            }
            program.field(directive, kind(directive, letter, arg, sizeSeen, addressRank), 0);
        }
        program.literal(literal.toString());
        return program.build(name, logFormat);
    }

    private static FieldKind kind(String directive, char letter, String arg, boolean sizeSeen, int addressRank) {
        switch (letter) {
            case 'a':
            case 'h':
                int rank = arg != null ? 0 : letter == 'a' ? 2 : 1;
                return rank == addressRank ? FieldKind.REMOTE_ADDR : FieldKind.SKIP;
            case 'r':
                return FieldKind.REQUEST;
            case 'm':
                return FieldKind.METHOD;
            case 'U':
                return FieldKind.PATH;
            case 'q':
                return FieldKind.QUERY;
            case 'H':
                return FieldKind.PROTOCOL;
            case 's':
                return FieldKind.STATUS;
            case 'b':
            case 'B':
                return FieldKind.BYTES;
            case 'O':
                return sizeSeen ? FieldKind.SKIP : FieldKind.BYTES;
            case 'v':
            case 'V':
                return FieldKind.HOST;
            case 'i':
                return header(arg);
            case 'l': case 'u': case 'p': case 'D': case 'T': case 'I': case 'S': case 'A': case 'P': case 'k':
            case 'L': case 'R': case 'X': case 'f': case 'n': case 'e': case 'o': case 'C': case '^':
                return FieldKind.SKIP;
            default:
                throw unknown(directive, "an unknown directive");
        }
    }

    private static FieldKind header(String name) {
        if (name == null) {
            throw unknown("%i", "a header directive without {Header-Name}");
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "referer":
            case "referrer":
                return FieldKind.REFERER;
            case "user-agent":
                return FieldKind.USER_AGENT;
            case "x-forwarded-for":
                return FieldKind.FORWARDED_FOR;
            case "x-real-ip":
                return FieldKind.REAL_IP;
            case "cf-connecting-ip":
            case "true-client-ip":
                return FieldKind.CONNECTING_IP;
            case "host":
                return FieldKind.HOST;
            default:
                return FieldKind.SKIP;
        }
    }

    /** {@code %{sec}t}-style epochs, or a strftime format whose output {@link EventTime#parse} reads. */
    private static void timeField(FormatProgram.Builder program, String directive, String arg) {
        String fmt = arg.startsWith("begin:") ? arg.substring(6) : arg.startsWith("end:") ? arg.substring(4) : arg;
        switch (fmt) {
            case "sec", "msec", "usec" -> program.field(directive, FieldKind.TIME_EPOCH, 0);
            case "msec_frac", "usec_frac" -> program.field(directive, FieldKind.SKIP, 0);
            default -> {
                boolean bracketed = fmt.startsWith("[") && fmt.endsWith("]") && fmt.length() > 2;
                String inner = bracketed ? fmt.substring(1, fmt.length() - 1) : fmt;
                if (bracketed) {
                    program.literal("[");
                }
                int spaces = (int) inner.chars().filter(ch -> ch == ' ').count();
                program.field(directive, FieldKind.TIME_ANY, spaces);
                if (bracketed) {
                    program.literal("]");
                }
            }
        }
    }

    private static IllegalArgumentException unknown(String directive, String why) {
        return new IllegalArgumentException("Apache LogFormat directive '" + directive + "' is " + why
                + "; supported directives: " + SUPPORTED);
    }
}
