package dev.threatip.intel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A strict, bounded scanner for STIX 2.1 patterns that checks the whole pattern against the
 * patterning grammar and collects the addresses it asserts.
 *
 * <p>A recursive-descent pass over the characters, no regular expressions: observation
 * expressions in {@code [...]} or {@code (...)} joined by {@code AND}, {@code OR},
 * {@code FOLLOWEDBY}, each optionally qualified ({@code WITHIN n SECONDS}, {@code REPEATS n
 * TIMES}, {@code START t'..' STOP t'..'}); inside brackets, comparisons joined by {@code AND} /
 * {@code OR} with parentheses. A comparison is {@code path [NOT] op value}, {@code path [NOT]
 * IN (v, ...)} or {@code EXISTS path}. Strings are single-quoted with {@code \'} and
 * {@code \\} as the only escapes. Cost is linear in the pattern, which is capped at
 * {@value #MAX_LENGTH} characters, and nesting at {@value #MAX_DEPTH} levels.
 *
 * <p>Collected: string values compared with {@code =}, {@code ISSUBSET} or {@code IN} (not
 * negated) against {@code ipv4-addr:value}, {@code ipv6-addr:value},
 * {@code network-traffic:src_ref.value} and {@code network-traffic:dst_ref.value}. Every such
 * value is taken whatever joins it ({@code AND} as well as {@code OR}): an address a feed
 * names as part of a malicious observation is worth flagging on its own.
 */
final class StixPattern {
    static final int MAX_LENGTH = 65_536;
    static final int MAX_DEPTH = 32;

    /** The object paths whose values are addresses or networks. */
    static final Set<String> IP_PATHS = Set.of("ipv4-addr:value", "ipv6-addr:value",
            "network-traffic:src_ref.value", "network-traffic:dst_ref.value");

    /** One asserted address: the object path and the quoted value, unescaped. */
    record IpValue(String path, String value) {
    }

    /** A pattern that breaks the grammar; {@link #getMessage()} says what and at which offset. */
    static final class MalformedPatternException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedPatternException(String why, int offset) {
            super(why + " at offset " + offset);
        }
    }

    private final String s;
    private final List<IpValue> found = new ArrayList<>();
    private int pos;

    private StixPattern(String pattern) {
        this.s = pattern;
    }

    /**
     * Checks {@code pattern} and returns the address values it asserts, in pattern order.
     *
     * @throws MalformedPatternException when the pattern is not STIX patterning or exceeds the bounds
     */
    static List<IpValue> ipValues(String pattern) throws MalformedPatternException {
        if (pattern.length() > MAX_LENGTH) {
            throw new MalformedPatternException("pattern longer than " + MAX_LENGTH + " characters", 0);
        }
        StixPattern p = new StixPattern(pattern);
        p.observationExpressions(0);
        p.skipBlanks();
        if (p.pos != pattern.length()) {
            throw p.error("unexpected '" + pattern.charAt(p.pos) + "'");
        }
        return p.found;
    }

    private void observationExpressions(int depth) throws MalformedPatternException {
        observationExpression(depth);
        while (acceptKeyword("AND") || acceptKeyword("OR") || acceptKeyword("FOLLOWEDBY")) {
            observationExpression(depth);
        }
    }

    private void observationExpression(int depth) throws MalformedPatternException {
        if (depth >= MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipBlanks();
        if (accept('[')) {
            comparisonExpressions(depth + 1);
            expect(']');
        } else if (accept('(')) {
            observationExpressions(depth + 1);
            expect(')');
        } else {
            throw error("expected '[' or '('");
        }
        qualifiers();
    }

    private void qualifiers() throws MalformedPatternException {
        while (true) {
            if (acceptKeyword("WITHIN")) {
                number();
                expectKeyword("SECONDS");
            } else if (acceptKeyword("REPEATS")) {
                number();
                expectKeyword("TIMES");
            } else if (acceptKeyword("START")) {
                timestamp();
                expectKeyword("STOP");
                timestamp();
            } else {
                return;
            }
        }
    }

    private void comparisonExpressions(int depth) throws MalformedPatternException {
        comparisonOrGroup(depth);
        while (acceptKeyword("AND") || acceptKeyword("OR")) {
            comparisonOrGroup(depth);
        }
    }

    private void comparisonOrGroup(int depth) throws MalformedPatternException {
        if (depth >= MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipBlanks();
        if (accept('(')) {
            comparisonExpressions(depth + 1);
            expect(')');
        } else {
            comparison();
        }
    }

    private void comparison() throws MalformedPatternException {
        if (acceptKeyword("EXISTS")) {
            objectPath();
            return;
        }
        String path = objectPath();
        boolean negated = acceptKeyword("NOT");
        skipBlanks();
        String op;
        if (accept('=')) {
            op = "=";
        } else if (accept('!')) {
            expect('=');
            op = "!=";
        } else if (accept('<') || accept('>')) {
            accept('=');
            op = "<>";
        } else {
            op = word();
            if (!Set.of("IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET").contains(op)) {
                throw error(op.isEmpty() ? "expected a comparison operator" : "unknown operator '" + op + "'");
            }
        }
        boolean collect = !negated && IP_PATHS.contains(path) && (op.equals("=") || op.equals("ISSUBSET")
                || op.equals("IN"));
        if (op.equals("IN")) {
            expect('(');
            do {
                addIf(collect, path, literal());
                skipBlanks();
            } while (accept(','));
            expect(')');
        } else {
            addIf(collect, path, literal());
        }
    }

    private void addIf(boolean collect, String path, String value) {
        if (collect && value != null) {
            found.add(new IpValue(path, value));
        }
    }

    /** {@code type:step(.step | [n] | [*])*}; returns the path as written, quoted steps unquoted. */
    private String objectPath() throws MalformedPatternException {
        skipBlanks();
        int start = pos;
        while (pos < s.length() && (isLower(s.charAt(pos)) || isDigit(s.charAt(pos)) || s.charAt(pos) == '-')) {
            pos++;
        }
        if (pos == start) {
            throw error("expected an object path such as ipv4-addr:value");
        }
        StringBuilder path = new StringBuilder(s.substring(start, pos));
        if (!accept(':')) {
            throw error("expected ':' after object type '" + path + "'");
        }
        path.append(':').append(step());
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '.') {
                pos++;
                path.append('.').append(step());
            } else if (c == '[') {
                pos++;
                if (!accept('*')) {
                    int n = pos;
                    while (pos < s.length() && isDigit(s.charAt(pos))) {
                        pos++;
                    }
                    if (n == pos) {
                        throw error("expected a list index or '*'");
                    }
                }
                if (!accept(']')) {
                    throw error("expected ']' after list index");
                }
                path.append("[]");
            } else {
                break;
            }
        }
        return path.toString();
    }

    private String step() throws MalformedPatternException {
        if (pos < s.length() && s.charAt(pos) == '\'') {
            return quoted();
        }
        int start = pos;
        while (pos < s.length() && (isLower(s.charAt(pos)) || isUpper(s.charAt(pos)) || isDigit(s.charAt(pos))
                || s.charAt(pos) == '_' || s.charAt(pos) == '-')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a property name");
        }
        return s.substring(start, pos);
    }

    /** A constant; returns the text of a plain string, null for any other kind. */
    private String literal() throws MalformedPatternException {
        skipBlanks();
        if (pos >= s.length()) {
            throw error("expected a value");
        }
        char c = s.charAt(pos);
        if (c == '\'') {
            return quoted();
        }
        if ((c == 't' || c == 'h' || c == 'b') && pos + 1 < s.length() && s.charAt(pos + 1) == '\'') {
            pos++;
            quoted();
            return null;
        }
        if (c == '-' || c == '+' || isDigit(c)) {
            number();
            return null;
        }
        String w = word();
        if (w.equals("true") || w.equals("false")) {
            return null;
        }
        throw error(w.isEmpty() ? "expected a value" : "unexpected '" + w + "' where a value belongs");
    }

    private void timestamp() throws MalformedPatternException {
        skipBlanks();
        if (!(pos + 1 < s.length() && s.charAt(pos) == 't' && s.charAt(pos + 1) == '\'')) {
            throw error("expected a timestamp t'...'");
        }
        pos++;
        quoted();
    }

    private String quoted() throws MalformedPatternException {
        int open = pos;
        pos++; // the opening quote
        StringBuilder out = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\'') {
                return out.toString();
            }
            if (c == '\\') {
                if (pos >= s.length()) {
                    break;
                }
                char e = s.charAt(pos++);
                if (e != '\'' && e != '\\') {
                    throw error("invalid escape '\\" + e + "' (only \\' and \\\\ are allowed)");
                }
                out.append(e);
            } else {
                out.append(c);
            }
        }
        throw new MalformedPatternException("unterminated string", open);
    }

    private void number() throws MalformedPatternException {
        skipBlanks();
        int start = pos;
        if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
            pos++;
        }
        int digits = pos;
        while (pos < s.length() && (isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        if (digits == pos) {
            pos = start;
            throw error("expected a number");
        }
    }

    private String word() {
        skipBlanks();
        int start = pos;
        while (pos < s.length() && (isUpper(s.charAt(pos)) || isLower(s.charAt(pos)))) {
            pos++;
        }
        return s.substring(start, pos);
    }

    /** Consumes {@code keyword} when it stands next as a whole word. */
    private boolean acceptKeyword(String keyword) {
        skipBlanks();
        int end = pos + keyword.length();
        if (s.startsWith(keyword, pos) && (end == s.length() || !isWordChar(s.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void expectKeyword(String keyword) throws MalformedPatternException {
        if (!acceptKeyword(keyword)) {
            throw error("expected " + keyword);
        }
    }

    private boolean accept(char c) {
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws MalformedPatternException {
        skipBlanks();
        if (!accept(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipBlanks() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private MalformedPatternException error(String why) {
        return new MalformedPatternException(why, pos);
    }

    private static boolean isWordChar(char c) {
        return isUpper(c) || isLower(c) || isDigit(c) || c == '_' || c == '-';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
