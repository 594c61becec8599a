package dev.threatip.block;

import dev.threatip.intel.Category;
import dev.threatip.intel.Verdict;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.SpecialRanges;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What no decision may touch, checked before any decision is stored — auto, manual or imported
 * (fail2ban's {@code ignoreself}/{@code ignoreip}, made stricter):
 *
 * <ol>
 *   <li><b>Special-purpose space</b> ({@link SpecialRanges}: loopback, private, link-local, CGNAT,
 *       multicast, documentation, benchmarking, reserved): a scope overlapping it is refused.
 *       Never overridable.</li>
 *   <li><b>The server's own addresses</b> (its bind address and every local interface's): refused,
 *       so threatip never locks out the host it runs on. Never overridable.</li>
 *   <li><b>The operator's allowlist</b> ({@code blocking.allowlist}) and addresses allowed at run
 *       time (the profile page's "allow"): a scope overlapping one is refused.</li>
 *   <li><b>Known-good addresses</b>: verified crawlers and other {@code role=allow} listings of
 *       the intel snapshot, and the rules' verified crawler ranges: refused.</li>
 *   <li><b>Shared addresses</b> (verdict tag {@code shared}, or a {@code network_proxy} category):
 *       a ban becomes a challenge ({@link DecisionType#CAPTCHA}) — many clients sit behind them.</li>
 * </ol>
 * An operator's {@code force} overrides 3 to 5 (a deliberate choice about ordinary public space),
 * never 1 and 2. Every refusal says why.
 */
public final class GuardRails {
    /** Tells whether an address is known good, and by whose word. */
    @FunctionalInterface
    public interface KnownGood {
        /** Why the address is known good (e.g. {@code "listed by googlebot (role allow)"}), or null when it is not. */
        String why(IpAddress address);

        /** Nothing is known good. */
        static KnownGood none() {
            return a -> null;
        }
    }

    /**
     * The outcome of a check.
     *
     * @param allowed whether the decision may be made
     * @param type    the type to make it with (a ban on a shared address becomes a captcha); null when refused
     * @param why     why it was refused, or why the type changed; null when nothing to say
     */
    public record Check(boolean allowed, DecisionType type, String why) {
        static Check refuse(String why) {
            return new Check(false, null, why);
        }
    }

    private record Allowed(Cidr scope, Instant until, String why) {
    }

    private final List<Cidr> allowlist;
    private final List<IpAddress> own;
    private final KnownGood knownGood;
    private final List<Allowed> runtime = new CopyOnWriteArrayList<>();

    /**
     * @param allowlist    the operator's allowlist
     * @param ownAddresses the server's own addresses (see {@link #localAddresses(String)})
     * @param knownGood    the known-good test (the intel snapshot's allow listings, the rules' crawler ranges)
     */
    public GuardRails(List<Cidr> allowlist, List<IpAddress> ownAddresses, KnownGood knownGood) {
        this.allowlist = List.copyOf(allowlist);
        this.own = List.copyOf(ownAddresses);
        this.knownGood = Objects.requireNonNull(knownGood, "knownGood");
    }

    /**
     * May {@code wanted} be decided on {@code scope}?
     *
     * @param verdict what is known about the scope's address (tags, categories), or {@link Verdict#clean()}
     * @param force   an operator's deliberate choice: overrides the allowlist, known-good and shared rules
     * @param now     when (runtime allowances expire)
     */
    public Check check(Cidr scope, DecisionType wanted, Verdict verdict, boolean force, Instant now) {
        AddressClass kind = SpecialRanges.classify(scope);
        if (kind != AddressClass.PUBLIC) {
            return Check.refuse(scope + " is " + kind.wireName() + " space (special-purpose, RFC 6890): never decided");
        }
        for (IpAddress a : own) {
            if (scope.contains(a)) {
                return Check.refuse(scope + " holds this server's own address " + a + ": never decided");
            }
        }
        if (!force) {
            for (Cidr c : allowlist) {
                if (c.overlaps(scope)) {
                    return Check.refuse(scope + " overlaps the allowlist entry " + c + " (blocking.allowlist)");
                }
            }
            for (Allowed a : runtime) {
                if (a.until.isAfter(now) && a.scope.overlaps(scope)) {
                    return Check.refuse(scope + " overlaps " + a.scope + ", allowed by an operator until " + a.until
                            + (a.why == null || a.why.isBlank() ? "" : " (" + a.why + ")"));
                }
            }
            String good = knownGood.why(scope.network());
            if (good == null && !scope.isSingleAddress()) {
                good = knownGood.why(scope.last());
            }
            if (good != null) {
                return Check.refuse(scope + " is a known-good address (verified crawler or allowlisted infrastructure): " + good);
            }
            if (wanted == DecisionType.BAN && shared(verdict)) {
                return new Check(true, DecisionType.CAPTCHA, scope + " is a shared address ("
                        + (verdict.tags().contains("shared") ? "tag shared" : "category network_proxy")
                        + "): a challenge, not a ban");
            }
        }
        return new Check(true, wanted, null);
    }

    /** Whether many clients may sit behind the address the verdict is about. */
    static boolean shared(Verdict v) {
        return v.tags().contains("shared") || v.confidenceOf(Category.NETWORK_PROXY) != null;
    }

    /**
     * Exempts {@code scope} from decisions until {@code until} (the profile page's "allow"); kept in
     * memory, so a restart forgets it — put lasting exceptions in {@code blocking.allowlist}.
     */
    public void allow(Cidr scope, Instant now, Instant until, String why) {
        runtime.removeIf(a -> a.scope.equals(scope) || !a.until.isAfter(now));
        runtime.add(new Allowed(scope, until, why));
    }

    /** The configured allowlist. */
    public List<Cidr> allowlist() {
        return allowlist;
    }

    /**
     * The addresses of this host that a decision must never hold: {@code bind} (unless it is a
     * wildcard) and every address of every local interface.
     */
    public static List<IpAddress> localAddresses(String bind) {
        List<IpAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    add(out, a);
                }
            }
        } catch (SocketException e) {
            // no interface list: the bind address and special space still hold
        }
        if (bind != null && !bind.isBlank()) {
            try {
                for (InetAddress a : InetAddress.getAllByName(bind)) {
                    if (!a.isAnyLocalAddress()) {
                        add(out, a);
                    }
                }
            } catch (UnknownHostException e) {
                // the web server refuses such a bind address itself
            }
        }
        return List.copyOf(out);
    }

    private static void add(List<IpAddress> out, InetAddress a) {
        String text = a.getHostAddress();
        int zone = text.indexOf('%');
        IpAddress ip = IpAddress.parse(zone < 0 ? text : text.substring(0, zone));
        if (!out.contains(ip)) {
            out.add(ip);
        }
    }
}
