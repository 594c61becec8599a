package dev.threatip.policy;

/**
 * The path a policy matches prefixes against: percent-escapes of unreserved characters decoded
 * ({@code /%6Cogin} is {@code /login}), runs of slashes collapsed and dot segments resolved,
 * so a client cannot step around a stricter {@code /login} override with {@code //login},
 * {@code /./login} or {@code /static/../login}. Escapes of reserved characters ({@code %2F}) stay
 * as they are, as origins treat them. The common case — a path with nothing to normalise — is
 * returned as it is, without allocating.
 */
final class RequestPaths {
    private RequestPaths() {
    }

    static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        if (isClean(path)) {
            return path;
        }
        StringBuilder decoded = new StringBuilder(path.length());
        if (path.charAt(0) != '/') {
            decoded.append('/');
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                int v = hex(path.charAt(i + 1)) << 4 | hex(path.charAt(i + 2));
                if (v >= 0 && isUnreserved((char) v)) {
                    decoded.append((char) v);
                    i += 2;
                    continue;
                }
            }
            decoded.append(c);
        }
        // resolve segments (RFC 3986 §5.2.4), dropping empty ones
        StringBuilder out = new StringBuilder(decoded.length());
        int i = 0;
        int n = decoded.length();
        boolean trailingSlash = decoded.charAt(n - 1) == '/';
        while (i < n) {
            while (i < n && decoded.charAt(i) == '/') {
                i++;
            }
            int start = i;
            while (i < n && decoded.charAt(i) != '/') {
                i++;
            }
            int len = i - start;
            if (len == 0 || (len == 1 && decoded.charAt(start) == '.')) {
                continue;
            }
            if (len == 2 && decoded.charAt(start) == '.' && decoded.charAt(start + 1) == '.') {
                int cut = out.lastIndexOf("/");
                out.setLength(Math.max(cut, 0));
                continue;
            }
            out.append('/').append(decoded, start, i);
        }
        if (out.length() == 0 || (trailingSlash && out.charAt(out.length() - 1) != '/')) {
            out.append('/');
        }
        return out.toString();
    }

    /** Starts with '/', no '%', no "//", no "/." segment start. */
    private static boolean isClean(String p) {
        if (p.charAt(0) != '/') {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%') {
                return false;
            }
            if (c == '/' && i + 1 < p.length()) {
                char next = p.charAt(i + 1);
                if (next == '/' || next == '.') {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1 << 8; // keeps the combined value negative
    }
}
