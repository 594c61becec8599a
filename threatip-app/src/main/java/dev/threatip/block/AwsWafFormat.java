package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.net.Cidr;
import java.util.List;

/**
 * AWS WAF (wafv2) IP sets, one per family as WAF requires:
 * {@code {"IPSets": [{"Name": "NAME-ban-ipv4", "Scope": "REGIONAL", "IPAddressVersion": "IPV4",
 * "Description", "Addresses": ["203.0.113.7/32", ...]}, {... "IPV6" ...}]}}; each element is a
 * {@code aws wafv2 create-ip-set --cli-input-json} body, and its {@code Addresses} what
 * {@code update-ip-set} replaces. An IP set holds 10,000 addresses; WAF takes any prefix but /0.
 */
final class AwsWafFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "aws-waf",
            "AWS WAF IP sets (one per family), for wafv2 create-ip-set / update-ip-set",
            "application/json",
            ".json",
            new Capacity(10_000, true, "AWS WAF addresses per IP set"),
            "an IP set carries no action, and a WAF challenge needs a rule of its own");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public Fit fit(Cidr scope) {
        return scope.prefix() == 0 ? Fit.refused("AWS WAF IP sets take any prefix but /0") : Fit.as(scope);
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        ObjectNode root = JsonOutput.NODES.objectNode();
        ArrayNode sets = root.putArray("IPSets");
        set(sets.addObject(), s, "IPV4", s.entries(true));
        set(sets.addObject(), s, "IPV6", s.entries(false));
        JsonOutput.write(root, out);
    }

    private static void set(ObjectNode o, Selection s, String version, List<Selection.Entry> entries) {
        o.put("Name", s.options().name() + "-ban-" + version.toLowerCase(java.util.Locale.ROOT));
        o.put("Scope", "REGIONAL");
        o.put("IPAddressVersion", version);
        // WAF descriptions take letters, digits, spaces and _+=:#@/-,. only; this one is threatip's own
        o.put("Description", "threatip bans, " + entries.size() + " addresses, generated " + s.options().now());
        ArrayNode addresses = o.putArray("Addresses");
        for (Selection.Entry e : entries) {
            addresses.add(e.scope().toString());
        }
    }
}
