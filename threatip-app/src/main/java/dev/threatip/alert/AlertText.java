package dev.threatip.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.store.PathCount;

/**
 * The message templates: a subject line, plain text, HTML, Slack {@code text}/{@code blocks}
 * and a syslog message, each with the IP, verdict, level, categories, top endpoints and the
 * profile link. Paths and user agents come from attackers: HTML escapes them, Slack mrkdwn gets
 * them escaped inside code spans, and every template drops control characters (no header or log
 * line injection) and clips long values.
 */
final class AlertText {
    private static final int MAX_VALUE = 200;

    private AlertText() {
    }

    static String subject(Alert a) {
        if (a.digest()) {
            return clean("[threatip] " + a.count() + (a.count() == 1 ? " IP" : " IPs") + " matched " + a.policy()
                    + " (highest: " + a.level().wireName() + ", e.g. " + a.ip() + ")");
        }
        return clean("[threatip] " + a.verdict().wireName() + " " + a.level().wireName() + ": " + a.ip() + " ("
                + a.categoryList() + ") - " + a.policy());
    }

    static String text(Alert a) {
        StringBuilder sb = new StringBuilder();
        if (a.digest()) {
            sb.append(a.count()).append(a.count() == 1 ? " IP" : " IPs").append(" matched the alert policy ")
                    .append(a.policy()).append(".\n\n");
        } else {
            sb.append(a.ip()).append(" is ").append(a.verdict().wireName()).append(" (level ").append(a.level().wireName())
                    .append("), alert policy ").append(a.policy()).append(".\n\n");
        }
        sb.append("IP:          ").append(a.ip()).append('\n');
        sb.append("Verdict:     ").append(a.verdict().wireName()).append(", level ").append(a.level().wireName()).append('\n');
        sb.append("Categories:  ").append(a.categoryList()).append('\n');
        sb.append("Hits:        ").append(a.hits()).append('\n');
        sb.append("Seen:        ").append(a.firstSeen()).append(" to ").append(a.lastSeen()).append('\n');
        sb.append("Alerts:      ").append(a.count()).append('\n');
        sb.append("Profile:     ").append(a.profileUrl()).append('\n');
        if (!a.topPaths().isEmpty()) {
            sb.append("\nTop endpoints:\n");
            for (PathCount p : a.topPaths()) {
                sb.append("  ").append(p.count()).append("  ").append(clean(p.path())).append('\n');
            }
        }
        if (!a.userAgents().isEmpty()) {
            sb.append("\nUser agents:\n");
            a.userAgents().forEach(u -> sb.append("  ").append(clean(u)).append('\n'));
        }
        if (a.digest()) {
            sb.append("\nIPs:\n");
            for (Alert.Member m : a.ips()) {
                sb.append("  ").append(m.ip()).append("  ").append(m.level().wireName()).append("  ").append(m.hits())
                        .append(" hits  ").append(m.profileUrl()).append('\n');
            }
            if (a.count() > a.ips().size()) {
                sb.append("  ... and ").append(a.count() - a.ips().size()).append(" more\n");
            }
        }
        return sb.toString();
    }

