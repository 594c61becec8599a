package dev.threatip.gateway;

import dev.threatip.net.IpAddress;
import java.time.Instant;
import java.util.Arrays;

/**
 * Encodes hits as JSON lines straight into a reusable byte buffer: the same members, order and
 * escaping as Jackson's generator with its defaults (quote and backslash escaped, {@code \b \t \n
 * \f \r}, other control characters and every surrogate as a backslash-u escape in upper-case hex,
 * everything else as UTF-8), without a generator, a {@code String} or a date formatter per hit.
 * The time is {@link Instant#toString()} of the hit's millisecond, its date-and-second prefix made
 * once per second. One instance per writer thread; not thread-safe.
 */
final class HitLine {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[16 * 1024];
    private int len;
    private long second = Long.MIN_VALUE;
    private byte[] secondText = new byte[0]; // "2026-11-23T21:50:01"

    /** The bytes encoded since the last {@link #reset()}: {@code bytes()[0 .. length())}. */
    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    void reset() {
        len = 0;
    }

    /** Appends one hit as a JSON object and a newline. */
    void append(HitLog.Hit h) {
        raw("{\"time\":\"");
        time(h.timeMillis());
        raw("\",\"client_ip\":\"");
        address(h.client());
        raw("\",\"method\":");
        string(h.method());
        raw(",\"host\":");
        string(h.host());
        raw(",\"path\":");
        string(h.path());
        if (h.query() != null && !h.query().isEmpty()) {
            raw(",\"query\":");
            string(h.query());
        }
        raw(",\"status\":");
        number(h.status());
        raw(",\"user_agent\":");
        string(h.userAgent());
        raw(",\"rule\":");
        string(h.rule());
        if (h.category() != null) {
            raw(",\"category\":");
            string(h.category());
            raw(",\"confidence\":");
            string(h.confidence());
        }
        raw(",\"action\":");
        string(h.action());
        raw(h.enforced() ? ",\"enforced\":true,\"request_id\":" : ",\"enforced\":false,\"request_id\":");
        string(h.requestId());
        raw(",\"verdict\":");
        string(h.verdict());
        if (h.shared()) {
            raw(",\"shared\":true");
        }
        raw("}\n");
    }

    private void time(long millis) {
        long s = Math.floorDiv(millis, 1000);
        int ms = (int) Math.floorMod(millis, 1000);
        if (s != second) {
            String t = Instant.ofEpochSecond(s).toString(); // ...T21:50:01Z
            secondText = t.substring(0, t.length() - 1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            second = s;
        }
        ensure(secondText.length + 5);
        System.arraycopy(secondText, 0, buf, len, secondText.length);
        len += secondText.length;
        if (ms != 0) { // as Instant.toString: no fraction on a whole second
            buf[len++] = '.';
            buf[len++] = (byte) ('0' + ms / 100);
            buf[len++] = (byte) ('0' + ms / 10 % 10);
            buf[len++] = (byte) ('0' + ms % 10);
        }
        buf[len++] = 'Z';
    }

    private void address(IpAddress a) {
        if (!a.isIpv4()) {
            raw(a.toString()); // hex digits, colons and dots only
            return;
        }
        int v = a.ipv4();
        ensure(15);
        for (int shift = 24; shift >= 0; shift -= 8) {
            int o = v >>> shift & 0xff;
            if (o >= 100) {
                buf[len++] = (byte) ('0' + o / 100);
            }
            if (o >= 10) {
                buf[len++] = (byte) ('0' + o / 10 % 10);
            }
            buf[len++] = (byte) ('0' + o % 10);
            if (shift > 0) {
                buf[len++] = '.';
            }
        }
    }

    private void number(int n) {
        raw(Integer.toString(n)); // statuses are three digits; not worth a digit loop
    }

    /** A JSON string, or {@code null}. */
    private void string(String s) {
        if (s == null) {
            raw("null");
            return;
        }
        int n = s.length();
        ensure(n * 6 + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    buf[len++] = '\\';
                }
                buf[len++] = (byte) c;
            } else if (c < 0x20) {
                escapeControl(c);
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xc0 | c >> 6);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                escape(c); // as Jackson does, paired or not: a lone one cannot fail the batch
            } else {
                buf[len++] = (byte) (0xe0 | c >> 12);
                buf[len++] = (byte) (0x80 | c >> 6 & 0x3f);
                buf[len++] = (byte) (0x80 | c & 0x3f);
            }
        }
        buf[len++] = '"';
    }

    private void escapeControl(char c) {
        buf[len++] = '\\';
        switch (c) {
            case '\b' -> buf[len++] = 'b';
            case '\t' -> buf[len++] = 't';
            case '\n' -> buf[len++] = 'n';
            case '\f' -> buf[len++] = 'f';
            case '\r' -> buf[len++] = 'r';
            default -> {
                len--;
                escape(c);
            }
        }
    }

    /** {@code \}{@code uXXXX}, upper-case hex. */
    private void escape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[c >> 12];
        buf[len++] = HEX[c >> 8 & 0xf];
        buf[len++] = HEX[c >> 4 & 0xf];
        buf[len++] = HEX[c & 0xf];
    }

    /** ASCII text as is. */
    private void raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
