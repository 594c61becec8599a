package dev.threatip.web;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.threatip.block.Decision;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A threatip {@link Decision} as CrowdSec's LAPI serialises a decision for bouncers
 * ({@code models.Decision}):
 *
 * <pre>{@code
 * {"duration":"3h59m58s","id":42,"origin":"auto","scenario":"scanner high: probing-4xx",
 *  "scope":"Ip","type":"ban","until":"2026-11-01T04:00:00Z","value":"203.0.113.7"}
 * }</pre>
 *
 * <p>{@code scope} is {@code Ip} for a single address (/32, /128) and {@code Range} for a network
 * (value in CIDR form), as LAPI spells them. {@code duration} is the time left at {@code now} in
 * Go's format (negative once expired, as LAPI sends for lifted decisions); bouncers read it with
 * {@code time.ParseDuration} and set their own timeouts from it. {@code origin} is threatip's
 * ({@code auto}, {@code manual}, {@code import}); {@code scenario} is the decision's reason, what
 * {@code scenarios_containing} filters match and what the custom bouncer passes its script.
 */
final class LapiDecisions {
    /** LAPI's scope of a single address. */
    static final String SCOPE_IP = "Ip";
    /** LAPI's scope of a network. */
    static final String SCOPE_RANGE = "Range";

    private LapiDecisions() {
    }

    /** {@code Ip} or {@code Range}. */
    static String scope(Decision d) {
        return d.scope().isSingleAddress() ? SCOPE_IP : SCOPE_RANGE;
    }

    /** The address, or the network in CIDR form. */
    static String value(Decision d) {
        return d.scope().isSingleAddress() ? d.scope().network().toString() : d.scope().toString();
    }

    /** The scenario: the reason in words, or the origin when the decision has none. */
    static String scenario(Decision d) {
        String r = d.reason();
        return r == null || r.isBlank() ? "threatip " + d.origin().wireName() : r;
    }

    /** Writes one decision object with its remaining time at {@code now}. */
    static void write(JsonGenerator g, Decision d, Instant now) throws IOException {
        g.writeStartObject();
        g.writeStringField("duration", GoDuration.remaining(Duration.between(now, d.expires())));
        g.writeNumberField("id", d.id());
        g.writeStringField("origin", d.origin().wireName());
        g.writeStringField("scenario", scenario(d));
        g.writeStringField("scope", scope(d));
        g.writeStringField("type", d.type().wireName());
        g.writeStringField("until", d.expires().truncatedTo(ChronoUnit.SECONDS).toString());
        g.writeStringField("value", value(d));
        g.writeEndObject();
    }
}