    static String html(Alert a) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        sb.append("<h2>").append(html(subject(a))).append("</h2><table>");
        row(sb, "IP", "<a href=\"" + html(a.profileUrl()) + "\">" + html(a.ip().toString()) + "</a>");
        row(sb, "Verdict", html(a.verdict().wireName() + ", level " + a.level().wireName()));
        row(sb, "Categories", html(a.categoryList()));
        row(sb, "Hits", Long.toString(a.hits()));
        row(sb, "Seen", html(a.firstSeen() + " to " + a.lastSeen()));
        row(sb, "Alerts", Integer.toString(a.count()));
        sb.append("</table>");
        if (!a.topPaths().isEmpty()) {
            sb.append("<h3>Top endpoints</h3><ul>");
            for (PathCount p : a.topPaths()) {
                sb.append("<li><code>").append(html(clean(p.path()))).append("</code> (").append(p.count()).append(")</li>");
            }
            sb.append("</ul>");
        }
        if (!a.userAgents().isEmpty()) {
            sb.append("<h3>User agents</h3><ul>");
            a.userAgents().forEach(u -> sb.append("<li><code>").append(html(clean(u))).append("</code></li>"));
            sb.append("</ul>");
        }
        if (a.digest()) {
            sb.append("<h3>IPs</h3><ul>");
            for (Alert.Member m : a.ips()) {
                sb.append("<li><a href=\"").append(html(m.profileUrl())).append("\">").append(html(m.ip().toString()))
                        .append("</a> ").append(html(m.level().wireName())).append(", ").append(m.hits()).append(" hits</li>");
            }
            if (a.count() > a.ips().size()) {
                sb.append("<li>and ").append(a.count() - a.ips().size()).append(" more</li>");
            }
            sb.append("</ul>");
        }
        sb.append("<p><a href=\"").append(html(a.profileUrl())).append("\">Open the profile in threatip</a></p></body></html>");
        return sb.toString();
    }

    /** Slack's incoming-webhook body: {@code text} (the notification) and {@code blocks}. */
    static ObjectNode slack(Alert a) {
        ObjectNode o = AlertJson.MAPPER.createObjectNode();
        o.put("text", mrkdwn(subject(a)));
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "section");
        header.putObject("text").put("type", "mrkdwn").put("text", "*" + mrkdwn(subject(a)) + "*");
        ObjectNode fields = blocks.addObject().put("type", "section");
        ArrayNode f = fields.putArray("fields");
        field(f, "IP", "<" + mrkdwn(a.profileUrl()) + "|" + a.ip() + ">");
        field(f, "Verdict", mrkdwn(a.verdict().wireName() + ", level " + a.level().wireName()));
        field(f, "Categories", mrkdwn(a.categoryList()));
        field(f, "Hits", Long.toString(a.hits()));
        field(f, "Alerts", Integer.toString(a.count()));
        field(f, "Seen", mrkdwn(a.firstSeen() + " to " + a.lastSeen()));
        if (!a.topPaths().isEmpty()) {
            StringBuilder sb = new StringBuilder("*Top endpoints*\n");
            for (PathCount p : a.topPaths()) {
                sb.append("• ").append(code(p.path())).append(" (").append(p.count()).append(")\n");
            }
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", sb.toString());
        }
        if (a.digest() && !a.ips().isEmpty()) {
            StringBuilder sb = new StringBuilder("*IPs*\n");
            for (Alert.Member m : a.ips()) {
                sb.append("• <").append(mrkdwn(m.profileUrl())).append('|').append(m.ip()).append("> ")
                        .append(m.level().wireName()).append(", ").append(m.hits()).append(" hits\n");
            }
            if (a.count() > a.ips().size()) {
                sb.append("… and ").append(a.count() - a.ips().size()).append(" more");
            }
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", sb.toString());
        }
        blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "threatip alert policy " + code(a.policy()));
        return o;
    }

    /** One line for syslog's MSG: no control characters, clipped. */
    static String syslog(Alert a) {
        StringBuilder sb = new StringBuilder(subject(a));
        if (!a.topPaths().isEmpty()) {
            sb.append("; top paths:");
            for (PathCount p : a.topPaths()) {
                sb.append(' ').append(clean(p.path())).append(" (").append(p.count()).append(')');
            }
        }
        sb.append("; ").append(a.profileUrl());
        return sb.toString();
    }

    private static void row(StringBuilder sb, String k, String htmlValue) {
        sb.append("<tr><th align=\"left\">").append(k).append("</th><td>").append(htmlValue).append("</td></tr>");
    }

    private static void field(ArrayNode fields, String k, String mrkdwnValue) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + k + "*\n" + mrkdwnValue);
    }

    /** HTML text and attribute escaping. */
    static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Slack mrkdwn escaping: {@code & < >} become entities, so no {@code <!channel>}, mention or
     * link can be injected; formatting characters are left to {@link #code}.
     */
    static String mrkdwn(String s) {
        return clean(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** An attacker-influenced value as a Slack code span: escaped, backticks replaced, so it cannot end the span. */
    static String code(String s) {
        return "`" + mrkdwn(s).replace('`', '\'') + "`";
    }

    /** Drops control characters (CR, LF, ESC, ...) and clips to a readable length. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_VALUE + 1));
        for (int i = 0; i < s.length() && sb.length() < MAX_VALUE; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (s.length() > MAX_VALUE) {
            sb.append('…');
        }
        return sb.toString();
    }
}
