package dev.threatip.web;

import java.time.Duration;
import java.util.Objects;

/**
 * The ingest pipeline cannot take a batch now and took none of it: the API answers 503 with
 * {@code Retry-After} so that Fluent Bit, Vector or a script retries later.
 */
public final class IngestBusyException extends Exception {
    private final Duration retryAfter;

    /**
     * @param message    why, e.g. "the ingest queue is full (10000 lines waiting)"
     * @param retryAfter when to try again; rounded up to whole seconds, at least one
     */
    public IngestBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When the client should try again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
