package dev.threatip.log;


/**
 * W3C extended log files as IIS writes them ({@code w3c}, alias {@code iis}): {@code #Software},
 * {@code #Version}, {@code #Date} and {@code #Fields:} directives, then space-separated values
 * with {@code -} for absent. Each {@code #Fields:} line re-maps the columns of the lines after it
 * (IIS starts a new header block on every restart and on a field-set change). Lines before any
 * {@code #Fields:} use IIS's default field set:
 * {@code date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)
 * cs(Referer) sc-status sc-substatus sc-win32-status time-taken}.
 *
 * <p>Fields read: {@code c-ip}, {@code cs-method}, {@code cs-uri-stem}, {@code cs-uri-query}
 * (or {@code cs-uri}), {@code sc-status}, {@code sc-bytes}, {@code cs(User-Agent)},
 * {@code cs(Referer)}, {@code cs-host}/{@code cs(Host)}, {@code cs-version},
 * {@code cs(X-Forwarded-For)}/{@code x-forwarded-for}, {@code cs(X-Real-IP)},
 * {@code cs(CF-Connecting-IP)}/{@code cs(True-Client-IP)}; {@code date} + {@code time} are UTC
 * (a {@code time} without {@code date} takes the {@code #Date:} directive's day). IIS writes a
 * space inside header values as {@code +}; the user agent and forwarding headers are given with
 * {@code +} turned back into space. That encoding is lossy (a literal {@code +} is written the
 * same way), so a {@code +} in those fields always reads as a space. Paths, queries and referers
 * stay as logged.
 */
public final class W3cFormat implements LogFormat {
    @Override
    public String name() {
        return "w3c";
    }

    @Override
    public LineParser newParser() {
        return new HeaderFieldParser(HeaderFieldParser.Dialect.W3C);
    }
}
