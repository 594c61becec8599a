package dev.threatip.policy;

import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.Verdict;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The compiled conditions of an exception or custom rule; all given conditions must hold. Every
 * check is a comparison on the request's own strings — prefixes, case-insensitive containment,
 * masked address compares — except a user-agent regex, which the operator asked for by name.
 * Empty arrays mean "no condition".
 */
final class RequestMatch {
    private final long[] netHi;
    private final long[] netLo;
    private final long[] maskHi;
    private final long[] maskLo;
    private final HostPattern[] hosts;
    private final String[] pathPrefixes;
    private final String[] methods;
    private final String[] headerPresent;
    private final String[] headerAbsent;
    private final String[] headerNames;
    private final String[][] headerValues;
    private final String[] agentContains; // lower-case ASCII
    private final Pattern agentRegex;
    private final boolean agentMissing;
    private final long categoryMask; // 0: any category
    private final Confidence minConfidence; // null: no reputation condition

    RequestMatch(List<Cidr> ips, List<HostPattern> hosts, List<String> pathPrefixes, List<String> methods,
                 List<String> headerPresent, List<String> headerAbsent, List<String> headerNames,
                 List<List<String>> headerValues, List<String> agentContains, Pattern agentRegex, boolean agentMissing,
                 List<Category> categories, Confidence minConfidence) {
        int n = ips.size();
        netHi = new long[n];
        netLo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        for (int i = 0; i < n; i++) {
            Cidr c = ips.get(i);
            int bits = c.isIpv4() ? 96 + c.prefix() : c.prefix();
            maskHi[i] = bits >= 64 ? -1L : bits == 0 ? 0 : -1L << (64 - bits);
            maskLo[i] = bits <= 64 ? 0 : bits == 128 ? -1L : -1L << (128 - bits);
            netHi[i] = c.network().hi() & maskHi[i];
            netLo[i] = c.network().lo() & maskLo[i];
        }
        this.hosts = hosts.toArray(HostPattern[]::new);
        this.pathPrefixes = pathPrefixes.toArray(String[]::new);
        this.methods = methods.toArray(String[]::new);
        this.headerPresent = headerPresent.toArray(String[]::new);
        this.headerAbsent = headerAbsent.toArray(String[]::new);
        this.headerNames = headerNames.toArray(String[]::new);
        this.headerValues = headerValues.stream().map(l -> l.toArray(String[]::new)).toArray(String[][]::new);
        this.agentContains = agentContains.toArray(String[]::new);
        this.agentRegex = agentRegex;
        this.agentMissing = agentMissing;
        long mask = 0;
        for (Category c : categories) {
            mask |= 1L << c.ordinal();
        }
        this.categoryMask = mask;
        this.minConfidence = minConfidence == null && mask != 0 ? Confidence.GENERAL : minConfidence;
    }

    /** Whether the request (with its normalised path) and verdict meet every condition. */
    boolean matches(RequestView r, String path, Verdict v) {
        if (netHi.length > 0 && !inNetworks(r.client())) {
            return false;
        }
        if (hosts.length > 0 && !anyHost(r.host())) {
            return false;
        }
        if (pathPrefixes.length > 0 && !anyPrefix(path)) {
            return false;
        }
        if (methods.length > 0 && !anyEqual(methods, r.method())) {
            return false;
        }
        for (String h : headerPresent) {
            if (r.header(h) == null) {
                return false;
            }
        }
        for (String h : headerAbsent) {
            if (r.header(h) != null) {
                return false;
            }
        }
        for (int i = 0; i < headerNames.length; i++) {
            if (!anyEqual(headerValues[i], r.header(headerNames[i]))) {
                return false;
            }
        }
        String ua = r.userAgent();
        boolean noAgent = ua == null || ua.isEmpty();
        if (agentMissing && !noAgent) {
            return false;
        }
        if (agentContains.length > 0 && (noAgent || !containsAny(ua))) {
            return false;
        }
        if (agentRegex != null && (noAgent || !agentRegex.matcher(ua).find())) {
            return false;
        }
        return minConfidence == null || reputationHolds(v);
    }

    private boolean inNetworks(IpAddress a) {
        long hi = a.hi();
        long lo = a.lo();
        for (int i = 0; i < netHi.length; i++) {
            if ((hi & maskHi[i]) == netHi[i] && (lo & maskLo[i]) == netLo[i]) {
                return true;
            }
        }
        return false;
    }

    private boolean anyHost(String host) {
        for (HostPattern h : hosts) {
            if (h.matches(host)) {
                return true;
            }
        }
        return false;
    }

    private boolean anyPrefix(String path) {
        for (String p : pathPrefixes) {
            if (path.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyEqual(String[] values, String v) {
        if (v == null) {
            return false;
        }
        for (String s : values) {
            if (s.equals(v)) {
                return true;
            }
        }
        return false;
    }

    private boolean containsAny(String ua) {
        for (String needle : agentContains) {
            int last = ua.length() - needle.length();
            for (int i = 0; i <= last; i++) {
                if (ua.regionMatches(true, i, needle, 0, needle.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean reputationHolds(Verdict v) {
        List<CategoryVerdict> cats = v.categories();
        for (int i = 0; i < cats.size(); i++) {
            CategoryVerdict c = cats.get(i);
            if ((categoryMask == 0 || (categoryMask & 1L << c.category().ordinal()) != 0)
                    && c.confidence().compareTo(minConfidence) >= 0) {
                return true;
            }
        }
        return false;
    }
}
