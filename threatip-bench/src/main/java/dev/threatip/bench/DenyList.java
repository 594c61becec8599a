package dev.threatip.bench;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.Verdict;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import dev.threatip.net.SpecialRanges;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What both proxies deny, and the clients of the {@code X-Forwarded-For} runs, taken from the feed
 * the snapshot was compiled from and checked against the snapshot itself:
 *
 * <ul>
 *   <li>{@code networks}: every IPv4 line of the plain feed the snapshot lists (special-purpose
 *       space the compiler left out is left out here too), {@code /32} written as the address,
 *       duplicates merged — nginx's {@code geo} entries, as many as the snapshot's IPv4 entries;</li>
 *   <li>{@code listed}: single addresses of the feed the snapshot holds as high-confidence
 *       scanners (the default policy blocks them: 403 from both proxies);</li>
 *   <li>{@code clean}: public addresses the snapshot knows nothing about (200 through both).</li>
 * </ul>
 *
 * @param networks        the deny map, in feed order
 * @param snapshotEntries the snapshot's IPv4 addresses plus IPv4 ranges
 * @param unparsed        feed lines that were not an IPv4 address or network
 * @param listed          listed sample clients
 * @param clean           clean sample clients
 */
record DenyList(List<String> networks, long snapshotEntries, long unparsed, List<String> listed, List<String> clean) {

    DenyList {
        networks = List.copyOf(networks);
        listed = List.copyOf(listed);
        clean = List.copyOf(clean);
    }

    /**
     * Reads {@code feed} (one address or network a line, {@code #} comments) and samples
     * {@code listedCount} listed and {@code cleanCount} clean clients with a fixed seed.
     */
    static DenyList build(Path feed, ReputationIndex index, int listedCount, int cleanCount, long seed) throws IOException {
        Set<String> networks = new LinkedHashSet<>();
        List<String> singles = new ArrayList<>();
        long unparsed = 0;
        try (BufferedReader r = Files.newBufferedReader(feed, StandardCharsets.US_ASCII)) {
            String line;
            while ((line = r.readLine()) != null) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Cidr c;
                try {
                    c = Cidr.parse(t);
                } catch (IllegalArgumentException e) {
                    unparsed++;
                    continue;
                }
                if (!c.isIpv4() || index.lookup(c.network()).kind() == Verdict.Kind.CLEAN) {
                    continue; // IPv6, or special-purpose space the compiler left out
                }
                String text = c.isSingleAddress() ? c.network().toString() : c.toString();
                if (networks.add(text) && c.isSingleAddress()) {
                    singles.add(text);
                }
            }
        }
        Random random = new Random(seed);
        List<String> listed = new ArrayList<>();
        List<String> shuffled = new ArrayList<>(singles);
        Collections.shuffle(shuffled, random);
        for (String s : shuffled) {
            if (listed.size() == listedCount) {
                break;
            }
            Verdict v = index.lookup(IpAddress.parse(s));
            if (v.confidenceOf(Category.SCANNER) == Confidence.HIGH) {
                listed.add(s);
            }
        }
        if (listed.size() < listedCount) {
            throw new IOException(feed + " has only " + listed.size() + " single addresses the snapshot lists as "
                    + "high-confidence scanners; " + listedCount + " are needed (compile it with category=scanner,confidence=high)");
        }
        List<String> clean = new ArrayList<>();
        for (int tries = 0; clean.size() < cleanCount; tries++) {
            if (tries > cleanCount * 1000) {
                throw new IOException("cannot find " + cleanCount + " public addresses the snapshot does not list");
            }
            int a = random.nextInt();
            IpAddress ip = IpAddress.ofIpv4(a);
            if (SpecialRanges.classifyIpv4(a) == AddressClass.PUBLIC && index.lookup(ip).kind() == Verdict.Kind.CLEAN) {
                clean.add(ip.toString());
            }
        }
        return new DenyList(new ArrayList<>(networks), index.ipv4Addresses() + index.ipv4Ranges(), unparsed, listed, clean);
    }

    /** Listed and clean clients interleaved with a fixed seed: the rotation of the mixed runs. */
    List<String> mixedClients(long seed) {
        List<String> all = new ArrayList<>(listed);
        all.addAll(clean);
        Collections.shuffle(all, new Random(seed));
        return all;
    }
}
