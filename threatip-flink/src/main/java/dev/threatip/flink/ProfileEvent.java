package dev.threatip.flink;

/**
 * A request that matters for its client's profile (the client is listed by intel, or the request
 * passed a rule that profiles clients), routed by client address to {@link IpVerdictFunction}.
 * A Flink POJO.
 */
public final class ProfileEvent {
    /** The client address, high and low halves (IPv4 as IPv4-mapped). */
    public long hi;
    public long lo;
    /** Event time (epoch ms), or -1. */
    public long timeMillis;
    public long ref;
    /** The request path as logged, without the query. */
    public String path;
    /** HTTP status, or -1. */
    public int status;
    /** The user agent, or null when absent. */
    public String userAgent;
    /** The raw line, for the profile's samples. */
    public String line;

    public ProfileEvent() {
    }
}
