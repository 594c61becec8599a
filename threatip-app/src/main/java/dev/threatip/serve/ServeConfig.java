package dev.threatip.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.threatip.block.BlockPolicy;
import dev.threatip.block.BlockingConfig;
import dev.threatip.block.BlockingMode;
import dev.threatip.block.DecisionType;
import dev.threatip.block.Escalation;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ThreatLevel;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code threatip serve} runs with: {@code threatip.yaml} (DESIGN.md §5), every section
 * optional, defaults built in, command-line flags applied on top. Loading is strict: an unknown
 * key or a bad value is a {@link ConfigException} naming the key and the allowed values.
 *
 * <pre>
 * feeds:   {specs: [PATH_OR_URL,...], intel: intel.tis, allow_special: [private], refresh: 24h}
 * inputs:  {files: [/var/log/nginx/access.log, "/var/log/app/*.log"], start_at: end, format: auto,
 *           log_format: '...', ip_field: client.ip, trusted_proxies: [10.0.0.0/8],
 *           syslog: {port: 5514, udp: true, tcp: true, format: combined}, http: true}
 * rules:   {enabled: true, files: [my-rules.yaml]}
 * server:  {bind: 127.0.0.1, port: 8080, data_dir: ./threatip-data, admin_token: ..., read_tokens: [...],
 *           retention: 7d}
 * geo:     {city: [GeoLite2-City.mmdb], asn: [GeoLite2-ASN.mmdb]}
 * blocking: {mode: monitor, ipv6_prefix: 64, allowlist: [198.51.100.0/24], escalation: {factor: 2, max: 30d},
 *            policies: [{name: high-ban, when: {level: high, source: any, min_hits: 1, categories: [scanner],
 *                        min_confidence: moderate}, then: {type: ban, duration: 24h}}]}
 * </pre>
 * The sections {@code policy} and {@code alerts} are refused until this build
 * acts on them, so a configured alert is never silently ignored.
 */
public record ServeConfig(Feeds feeds, Inputs inputs, Rules rules, Server server, GeoPaths geo, BlockingConfig blocking) {
    static final Set<String> SECTIONS = Set.of("feeds", "inputs", "rules", "policy", "alerts", "blocking", "server", "geo");
    static final Set<String> NOT_YET = Set.of("policy", "alerts");

    public ServeConfig {
        Objects.requireNonNull(blocking, "blocking");
    }

    /** A config with the default {@code blocking} section (monitor mode, built-in policies). */
    public ServeConfig(Feeds feeds, Inputs inputs, Rules rules, Server server, GeoPaths geo) {
        this(feeds, inputs, rules, server, geo, BlockingConfig.defaults());
    }

    /**
     * @param specs        feed specs compiled at start and on every refresh
     * @param intel        a compiled snapshot to use instead (or, with specs, where the compiled one is kept)
     * @param allowSpecial special-purpose address classes let into the snapshot
     * @param refresh      how often the feeds are compiled again
     */
    public record Feeds(List<String> specs, Path intel, Set<AddressClass> allowSpecial, Duration refresh) {
        public Feeds {
            specs = List.copyOf(specs);
            allowSpecial = Set.copyOf(allowSpecial);
        }
    }

