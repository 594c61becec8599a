package dev.threatip.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own pages: the block page (the policy's or the built-in one, compiled once per
 * policy: {@link BlockPage}) and the challenge page, filled in by placeholder replacement with
 * every value HTML- or JS-escaped.
 */
final class Pages {
    private static final String CHALLENGE = resource("challenge.html");
    private static final BlockPage BUILT_IN = new BlockPage(resource("blocked.html"));

    private final BlockPage blocked;

    Pages(String blockTemplate) {
        this.blocked = blockTemplate == null ? BUILT_IN : new BlockPage(blockTemplate);
    }

    /** The block page of this policy. */
    BlockPage blocked() {
        return blocked;
    }

    static String challenge(String requestId, String kind, String challenge, int difficulty, String returnTo) {
        return CHALLENGE.replace("{{request_id}}", html(requestId)).replace("{{kind}}", html(kind))
                .replace("{{challenge}}", js(challenge)).replace("{{difficulty}}", Integer.toString(difficulty))
                .replace("{{return_to}}", js(returnTo));
    }

    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A value inside a double-quoted JS string in a script block: everything but safe ASCII as \\uXXXX. */
    static String js(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' && (i == 0 || s.charAt(i - 1) != '<') || c == '.' || c == '-' || c == '_' || c == '?'
                    || c == '=' || c == '%' || c == ',' || c == '~' || c == ':' || c == '+' || c == ';' || c == '@') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static String resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
