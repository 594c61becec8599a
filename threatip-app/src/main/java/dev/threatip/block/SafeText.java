package dev.threatip.block;

import dev.threatip.net.Cidr;

/**
 * Decision reasons quote what attackers sent (paths, user agents), so no reason reaches an export
 * as written. Comments and quoted strings of config formats (nftables, ipset, iptables, nginx,
 * HAProxy, Apache) have no escapes a writer could rely on — nftables and ipset end a string at
 * the next {@code "}, Apache continues a comment after a trailing backslash, every one of them
 * ends a comment at a newline — so {@link #comment} keeps a small alphabet that means nothing in
 * any of them and replaces everything else. JSON goes through Jackson, which escapes; {@link
 * #plain} only drops control characters and bounds the length. CSV cells are quoted and defused
 * against spreadsheet formulas by {@link #csvCell}.
 */
final class SafeText {
    /** The longest comment written, in characters: under nftables' 128 and Tencent's 100-character descriptions. */
    static final int COMMENT_MAX = 100;

    private SafeText() {
    }

    /**
     * Text safe inside a comment or a double-quoted string of any config format written here:
     * ASCII letters, digits, space and {@code _ . , : ; / ( ) = + @ % ! ? -}; any other character
     * becomes {@code _}, runs of white space one space, at most {@code max} characters
     * ({@code ...} marks a cut). Null is empty.
     */
    static String comment(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && sb.length() <= max; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                space = sb.length() > 0;
                continue;
            }
            if (space) {
                sb.append(' ');
                space = false;
            }
            sb.append(allowed(c) ? (char) c : '_');
        }
        return clip(sb.toString(), max);
    }

    /** Text for a JSON string: control characters become spaces, at most {@code max} characters. Null is empty. */
    static String plain(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max + 1));
        for (int i = 0; i < text.length() && sb.length() <= max; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return clip(sb.toString().strip(), max);
    }

    /**
     * An RFC 4180 cell: quoted when it holds a comma, quote or line break (quotes doubled); a cell a
     * spreadsheet would run as a formula ({@code = + - @}, tab, carriage return first) is prefixed
     * with {@code '}. Line breaks inside become spaces, so one record stays one line.
     */
    static String csvCell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String v = plain(value, Integer.MAX_VALUE - 1);
        char first = v.isEmpty() ? ' ' : v.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /** {@code 203.0.113.7} for a single address, else {@code 192.0.2.0/24}. */
    static String address(Cidr scope) {
        return scope.isSingleAddress() ? scope.network().toString() : scope.toString();
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_.,:;/()=+@%!?-".indexOf(c) >= 0;
    }

    private static String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, Math.max(0, max - 3)).stripTrailing() + "...";
    }
}
