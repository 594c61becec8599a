package dev.threatip.log;

/**
 * Amazon CloudFront standard (access) logs ({@code aws-cloudfront}): W3C extended with TAB
 * separation, {@code #Version: 1.0} and a {@code #Fields:} header naming the 33 documented
 * fields ({@code date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status
 * ... sc-range-end}); lines before a header use that documented list. Runs on the same engine
 * as {@link W3cFormat}, so new fields AWS appends are picked up from the header.
 *
 * <p>{@code c-ip} is the viewer (or the proxy in front of it), {@code x-forwarded-for} the
 * forwarded chain; the host is {@code x-host-header} (the Host the viewer sent) and falls back
 * to {@code cs(Host)} (the distribution's domain). CloudFront URL-encodes the user agent:
 * it is decoded once, so a {@code %2520} written by a double-encoding client reads {@code %20},
 * exactly what the client sent. Paths, queries and referers stay as logged.
 */
public final class CloudFrontFormat implements LogFormat {
    @Override
    public String name() {
        return "aws-cloudfront";
    }

    @Override
    public LineParser newParser() {
        return new HeaderFieldParser(HeaderFieldParser.Dialect.CLOUDFRONT);
    }
}
