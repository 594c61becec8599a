package dev.threatip.block;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes decisions in the format of an enforcement point: firewalls (nftables, ipset, iptables),
 * web servers and proxies (nginx, HAProxy, Apache), data exchange (plain, CSV, JSON, STIX 2.1)
 * and cloud APIs (AWS network ACL and WAF, Tencent Cloud security groups, Cloudflare lists).
 *
 * <pre>{@code
 * Exporter nft = Exporter.forTarget("nftables");
 * ExportResult r = nft.export(decisions, ExportOptions.at(clock.instant()));
 * Files.write(Path.of("threatip.nft"), r.content());   // nft -f threatip.nft
 * System.err.println(r.summary());                     // what was left out, and why
 * }</pre>
 *
 * <p>Every target knows its size limit ({@link #capacity()}); when the decisions do not fit, they
 * are ranked — confidence, then recency, then local hits, then scope — and cut, the same way for
 * the same input whatever its order. Expired decisions, challenges a target cannot express and
 * scopes it cannot hold are left out too; the result lists each with its reason, and formats
 * that allow comments say it in the file. Reasons are attacker-influenced text: no format lets
 * one out of its comment or string. Thread-safe; an exporter holds no state.
 */
public final class Exporter {
    /** The targets by name, in the order help texts list them. */
    private static final Map<String, ExportFormat> TARGETS = registry(
            new NftablesFormat(), new IpsetFormat(), new IptablesFormat(true), new IptablesFormat(false),
            new NginxDenyFormat(), new NginxGeoFormat(), new HaproxyFormat(false), new HaproxyFormat(true),
            new ApacheFormat(), new PlainFormat(), new CsvFormat(), new JsonFormat(), new StixFormat(),
            new AwsNaclFormat(), new AwsWafFormat(), new TencentSgFormat(), new CloudflareFormat());

    private final ExportFormat format;

    private Exporter(ExportFormat format) {
        this.format = format;
    }

    /**
     * The exporter of a target.
     *
     * @throws IllegalArgumentException {@code unknown format 'x'; known: nftables, ipset, ...}
     */
    public static Exporter forTarget(String name) {
        ExportFormat f = name == null ? null : TARGETS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown format '" + name + "'; known: " + String.join(", ", targets()));
        }
        return new Exporter(f);
    }

    /** The target names {@link #forTarget} knows. */
    public static List<String> targets() {
        return List.copyOf(TARGETS.keySet());
    }

    /** The target's name. */
    public String name() {
        return format.target().name();
    }

    /** What the target is, one line. */
    public String description() {
        return format.target().description();
    }

    /** The target's own size limit (an {@link ExportOptions#limit()} overrides it). */
    public Capacity capacity() {
        return format.target().capacity();
    }

    /** The HTTP content type of the file. */
    public String mediaType() {
        return format.target().mediaType();
    }

    /** Whether the format tells a ban from a challenge (otherwise challenges are left out). */
    public boolean carriesType() {
        return format.target().carriesType();
    }

    /**
     * Exports {@code decisions}: those active at {@code options.now()}, that the target can
     * express, best ranked first up to its capacity.
     */
    public ExportResult export(List<Decision> decisions, ExportOptions options) {
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(options, "options");
        Selection s = Selection.of(format, decisions, options);
        StringBuilder out = new StringBuilder(256 + 64 * s.entries().size());
        format.write(s, out);
        ExportTarget target = format.target();
        return new ExportResult(target.name(), target.mediaType(), options.name() + target.extension(),
                out.toString().getBytes(StandardCharsets.UTF_8), s.entries().size(), s.leftOut(), s.notes(), s.capacity());
    }

    @Override
    public String toString() {
        return "Exporter[" + format.target().name() + "]";
    }

    private static Map<String, ExportFormat> registry(ExportFormat... formats) {
        Map<String, ExportFormat> m = new LinkedHashMap<>();
        for (ExportFormat f : formats) {
            if (m.put(f.target().name(), f) != null) {
                throw new IllegalStateException("two export formats named " + f.target().name());
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
