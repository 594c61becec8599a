package dev.threatip.policy;

import java.util.Locale;

/**
 * A host a policy part applies to: an exact name ({@code shop.example}) or every subdomain of one
 * ({@code *.shop.example}, not {@code shop.example} itself). Matched against the {@code Host}
 * header without its port, ignoring case, without allocating.
 */
record HostPattern(String text, String name, boolean wildcard) {

    static HostPattern parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("*.")) {
            String suffix = t.substring(1); // ".shop.example"
            check(text, suffix.substring(1));
            return new HostPattern(t, suffix, true);
        }
        check(text, t);
        return new HostPattern(t, t, false);
    }

    private static void check(String original, String name) {
        if (name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException("'" + original + "' is not a host name; use shop.example or *.shop.example");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException("'" + original + "' is not a host name (character '" + c
                        + "'); use shop.example or *.shop.example, no port, no scheme");
            }
        }
    }

    boolean matches(String host) {
        if (host == null) {
            return false;
        }
        int end = hostEnd(host);
        if (wildcard) {
            int len = name.length(); // ".shop.example"
            return end > len && host.regionMatches(true, end - len, name, 0, len);
        }
        return end == name.length() && host.regionMatches(true, 0, name, 0, end);
    }

    /** The end of the name part: before a port, and before a trailing dot. */
    private static int hostEnd(String host) {
        int end = host.length();
        if (!host.isEmpty() && host.charAt(0) != '[') {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        if (end > 0 && host.charAt(end - 1) == '.') {
            end--;
        }
        return end;
    }
}
