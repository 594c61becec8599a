package dev.threatip.ingest;

/**
 * The pipeline stayed busy longer than its busy timeout, and nothing of the batch was taken:
 * back-pressure. HTTP ingest answers 503 with {@code Retry-After}; tailers retry the same lines.
 */
public final class PipelineBusyException extends RuntimeException {
    public PipelineBusyException(String message) {
        super(message);
    }
}
