package dev.threatip.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.alert.AlertPolicy;
import dev.threatip.alert.AlertSettings;
import dev.threatip.alert.ChannelSpec;
import dev.threatip.alert.DeliverySettings;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.intel.Verdict;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code alerts} section strictly (see the alert package's README):
 *
 * <pre>
 * alerts:
 *   delivery: {max_attempts: 15, initial_backoff: 1s, max_backoff: 10m, timeout: 10s}
 *   channels:
 *     ops-webhook: {type: webhook, url: https://..., secret: ..., headers: {X-Env: prod}}
 *     slack:       {type: slack, url: https://hooks.slack.com/services/...}
 *     mail:        {type: smtp, host: smtp.example.net, port: 587, starttls: true, username: u,
 *                   password_file: smtp.pass, from: threatip@example.net, to: [soc@example.net]}
 *     siem:        {type: syslog, host: 10.0.0.5, port: 514, transport: udp}
 *   policies:
 *     high-threats:
 *       when: {verdict: [malicious], level: high, categories: [scanner], confidence: moderate,
 *              source: [behavior], min_hits: 20, window: 10m, paths: ["/wp-login.php"], inputs: [syslog]}
 *       group_by: ip          # or policy
 *       suppress: 10m
 *       channels: [ops-webhook, slack]
 * </pre>
 */
final class AlertsSection {
    private static final Set<String> CHANNEL_TYPES = Set.of("webhook", "slack", "smtp", "syslog");

    private AlertsSection() {
    }

    static AlertSettings parse(ConfigReader top, Path base) {
        ConfigReader a = top.section("alerts", Set.of("delivery", "channels", "policies"));
        if (!a.present()) {
            return AlertSettings.none();
        }
        ConfigReader d = a.section("delivery", Set.of("max_attempts", "initial_backoff", "max_backoff", "timeout"));
        Duration initial = d.duration("initial_backoff", DeliverySettings.DEFAULTS.initialBackoff(), Duration.ofMillis(100),
                Duration.ofHours(1));
        Duration max = d.duration("max_backoff", DeliverySettings.DEFAULTS.maxBackoff(), Duration.ofSeconds(1), Duration.ofDays(1));
        if (max.compareTo(initial) < 0) {
            throw d.error(d.key("max_backoff"), "is shorter than initial_backoff");
        }
        DeliverySettings delivery = new DeliverySettings(d.integer("max_attempts", DeliverySettings.DEFAULTS.maxAttempts(), 1, 1000),
                initial, max, d.duration("timeout", DeliverySettings.DEFAULTS.timeout(), Duration.ofMillis(100), Duration.ofMinutes(5)));

        Map<String, ChannelSpec> channels = new LinkedHashMap<>();
        ConfigReader cs = a.names("channels");
        for (Iterator<Map.Entry<String, JsonNode>> it = cs.entries(); it.hasNext(); ) {
            String name = it.next().getKey();
            channels.put(name, channel(cs, name, base));
        }
        List<AlertPolicy> policies = new ArrayList<>();
        ConfigReader ps = a.names("policies");
        for (Iterator<Map.Entry<String, JsonNode>> it = ps.entries(); it.hasNext(); ) {
            String name = it.next().getKey();
            policies.add(policy(ps, name, channels));
        }
        return new AlertSettings(policies, channels, delivery);
    }

    private static ChannelSpec channel(ConfigReader cs, String name, Path base) {
        JsonNode node = cs.raw(name);
        String type = node != null && node.isObject() && node.has("type") ? node.get("type").asText() : null;
        if (type == null) {
            throw cs.error(cs.key(name) + ".type", "missing; allowed: " + String.join(", ", sorted(CHANNEL_TYPES)));
        }
        return switch (type) {
            case "webhook" -> {
                ConfigReader c = cs.section(name, Set.of("type", "url", "secret", "headers"));
                String secret = required(c, "secret");
                if (secret.length() < 16) {
                    throw c.error(c.key("secret"), "too short; use at least 16 characters (e.g. openssl rand -hex 32)");
                }
                Map<String, String> headers = new LinkedHashMap<>();
                ConfigReader h = c.names("headers");
                for (Iterator<Map.Entry<String, JsonNode>> it = h.entries(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getKey().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                        throw h.error(h.key(e.getKey()), "not a valid HTTP header name");
                    }
                    String lower = e.getKey().toLowerCase(Locale.ROOT);
                    if (Set.of("host", "connection", "content-length", "expect", "upgrade", "content-type").contains(lower)
                            || lower.startsWith("x-threatip-")) {
                        throw h.error(h.key(e.getKey()), "set by threatip itself; choose another header");
                    }
                    String v = h.string(e.getKey(), "");
                    if (v.chars().anyMatch(ch -> ch < 0x20 && ch != '\t')) {
                        throw h.error(h.key(e.getKey()), "a header value must not contain control characters");
                    }
                    headers.put(e.getKey(), v);
                }
                yield new ChannelSpec.Webhook(name, httpUrl(c, "url"), secret, headers);
            }
            case "slack" -> {
                ConfigReader c = cs.section(name, Set.of("type", "url"));
                yield new ChannelSpec.Slack(name, httpUrl(c, "url"));
            }
            case "smtp" -> {
                ConfigReader c = cs.section(name, Set.of("type", "host", "port", "starttls", "username", "password_file", "from", "to"));
                String username = c.string("username", null);
                String passwordFile = c.string("password_file", null);
                Path pw = null;
                if ((username == null) != (passwordFile == null)) {
                    throw c.error(c.key(username == null ? "username" : "password_file"),
                            "missing; a login needs both username and password_file");
                }
                if (passwordFile != null) {
                    pw = base.resolve(passwordFile);
                    if (!Files.isReadable(pw)) {
                        throw c.error(c.key("password_file"), pw + " is not a readable file");
                    }
                }
                List<String> to = c.strings("to");
                if (to.isEmpty()) {
                    throw c.error(c.key("to"), "missing; give at least one recipient");
                }
                String from = required(c, "from");
                for (String addr : concat(from, to)) {
                    if (!addr.matches("[^@\\s<>]+@[^@\\s<>]+")) {
                        throw c.error(c.key(addr.equals(from) ? "from" : "to"), "'" + addr + "' is not an e-mail address");
                    }
                }
                yield new ChannelSpec.Smtp(name, required(c, "host"), c.integer("port", 587, 1, 65535), c.bool("starttls", true),
                        username, pw, from, to);
            }
            case "syslog" -> {
                ConfigReader c = cs.section(name, Set.of("type", "host", "port", "transport"));
                String transport = c.choice("transport", "udp", List.of("udp", "tcp"));
                yield new ChannelSpec.Syslog(name, required(c, "host"), c.integer("port", 514, 1, 65535),
                        ChannelSpec.Transport.valueOf(transport.toUpperCase(Locale.ROOT)));
            }
            default -> throw cs.error(cs.key(name) + ".type", "'" + type + "' is not allowed; allowed: "
                    + String.join(", ", sorted(CHANNEL_TYPES)));
        };
    }

    private static AlertPolicy policy(ConfigReader ps, String name, Map<String, ChannelSpec> channels) {
        ConfigReader p = ps.section(name, Set.of("when", "group_by", "suppress", "channels"));
        ConfigReader w = p.section("when", Set.of("verdict", "level", "categories", "confidence", "source", "min_hits",
                "window", "paths", "inputs"));
        Set<Verdict.Kind> verdicts = EnumSet.noneOf(Verdict.Kind.class);
        for (String v : w.strings("verdict")) {
            switch (v) {
                case "malicious" -> verdicts.add(Verdict.Kind.MALICIOUS);
                case "suspicious" -> verdicts.add(Verdict.Kind.SUSPICIOUS);
                default -> throw w.error(w.key("verdict"), "'" + v + "' is not allowed; allowed: malicious, suspicious");
            }
        }
        if (verdicts.isEmpty()) {
            verdicts = EnumSet.of(Verdict.Kind.MALICIOUS, Verdict.Kind.SUSPICIOUS);
        }
        ThreatLevel level = null;
        String levelText = w.choice("level", null, List.of("low", "medium", "high"));
        if (levelText != null) {
            level = ThreatLevel.fromWire(levelText);
        }
        Set<Category> categories = EnumSet.noneOf(Category.class);
        for (String c : w.strings("categories")) {
            try {
                categories.add(Category.fromWire(c));
            } catch (IllegalArgumentException e) {
                throw w.error(w.key("categories"), e.getMessage());
            }
        }
        String confText = w.choice("confidence", null, List.of("general", "moderate", "high"));
        Set<AlertPolicy.Source> sources = EnumSet.noneOf(AlertPolicy.Source.class);
        for (String s : w.strings("source")) {
            switch (s) {
                case "intel" -> sources.add(AlertPolicy.Source.INTEL);
                case "behavior" -> sources.add(AlertPolicy.Source.BEHAVIOR);
                default -> throw w.error(w.key("source"), "'" + s + "' is not allowed; allowed: intel, behavior");
            }
        }
        AlertPolicy.Condition when = new AlertPolicy.Condition(verdicts, level, categories,
                confText == null ? null : Confidence.fromWire(confText), sources, w.integer("min_hits", 1, 1, 100_000_000),
                w.duration("window", Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofDays(7)),
                globs(w, "paths"), globs(w, "inputs"));
        String group = p.choice("group_by", "ip", List.of("ip", "policy"));
        List<String> names = p.strings("channels");
        if (names.isEmpty()) {
            throw p.error(p.key("channels"), "missing; name at least one of: " + String.join(", ", channels.keySet()));
        }
        for (String c : names) {
            if (!channels.containsKey(c)) {
                throw p.error(p.key("channels"), "'" + c + "' is not a channel of alerts.channels; known: "
                        + (channels.isEmpty() ? "none" : String.join(", ", channels.keySet())));
            }
        }
        return new AlertPolicy(name, when, group.equals("ip") ? AlertPolicy.Grouping.IP : AlertPolicy.Grouping.POLICY,
                p.duration("suppress", Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1)), names);
    }

    private static List<String> globs(ConfigReader r, String k) {
        List<String> out = r.strings(k);
        for (String g : out) {
            if (g.isEmpty() || g.length() > 1000) {
                throw r.error(r.key(k), "a pattern must be 1 to 1000 characters");
            }
        }
        return out;
    }

    private static String required(ConfigReader c, String k) {
        String v = c.string(k, null);
        if (v == null || v.isBlank()) {
            throw c.error(c.key(k), "missing");
        }
        return v;
    }

    private static URI httpUrl(ConfigReader c, String k) {
        String text = required(c, k);
        try {
            URI u = new URI(text);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw c.error(c.key(k), "'" + text + "' is not an http or https URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw c.error(c.key(k), "'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
