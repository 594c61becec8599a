package dev.threatip.log;

/**
 * Splits an HTTP request line ({@code GET /p?q=1 HTTP/1.1}) into method, path, query and
 * protocol slices. Request lines in logs are attacker-written: anything that is not
 * {@code TOKEN SP target [SP protocol]} leaves the fields empty and reports false, and the
 * caller still keeps the event (nginx logs TLS garbage with a 400: the client is real).
 */
public final class RequestLine {
    private RequestLine() {
    }

    /**
     * Splits {@code b[from, to)} into {@code out.method}, {@code out.path}, {@code out.query}
     * and {@code out.protocol}.
     *
     * @return whether the text was a request line
     */
    public static boolean split(byte[] b, int from, int to, LineFields out) {
        int i = from;
        while (i < to && isTokenChar(b[i])) {
            i++;
        }
        if (i == from || i >= to || b[i] != ' ' || i - from > 32) {
            return false;
        }
        int methodEnd = i;
        while (i < to && b[i] == ' ') {
            i++;
        }
        int targetStart = i;
        // The protocol is the last space-separated token when it looks like HTTP/x; targets may hold spaces in bad logs.
        int targetEnd = to;
        int protocolStart = -1;
        int lastSpace = to - 1;
        while (lastSpace > targetStart && b[lastSpace] != ' ') {
            lastSpace--;
        }
        if (lastSpace > targetStart && to - lastSpace > 5 && b[lastSpace + 1] == 'H' && b[lastSpace + 2] == 'T'
                && b[lastSpace + 3] == 'T' && b[lastSpace + 4] == 'P') {
            protocolStart = lastSpace + 1;
            targetEnd = lastSpace;
            while (targetEnd > targetStart && b[targetEnd - 1] == ' ') {
                targetEnd--;
            }
        }
        if (targetEnd <= targetStart) {
            return false;
        }
        out.method.set(b, from, methodEnd);
        int q = targetStart;
        while (q < targetEnd && b[q] != '?') {
            q++;
        }
        out.path.set(b, targetStart, q);
        if (q < targetEnd) {
            out.query.set(b, q + 1, targetEnd);
        }
        if (protocolStart >= 0) {
            out.protocol.set(b, protocolStart, to);
        }
        return true;
    }

    private static boolean isTokenChar(byte c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
    }
}
