package dev.threatip.intel;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the free-text labels of structured feeds (STIX {@code labels}, MISP tags and taxonomies)
 * to categories. Two steps, first match of each step wins:
 *
 * <ol>
 *   <li>Exact taxonomy values, whatever the namespace ({@code ecsirt:} and {@code rsit:} share
 *       their predicates): {@code intrusions="application-compromise"} → exploit,
 *       {@code intrusion-attempts="login-attempts"} → brute_force,
 *       {@code intrusions="privileged-account-compromise"} and
 *       {@code "unprivileged-account-compromise"} → account_takeover.</li>
 *   <li>Words of the label (split at anything not a letter or digit), so {@code actor} never
 *       reads as {@code tor}:
 *       <table>
 *         <caption>word → category</caption>
 *         <tr><td>tor, proxy, proxies, vpn, anonymization, anonymizer, anonymiser</td><td>network_proxy</td></tr>
 *         <tr><td>words starting scan (scan, scanner, scanning)</td><td>scanner</td></tr>
 *         <tr><td>brute, bruteforce</td><td>brute_force</td></tr>
 *         <tr><td>words starting credential</td><td>account_takeover</td></tr>
 *         <tr><td>botnet, c2, cnc, c&amp;c, command (command-and-control), ddos, dos, compromised</td><td>network_attack</td></tr>
 *         <tr><td>bot, bots, crawler, scraper, scraping</td><td>malicious_bot</td></tr>
 *         <tr><td>exploit, exploitation, exploits, rce</td><td>exploit</td></tr>
 *         <tr><td>sqli, xss, csrf, injection, webattack</td><td>web_attack</td></tr>
 *       </table></li>
 * </ol>
 * Anything else (phishing, malware names, galaxy clusters) maps to no category; readers keep
 * it as a tag so the explanation still shows it.
 */
final class IntelTagVocabulary {
    private static final Map<String, Category> TAXONOMY_VALUES = Map.of(
            "intrusions=\"application-compromise\"", Category.EXPLOIT,
            "intrusion-attempts=\"login-attempts\"", Category.BRUTE_FORCE,
            "intrusions=\"privileged-account-compromise\"", Category.ACCOUNT_TAKEOVER,
            "intrusions=\"unprivileged-account-compromise\"", Category.ACCOUNT_TAKEOVER);

    private static final Map<String, Category> WORDS = Map.ofEntries(
            Map.entry("tor", Category.NETWORK_PROXY), Map.entry("proxy", Category.NETWORK_PROXY),
            Map.entry("proxies", Category.NETWORK_PROXY), Map.entry("vpn", Category.NETWORK_PROXY),
            Map.entry("anonymization", Category.NETWORK_PROXY), Map.entry("anonymizer", Category.NETWORK_PROXY),
            Map.entry("anonymiser", Category.NETWORK_PROXY),
            Map.entry("brute", Category.BRUTE_FORCE), Map.entry("bruteforce", Category.BRUTE_FORCE),
            Map.entry("botnet", Category.NETWORK_ATTACK), Map.entry("c2", Category.NETWORK_ATTACK),
            Map.entry("cnc", Category.NETWORK_ATTACK), Map.entry("command", Category.NETWORK_ATTACK),
            Map.entry("ddos", Category.NETWORK_ATTACK), Map.entry("dos", Category.NETWORK_ATTACK),
            Map.entry("compromised", Category.NETWORK_ATTACK),
            Map.entry("bot", Category.MALICIOUS_BOT), Map.entry("bots", Category.MALICIOUS_BOT),
            Map.entry("crawler", Category.MALICIOUS_BOT), Map.entry("scraper", Category.MALICIOUS_BOT),
            Map.entry("scraping", Category.MALICIOUS_BOT),
            Map.entry("exploit", Category.EXPLOIT), Map.entry("exploits", Category.EXPLOIT),
            Map.entry("exploitation", Category.EXPLOIT), Map.entry("rce", Category.EXPLOIT),
            Map.entry("sqli", Category.WEB_ATTACK), Map.entry("xss", Category.WEB_ATTACK),
            Map.entry("csrf", Category.WEB_ATTACK), Map.entry("injection", Category.WEB_ATTACK),
            Map.entry("webattack", Category.WEB_ATTACK));

    private IntelTagVocabulary() {
    }

    /** The categories {@code label} names; empty when it names none. */
    static Set<Category> categoriesOf(String label) {
        String lower = label.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        Category exact = TAXONOMY_VALUES.get(colon < 0 ? lower : lower.substring(colon + 1));
        if (exact != null) {
            return EnumSet.of(exact);
        }
        Set<Category> found = EnumSet.noneOf(Category.class);
        int i = 0;
        int n = lower.length();
        while (i < n) {
            while (i < n && !isWordChar(lower.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && isWordChar(lower.charAt(i))) {
                i++;
            }
            if (start < i) {
                String word = lower.substring(start, i);
                Category c = WORDS.get(word);
                if (c != null) {
                    found.add(c);
                } else if (word.startsWith("scan")) {
                    found.add(Category.SCANNER);
                } else if (word.startsWith("credential")) {
                    found.add(Category.ACCOUNT_TAKEOVER);
                }
            }
        }
        // "c&c" splits into two "c" words; treat it as the C2 it means.
        if (lower.contains("c&c")) {
            found.add(Category.NETWORK_ATTACK);
        }
        return found;
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