    /**
     * @param files          files and globs to tail
     * @param startAtEnd     whether a file present at start with no saved position starts at its end
     * @param format         {@code auto} or a format name
     * @param logFormat      an nginx {@code log_format} or Apache {@code LogFormat} string, or null
     * @param ipField        the client-address member of JSON logs, or null
     * @param trustedProxies proxies whose forwarded-for headers are believed
     * @param syslog         the syslog receiver, or null when off
     * @param http           whether {@code POST /api/v1/ingest} takes lines
     */
    public record Inputs(List<String> files, boolean startAtEnd, String format, String logFormat, String ipField,
                         List<Cidr> trustedProxies, Syslog syslog, boolean http) {
        public Inputs {
            files = List.copyOf(files);
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * @param port   UDP and TCP port
     * @param udp    listen on UDP
     * @param tcp    listen on TCP
     * @param format the format of the messages' lines ({@code auto} detects)
     */
    public record Syslog(int port, boolean udp, boolean tcp, String format) {
    }

    /**
     * @param enabled whether behaviour rules run at all (false: intel only, like {@code scan --no-rules})
     * @param files   user rule files, loaded after the built-in set
     */
    public record Rules(boolean enabled, List<Path> files) {
        public Rules {
            files = List.copyOf(files);
        }
    }

    /**
     * @param bind        address to listen on
     * @param port        HTTP port (0 picks a free one)
     * @param dataDir     store, admin token, tail positions, compiled feeds
     * @param adminToken  the admin token, or null to use (or create) {@code DATA_DIR/admin.token}
     * @param readTokens  read-only tokens
     * @param retention   how long events are kept
     */
    public record Server(String bind, int port, Path dataDir, String adminToken, List<String> readTokens,
                         Duration retention) {
        public Server {
            readTokens = List.copyOf(readTokens);
        }
    }

    /**
     * @param city MaxMind-format city or country databases, first answer wins
     * @param asn  ASN databases (MMDB or ip-location-db CSV)
     */
    public record GeoPaths(List<Path> city, List<Path> asn) {
        public GeoPaths {
            city = List.copyOf(city);
            asn = List.copyOf(asn);
        }
    }

    /** The built-in defaults: nothing to read, listen on 127.0.0.1:8080, data in {@code ./threatip-data}. */
    public static ServeConfig defaults() {
        return parse(null, null);
    }

    /** Loads and validates {@code file}. */
    public static ServeConfig load(Path file) throws IOException {
        String text = Files.readString(file);
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new ConfigException(file.toString(), at == null ? "(document)" : "line " + at.getLineNr(),
                    "not valid YAML: " + e.getOriginalMessage());
        }
        return parse(file.toString(), root);
    }

    static ServeConfig parse(String file, JsonNode root) {
        ConfigReader top = new ConfigReader(file, "", root, SECTIONS);
        for (String s : NOT_YET) {
            if (top.has(s)) {
                throw top.error(s, "not supported by this build yet (alert policies and the client reputation "
                        + "policy come later); remove the section");
            }
        }
        Path base = file == null ? Path.of("") : Path.of(file).toAbsolutePath().getParent();

        ConfigReader f = top.section("feeds", Set.of("specs", "intel", "allow_special", "refresh"));
        Set<AddressClass> special = EnumSet.noneOf(AddressClass.class);
        for (String c : f.strings("allow_special")) {
            try {
                special.add(AddressClass.fromWire(c));
            } catch (IllegalArgumentException e) {
                throw f.error(f.key("allow_special"), e.getMessage());
            }
        }
        String intel = f.string("intel", null);
        Feeds feeds = new Feeds(f.strings("specs"), intel == null ? null : base.resolve(intel), special,
                f.duration("refresh", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30)));

        ConfigReader in = top.section("inputs", Set.of("files", "start_at", "format", "log_format", "ip_field",
                "trusted_proxies", "syslog", "http"));
        List<Cidr> proxies = new ArrayList<>();
        List<String> proxyTexts = in.strings("trusted_proxies");
        for (int i = 0; i < proxyTexts.size(); i++) {
            try {
                proxies.add(Cidr.parse(proxyTexts.get(i)));
            } catch (IllegalArgumentException e) {
                throw in.error(in.key("trusted_proxies") + "[" + i + "]", "'" + proxyTexts.get(i) + "' is not a CIDR or address");
            }
        }
        ConfigReader sl = in.section("syslog", Set.of("port", "udp", "tcp", "format"));
        Syslog syslog = null;
        if (sl.present()) {
            syslog = new Syslog(sl.integer("port", 5514, 0, 65535), sl.bool("udp", true), sl.bool("tcp", true),
                    sl.string("format", "auto"));
            if (!syslog.udp() && !syslog.tcp()) {
                throw sl.error(sl.key("udp"), "syslog with neither udp nor tcp listens on nothing; remove the section to turn it off");
            }
        }
        List<String> files = new ArrayList<>();
        for (String p : in.strings("files")) {
            files.add(base.resolve(p).toString());
        }
        Inputs inputs = new Inputs(files, in.choice("start_at", "end", List.of("end", "beginning")).equals("end"),
                in.string("format", "auto"), in.string("log_format", null), in.string("ip_field", null), proxies, syslog,
                in.bool("http", true));

        ConfigReader r = top.section("rules", Set.of("enabled", "files"));
        Rules rules = new Rules(r.bool("enabled", true), r.strings("files").stream().map(base::resolve).toList());

        ConfigReader s = top.section("server", Set.of("bind", "port", "data_dir", "admin_token", "read_tokens", "retention"));
        String adminToken = s.string("admin_token", null);
        if (adminToken != null && adminToken.length() < 16) {
            throw s.error(s.key("admin_token"), "too short; use at least 16 characters (or leave it out to have one generated)");
        }
        for (String t : s.strings("read_tokens")) {
            if (t.length() < 16) {
                throw s.error(s.key("read_tokens"), "a token is too short; use at least 16 characters");
            }
        }
        Server server = new Server(s.string("bind", "127.0.0.1"), s.integer("port", 8080, 0, 65535),
                base.resolve(s.string("data_dir", "threatip-data")), adminToken, s.strings("read_tokens"),
                s.duration("retention", Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(3650)));

        ConfigReader g = top.section("geo", Set.of("city", "asn"));
        GeoPaths geo = new GeoPaths(g.strings("city").stream().map(base::resolve).toList(),
                g.strings("asn").stream().map(base::resolve).toList());
        return new ServeConfig(feeds, inputs, rules, server, geo, blocking(file, top));
    }

