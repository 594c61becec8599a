package dev.threatip.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered bouncer (an enforcement point pulling decisions over the CrowdSec bouncer
 * protocol) as {@link BouncerStore} holds it. Its API key is never kept, only the key's SHA-256.
 *
 * @param name      the operator's name for it, unique
 * @param created   when it was added
 * @param lastPull  when it last pulled decisions, or null when never
 * @param cursor    the decision stream cursor of its last complete pull; 0 before the first, so its
 *                  first pull gets every decision in force whether or not it asks for the startup list
 * @param lastIp    the address it last pulled from, or null
 * @param userAgent its last {@code User-Agent}, e.g. {@code crowdsec-firewall-bouncer/v0.0.28}, or null
 */
public record Bouncer(String name, Instant created, Instant lastPull, long cursor, String lastIp, String userAgent) {
    public Bouncer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
        if (cursor < 0) {
            throw new IllegalArgumentException("a stream cursor is never negative: " + cursor);
        }
    }
}
