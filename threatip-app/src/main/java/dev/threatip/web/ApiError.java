package dev.threatip.web;

/**
 * An answer other than success, as the API writes it: {@code {"error": {"code", "message"}}}
 * with the HTTP status of its code. Messages name the parameter and the allowed values; they
 * never carry a stack trace.
 */
final class ApiError extends RuntimeException {
    /** The stable error codes and their HTTP statuses. */
    enum Code {
        BAD_REQUEST(400), UNAUTHORIZED(401), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), PAYLOAD_TOO_LARGE(413),
        /** A guard rail refused a decision; the message says which. */
        REFUSED(422),
        INTERNAL(500), UNAVAILABLE(503);

        final int status;

        Code(int status) {
            this.status = status;
        }

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The code of an HTTP status that the API did not raise itself (a framework 404, 405, …). */
        static Code ofStatus(int status) {
            for (Code c : values()) {
                if (c.status == status) {
                    return c;
                }
            }
            return status >= 500 ? INTERNAL : status == 405 ? NOT_FOUND : BAD_REQUEST;
        }
    }

    private final Code code;
    private final long retryAfterSeconds;

    ApiError(Code code, String message) {
        this(code, message, -1);
    }

    ApiError(Code code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiError badRequest(String message) {
        return new ApiError(Code.BAD_REQUEST, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(Code.NOT_FOUND, message);
    }

    Code code() {
        return code;
    }

    /** Seconds for a {@code Retry-After} header, or -1 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
