package dev.threatip.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one-line text form of a parse result used by golden {@code expected.txt} files:
 * {@code EVENT remote=... xff=... real=... cip=... method=... host=... path=... query=...
 * proto=... status=... bytes=... time=<ISO> ua=... ref=...} with absent fields left out (so an
 * unexpected field shows as a difference), or {@code DIRECTIVE} / {@code MALFORMED}. Control
 * bytes, bytes that are not UTF-8, and backslashes are written as {@code \xHH}.
 */
final class GoldenText {
    private GoldenText() {
    }

    static String render(LineParser.Outcome outcome, LineFields f) {
        if (outcome != LineParser.Outcome.EVENT) {
            return outcome.name();
        }
        StringBuilder sb = new StringBuilder("EVENT");
        put(sb, "remote", f.remoteAddr);
        put(sb, "xff", f.forwardedFor);
        put(sb, "real", f.realIp);
        put(sb, "cip", f.connectingIp);
        put(sb, "method", f.method);
        put(sb, "host", f.host);
        put(sb, "path", f.path);
        put(sb, "query", f.query);
        put(sb, "proto", f.protocol);
        if (f.status != LineFields.NONE) {
            sb.append(" status=").append(f.status);
        }
        if (f.bytes != LineFields.NONE) {
            sb.append(" bytes=").append(f.bytes);
        }
        if (f.timeMillis != LineFields.NONE) {
            sb.append(" time=").append(Instant.ofEpochMilli(f.timeMillis));
        }
        put(sb, "ua", f.userAgent);
        put(sb, "ref", f.referer);
        return sb.toString();
    }

    private static void put(StringBuilder sb, String key, Slice s) {
        if (s.isEmpty()) {
            return;
        }
        sb.append(' ').append(key).append('=').append(escape(s.array(), s.start(), s.end()));
    }

    static String escape(byte[] b, int from, int to) {
        String decoded = new String(b, from, to - from, StandardCharsets.UTF_8);
        boolean clean = decoded.indexOf('\uFFFD') < 0;
        StringBuilder sb = new StringBuilder();
        if (clean) {
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (c < 0x20 || c == 0x7f || c == '\\') {
                    sb.append(String.format("\\x%02X", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c >= 0x7f || c == '\\') {
                sb.append(String.format("\\x%02X", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