    private static final Set<String> POLICY_KEYS = Set.of("name", "when", "then");
    private static final Set<String> WHEN_KEYS = Set.of("level", "source", "min_hits", "categories", "min_confidence");
    private static final Set<String> THEN_KEYS = Set.of("type", "duration");

    /** The {@code blocking} section; see {@code block/README.md}. */
    private static BlockingConfig blocking(String file, ConfigReader top) {
        ConfigReader b = top.section("blocking", Set.of("mode", "policies", "ipv6_prefix", "allowlist", "escalation"));
        BlockingConfig d = BlockingConfig.defaults();
        BlockingMode mode = BlockingMode.valueOf(b.choice("mode", "monitor", List.of("monitor", "simulate", "enforce"))
                .toUpperCase(Locale.ROOT));
        List<Cidr> allowlist = new ArrayList<>();
        List<String> allowTexts = b.strings("allowlist");
        for (int i = 0; i < allowTexts.size(); i++) {
            try {
                allowlist.add(Cidr.parse(allowTexts.get(i).strip()));
            } catch (IllegalArgumentException e) {
                throw b.error(b.key("allowlist") + "[" + i + "]", "'" + allowTexts.get(i) + "' is not a CIDR or address");
            }
        }
        ConfigReader e = b.section("escalation", Set.of("factor", "max"));
        double factor = 2;
        if (e.has("factor")) {
            JsonNode f = e.raw("factor");
            if (!f.isNumber() || f.asDouble() < 1 || f.asDouble() > 10) {
                throw e.error(e.key("factor"), "'" + f.asText() + "' is out of range; allowed: a number from 1 (no escalation) to 10");
            }
            factor = f.asDouble();
        }
        Escalation escalation = new Escalation(factor, e.duration("max", Escalation.DEFAULT.max(), Duration.ofMinutes(1),
                Duration.ofDays(365)));
        List<BlockPolicy> policies = d.policies();
        if (b.has("policies")) {
            JsonNode list = b.raw("policies");
            if (!list.isArray()) {
                throw b.error(b.key("policies"), "expected a list of policies {name, when, then}");
            }
            policies = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                ConfigReader p = new ConfigReader(file, b.key("policies") + "[" + i + "]", list.get(i), POLICY_KEYS);
                String name = p.string("name", null);
                if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                    throw p.error(p.key("name"), name == null ? "every policy needs a name"
                            : "'" + name + "' is not a name (letters, digits, '_', '.', '-'; at most 64)");
                }
                if (!names.add(name)) {
                    throw p.error(p.key("name"), "'" + name + "' is used by an earlier policy");
                }
                ConfigReader w = p.section("when", WHEN_KEYS);
                ThreatLevel level = ThreatLevel.fromWire(w.choice("level", "high", List.of("low", "medium", "high")));
                BlockPolicy.Source source = BlockPolicy.Source.valueOf(w.choice("source", "any", List.of("any", "intel", "behavior"))
                        .toUpperCase(Locale.ROOT));
                Set<Category> categories = new HashSet<>();
                for (String c : w.strings("categories")) {
                    try {
                        categories.add(Category.fromWire(c));
                    } catch (IllegalArgumentException ex) {
                        throw w.error(w.key("categories"), ex.getMessage());
                    }
                }
                Confidence minConfidence = Confidence.fromWire(w.choice("min_confidence", "general",
                        List.of("general", "moderate", "high")));
                ConfigReader t = p.section("then", THEN_KEYS);
                if (!t.present()) {
                    throw p.error(p.key("then"), "every policy needs then: {type: ban|captcha, duration: 24h}");
                }
                DecisionType type = DecisionType.fromWire(t.choice("type", "ban", List.of("ban", "captcha")));
                Duration duration = t.duration("duration", type == DecisionType.BAN ? Duration.ofHours(24) : Duration.ofHours(4),
                        Duration.ofMinutes(1), Duration.ofDays(365));
                policies.add(new BlockPolicy(name, level, source, w.integer("min_hits", 1, 0, Integer.MAX_VALUE), categories,
                        minConfidence, type, duration));
            }
        }
        return new BlockingConfig(mode, policies, b.integer("ipv6_prefix", 64, 48, 128), allowlist, escalation);
    }
}
