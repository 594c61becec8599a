package dev.threatip.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsers for any nginx {@code log_format} string, compiled once:
 *
 * <pre>{@code
 * LogFormat f = NginxLogFormat.compile(
 *     "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_x_forwarded_for\"");
 * }</pre>
 *
 * Variables that fill {@link LineFields}: {@code $remote_addr}, {@code $time_local},
 * {@code $time_iso8601}, {@code $msec}, {@code $request}, {@code $request_method},
 * {@code $request_uri}, {@code $uri} / {@code $document_uri}, {@code $args} / {@code $query_string},
 * {@code $server_protocol}, {@code $status}, {@code $body_bytes_sent} (else {@code $bytes_sent}),
 * {@code $http_referer}, {@code $http_user_agent}, {@code $http_x_forwarded_for},
 * {@code $http_x_real_ip}, {@code $http_cf_connecting_ip} (else {@code $http_true_client_ip}),
 * {@code $host}, {@code $http_host}, {@code $server_name}. Every other variable
 * ({@code $remote_user}, {@code $request_time}, {@code $upstream_*}, ...) is an opaque field that
 * is skipped. {@code ${var}} is the same as {@code $var}. A value of {@code -} is absent.
 * Variables must be separated by literal text, except {@code $uri$is_args$args}.
 */
public final class NginxLogFormat {
    private static final Map<String, FieldKind> VARIABLES = new LinkedHashMap<>();

    static {
        VARIABLES.put("remote_addr", FieldKind.REMOTE_ADDR);
        VARIABLES.put("time_local", FieldKind.TIME_CLF);
        VARIABLES.put("time_iso8601", FieldKind.TIME_ISO);
        VARIABLES.put("msec", FieldKind.TIME_EPOCH);
        VARIABLES.put("request", FieldKind.REQUEST);
        VARIABLES.put("request_method", FieldKind.METHOD);
        VARIABLES.put("request_uri", FieldKind.REQUEST_URI);
        VARIABLES.put("uri", FieldKind.PATH);
        VARIABLES.put("document_uri", FieldKind.PATH);
        VARIABLES.put("args", FieldKind.QUERY);
        VARIABLES.put("query_string", FieldKind.QUERY);
        VARIABLES.put("server_protocol", FieldKind.PROTOCOL);
        VARIABLES.put("status", FieldKind.STATUS);
        VARIABLES.put("body_bytes_sent", FieldKind.BYTES);
        VARIABLES.put("bytes_sent", FieldKind.BYTES);
        VARIABLES.put("http_referer", FieldKind.REFERER);
        VARIABLES.put("http_user_agent", FieldKind.USER_AGENT);
        VARIABLES.put("http_x_forwarded_for", FieldKind.FORWARDED_FOR);
        VARIABLES.put("http_x_real_ip", FieldKind.REAL_IP);
        VARIABLES.put("http_cf_connecting_ip", FieldKind.CONNECTING_IP);
        VARIABLES.put("http_true_client_ip", FieldKind.CONNECTING_IP);
        VARIABLES.put("host", FieldKind.HOST);
        VARIABLES.put("http_host", FieldKind.HOST);
        VARIABLES.put("server_name", FieldKind.HOST);
    }

    private NginxLogFormat() {
    }

    /** Compiles with the name {@code nginx}. */
    public static LogFormat compile(String logFormat) {
        return compile("nginx", logFormat);
    }

    /**
     * Compiles an nginx {@code log_format} string (the quoted parts of the directive joined, with
     * nginx's own {@code \"} already unescaped to {@code "}).
     *
     * @throws IllegalArgumentException when the string is empty, has a bare {@code $} or an
     *                                  unclosed {@code ${}, or fields with nothing between them
     */
    public static LogFormat compile(String name, String logFormat) {
        if (logFormat == null || logFormat.isBlank()) {
            throw new IllegalArgumentException("nginx log_format is empty; expected e.g. '$remote_addr - $remote_user "
                    + "[$time_local] \"$request\" ...' using " + String.join(", ", supported()));
        }
        FormatProgram.Builder program = new FormatProgram.Builder();
        StringBuilder literal = new StringBuilder();
        boolean bytesSeen = logFormat.contains("$body_bytes_sent") || logFormat.contains("${body_bytes_sent}");
        boolean connectingSeen = logFormat.contains("$http_cf_connecting_ip") || logFormat.contains("${http_cf_connecting_ip}");
        int i = 0;
        int n = logFormat.length();
        while (i < n) {
            char c = logFormat.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            String var;
            int next;
            if (i + 1 < n && logFormat.charAt(i + 1) == '{') {
                int close = logFormat.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("nginx log_format has an unclosed '${' at offset " + i + ": " + logFormat);
                }
                var = logFormat.substring(i + 2, close);
                next = close + 1;
            } else {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(logFormat.charAt(j)) || logFormat.charAt(j) == '_')) {
                    j++;
                }
                var = logFormat.substring(i + 1, j);
                next = j;
            }
            if (var.isEmpty() || !var.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch) || ch == '_'))) {
                throw new IllegalArgumentException("nginx log_format has an invalid variable '$" + var + "' at offset " + i
                        + "; known variables: " + String.join(", ", supported()) + " (any other $name is skipped)");
            }
            i = next;
            if (var.equals("is_args")) {
                // "?" or nothing: it joins the value that follows ($uri$is_args$args is one target).
                continue;
            }
            program.literal(literal.toString());
            literal.setLength(0);
            FieldKind kind = VARIABLES.getOrDefault(var, FieldKind.SKIP);
            if ((var.equals("bytes_sent") && bytesSeen) || (var.equals("http_true_client_ip") && connectingSeen)) {
                kind = FieldKind.SKIP;
            }
            program.field("$" + var, kind, 0);
        }
        program.literal(literal.toString());
        return program.build(name, logFormat);
    }

    /** The variables that fill fields, as {@code $name}. */
    static String[] supported() {
        return VARIABLES.keySet().stream().map(v -> "$" + v).toArray(String[]::new);
    }
}
