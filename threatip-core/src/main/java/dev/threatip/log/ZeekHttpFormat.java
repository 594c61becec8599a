package dev.threatip.log;

/**
 * Zeek (formerly Bro) {@code http.log} in its ASCII form ({@code zeek}): {@code #separator \x09},
 * {@code #set_separator}, {@code #empty_field (empty)}, {@code #unset_field -},
 * {@code #fields ts uid id.orig_h ...} and {@code #types}, then separator-delimited values. The
 * header is compiled like a W3C {@code #Fields:} line by the same engine; without one, Zeek's
 * default {@code http.log} columns (3.0+, with {@code origin}) apply.
 *
 * <p>Fields read: {@code ts} (epoch seconds with fraction), {@code id.orig_h} (the connection's
 * originator), {@code method}, {@code host}, {@code uri} (split at {@code ?}), {@code referrer},
 * {@code version}, {@code user_agent}, {@code status_code}, {@code response_body_len}. Both
 * the unset and the empty marker mean absent. Zeek escapes non-printable bytes and the
 * separator as {@code \xNN}; the user agent, referrer and host are decoded, the URI stays as
 * logged. Zeek's JSON output is not this format: it is one flat JSON object per line, for the
 * JSON format.
 */
public final class ZeekHttpFormat implements LogFormat {
    @Override
    public String name() {
        return "zeek";
    }

    @Override
    public LineParser newParser() {
        return new HeaderFieldParser(HeaderFieldParser.Dialect.ZEEK);
    }
}
