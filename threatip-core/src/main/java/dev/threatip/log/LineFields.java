package dev.threatip.log;

/**
 * The fields of one access-log line, as slices into the line's bytes: what a {@link LineParser}
 * fills and what client-IP resolution, intel matching and behaviour rules read. One instance per
 * thread is reused for every line; it never escapes a parse call. Numbers are parsed in place;
 * absent numbers are {@link #NONE}.
 */
public final class LineFields {
    /** The value of an absent numeric field. */
    public static final long NONE = -1;

    /** The address of the peer that sent the request as the log records it (first field of combined). */
    public final Slice remoteAddr = new Slice();
    /** The {@code X-Forwarded-For} header value when the log has it. */
    public final Slice forwardedFor = new Slice();
    /** The {@code X-Real-IP} header value when the log has it. */
    public final Slice realIp = new Slice();
    /** The {@code CF-Connecting-IP} / {@code True-Client-IP} value when the log has it. */
    public final Slice connectingIp = new Slice();
    public final Slice method = new Slice();
    public final Slice host = new Slice();
    /** The request path, without the query string (as logged: not decoded). */
    public final Slice path = new Slice();
    /** The query string without the {@code ?}, empty when none. */
    public final Slice query = new Slice();
    public final Slice protocol = new Slice();
    public final Slice userAgent = new Slice();
    public final Slice referer = new Slice();

    /**
     * The policy decision of a gateway hit-log line ({@code threatip gate}'s {@code rule},
     * {@code category}, {@code confidence}, {@code action}, {@code request_id}); empty on every
     * other line. Only the JSON-lines format fills them.
     */
    public final Slice hitRule = new Slice();
    public final Slice hitCategory = new Slice();
    public final Slice hitConfidence = new Slice();
    public final Slice hitAction = new Slice();
    public final Slice hitRequestId = new Slice();
    /** The hit line's {@code enforced}: 1 true, 0 false, {@link #NONE} when absent. */
    public int hitEnforced;

    /** HTTP status, or {@link #NONE}. */
    public int status;
    /** Response bytes, or {@link #NONE}. */
    public long bytes;
    /** Event time in epoch milliseconds, or {@link #NONE} when the line has none. */
    public long timeMillis;

    /** The resolved client address (128-bit, IPv4 as IPv4-mapped), set by client-IP resolution. */
    public long clientHi;
    public long clientLo;
    /** Whether {@link #clientHi}/{@link #clientLo} hold a strict address. */
    public boolean clientValid;

    /** Scratch space for values that had to be unescaped (JSON strings, %-encoded W3C fields). */
    private byte[] scratch = new byte[4096];
    private int scratchUsed;

    /** Clears every field before a line is parsed. */
    public void reset() {
        remoteAddr.clear();
        forwardedFor.clear();
        realIp.clear();
        connectingIp.clear();
        method.clear();
        host.clear();
        path.clear();
        query.clear();
        protocol.clear();
        userAgent.clear();
        referer.clear();
        hitRule.clear();
        hitCategory.clear();
        hitConfidence.clear();
        hitAction.clear();
        hitRequestId.clear();
        hitEnforced = (int) NONE;
        status = (int) NONE;
        bytes = NONE;
        timeMillis = NONE;
        clientHi = 0;
        clientLo = 0;
        clientValid = false;
        scratchUsed = 0;
    }

    /**
     * Reserves {@code n} bytes of scratch for an unescaped value and returns the offset to write
     * them at in {@link #scratch()}; call {@link #scratch()} after reserving. Growth copies into a
     * new array, so slices set earlier keep pointing at intact bytes.
     */
    public int reserveScratch(int n) {
        if (scratchUsed + n > scratch.length) {
            byte[] grown = new byte[Math.max(scratch.length * 2, scratchUsed + n)];
            System.arraycopy(scratch, 0, grown, 0, scratchUsed);
            scratch = grown;
        }
        int at = scratchUsed;
        scratchUsed += n;
        return at;
    }

    /** The scratch array; see {@link #reserveScratch}. */
    public byte[] scratch() {
        return scratch;
    }
}
