package dev.threatip.block;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.threatip.net.Cidr;

/**
 * Cloudflare list items ({@code kind: ip}): {@code [{"ip": "203.0.113.7", "comment": "..."}]},
 * the body of {@code PUT /accounts/{account_id}/rules/lists/{list_id}/items} (which replaces the
 * list). Cloudflare takes single IPv4 addresses and IPv4 prefixes /8 to /32, and IPv6 only as
 * prefixes /4 to /64: a longer IPv6 scope is widened to its /64 (where threatip's decisions
 * aggregate IPv6 clients by default anyway), a broader one is left out. An account holds
 * 10,000 list items on every plan.
 */
final class CloudflareFormat implements ExportFormat {
    private static final ExportTarget TARGET = ExportTarget.enforcing(
            "cloudflare",
            "Cloudflare IP list items, for PUT .../rules/lists/{id}/items",
            "application/json",
            ".json",
            new Capacity(10_000, false, "Cloudflare list items per account, all plans"),
            "a list carries no action (the CrowdSec Cloudflare bouncer can challenge)");


    @Override
    public ExportTarget target() {
        return TARGET;
    }

    @Override
    public Fit fit(Cidr scope) {
        if (scope.isIpv4()) {
            return scope.prefix() < 8 ? Fit.refused("Cloudflare lists take IPv4 prefixes /8 to /32") : Fit.as(scope);
        }
        if (scope.prefix() < 4) {
            return Fit.refused("Cloudflare lists take IPv6 prefixes /4 to /64");
        }
        return scope.prefix() > 64 ? Fit.widenedTo(new Cidr(scope.network(), 64)) : Fit.as(scope);
    }

    @Override
    public void write(Selection s, StringBuilder out) {
        ArrayNode items = JsonOutput.NODES.arrayNode();
        for (Selection.Entry e : s.entries()) {
            items.addObject().put("ip", e.address())
                    .put("comment", SafeText.comment("threatip " + e.comment(), SafeText.COMMENT_MAX));
        }
        JsonOutput.write(items, out);
    }
}
