package dev.threatip.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.log.LineFields;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DetectorTest {
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    static String line(String ip, long millis, String request, int status, String ua) {
        return ip + " - - [" + CLF.format(Instant.ofEpochMilli(millis)) + "] \"" + request + "\" " + status + " 512 \"-\" \""
                + ua + "\"";
    }

    private static List<Detection> run(Detector d, List<String> lines) {
        DetectionState s = d.newState();
        CombinedLines p = new CombinedLines();
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(p.feed(s, lines.get(i), i + 1), lines.get(i));
        }
        return s.results().detections();
    }

    /** A mixed 30-minute workload: scanners, brute force, bots, distributed logins, browsers. */
    private static List<String> workload(long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        String[] probes = {"/.env", "/.git/config", "/phpmyadmin/", "/wp-login.php", "/backup.zip", "/admin/.env"};
        for (int i = 0; i < 6000; i++) {
            long t = T0 + (long) (r.nextDouble() * 1_800_000);
            int kind = r.nextInt(10);
            String ip;
            String l = switch (kind) {
                case 0 -> line("203.0.113." + r.nextInt(8), t, "GET " + probes[r.nextInt(probes.length)] + " HTTP/1.1", 404, BROWSER);
                case 1 -> line("198.51.100." + r.nextInt(4), t, "POST /login HTTP/1.1", 401, BROWSER);
                case 2 -> line("192.0.2." + (100 + r.nextInt(60)), t, "POST /api/login HTTP/1.1", 401, BROWSER);
                case 3 -> line("2001:db8::" + Integer.toHexString(r.nextInt(6)), t, "GET /products/" + r.nextInt(99) + " HTTP/1.1", 200, "curl/8.5.0");
                case 4 -> line("203.0.113.200", t, "GET /p HTTP/1.1", 200, "agent-" + r.nextInt(40));
                default -> line("192.0.2." + r.nextInt(90), t, "GET /products/" + r.nextInt(500) + " HTTP/1.1", r.nextInt(30) == 0 ? 404 : 200, BROWSER);
            };
            out.add(l);
        }
        out.sort((a, b) -> a.substring(a.indexOf('[')).compareTo(b.substring(b.indexOf('['))));
        return out;
    }

    private static String canonical(List<Detection> ds) {
        return ds.stream().map(d -> d.ruleId() + "|" + d.groupKey() + "|" + d.ip() + "|" + d.confidence() + "|" + d.count()
                + "|" + d.firstMillis() + "|" + d.lastMillis() + "|" + d.sampleLineRefs()).sorted().collect(Collectors.joining("\n"));
    }

    @Test
    void results_shuffledAndSplitAcrossStates_sameAsInOrderSingleState() {
        Detector d = Detector.builtin();
        for (long seed = 1; seed <= 6; seed++) {
            List<String> lines = workload(seed);
            String expected = canonical(run(d, lines));
            assertTrue(expected.contains("account-takeover-distributed"), expected);
            assertTrue(expected.contains("scanner-sensitive-files"));
            Random r = new Random(seed * 31);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, r);
            int k = 1 + (int) (seed % 4);
            List<DetectionState> states = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                states.add(d.newState());
            }
            CombinedLines p = new CombinedLines();
            for (int j = 0; j < order.size(); j++) {
                int i = order.get(j);
                p.feed(states.get(r.nextInt(k)), lines.get(i), i + 1);
            }
            DetectionState merged = states.get(0);
            for (int i = 1; i < k; i++) {
                merged.merge(states.get(i));
            }
            assertEquals(expected, canonical(merged.results().detections()), "seed " + seed + ", " + k + " states");
        }
    }

    @Test
    void keyWindows_hitsShuffledAndSavedBetweenEvents_sameDetectionsAsState() throws Exception {
        Detector d = Detector.builtin();
        for (long seed = 1; seed <= 3; seed++) {
            List<String> lines = workload(seed);
            String expected = canonical(run(d, lines));
            List<RuleHit> hits = new ArrayList<>();
            RuleMatcher m = d.newMatcher();
            CombinedLines p = new CombinedLines();
            for (int i = 0; i < lines.size(); i++) {
                m.match(p.parse(lines.get(i).getBytes(StandardCharsets.UTF_8)), i + 1, hits::add);
            }
            Collections.shuffle(hits, new Random(seed));
            // as the Flink job keeps them: one window per (rule, key), written out and read back around every hit
            java.util.Map<List<Long>, byte[]> saved = new java.util.HashMap<>();
            java.util.Map<String, Detection> raisedLast = new java.util.TreeMap<>();
            for (RuleHit h : hits) {
                List<Long> key = List.of((long) h.rule(), h.k0(), h.k1(), h.k2());
                byte[] b = saved.get(key);
                KeyWindow w = b == null ? d.newWindow(h)
                        : KeyWindow.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(b)));
                for (Detection det : d.count(w, h)) {
                    raisedLast.put(det.ruleId() + "|" + det.groupKey() + "|" + det.ip(), det);
                }
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                w.writeTo(new java.io.DataOutputStream(bytes));
                saved.put(key, bytes.toByteArray());
            }
            List<Detection> all = new ArrayList<>();
            for (byte[] b : saved.values()) {
                all.addAll(d.detections(KeyWindow.readFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(b)))));
            }
            assertEquals(expected, canonical(all), "seed " + seed);
            // what count() reported as it went ends at the same confidence per rule, key and address
            String confidences = all.stream().map(x -> x.ruleId() + "|" + x.groupKey() + "|" + x.ip() + "|" + x.confidence())
                    .sorted().collect(Collectors.joining("\n"));
            assertEquals(confidences, raisedLast.values().stream().map(x -> x.ruleId() + "|" + x.groupKey() + "|" + x.ip()
                    + "|" + x.confidence()).sorted().collect(Collectors.joining("\n")));
        }
    }

    @Test
    void keyCap_millionUniqueAddresses_boundedAndEvictionsReported() {
        Detector d = Detector.load(List.of(), List.of(), 1000);
        DetectionState s = d.newState();
        LineFields f = new LineFields();
        byte[] path = "/index.html".getBytes(StandardCharsets.US_ASCII);
        byte[] get = "GET".getBytes(StandardCharsets.US_ASCII);
        byte[] ua = "agent".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1_000_000; i++) {
            f.reset();
            f.method.set(get, 0, 3);
            f.path.set(path, 0, path.length);
            f.userAgent.set(ua, 0, ua.length);
            f.status = 200;
            f.bytes = 100;
            f.timeMillis = T0 + i;
            IpAddress ip = IpAddress.ofIpv4(0x0B000000 + i);
            f.clientHi = ip.hi();
            f.clientLo = ip.lo();
            f.clientValid = true;
            s.accept(f, path, 0, path.length, i);
        }
        int rules = d.rules().size();
        assertTrue(s.trackedKeys() <= 1000L * rules, "tracked " + s.trackedKeys());
        DetectionResults res = s.results();
        assertTrue(res.evictedKeys() >= 998_000, res.evictions().toString());
        assertTrue(res.evictions().containsKey("proxy-many-clients"), res.evictions().toString());
    }

    @Test
    void accountTakeover_200AddressesOneFailureEach_allFlaggedWithEndpoint() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String ip = i < 100 ? "192.0.2." + (i + 1) : "2001:db8:7::" + Integer.toHexString(i);
            lines.add(line(ip, T0 + i * 1500L, "POST /login HTTP/1.1", 401, BROWSER));
        }
        List<Detection> ds = run(Detector.builtin(), lines);
        List<Detection> ato = ds.stream().filter(d -> d.category() == Category.ACCOUNT_TAKEOVER).toList();
        Detection endpoint = ato.stream().filter(d -> d.ip() == null).findFirst().orElseThrow();
        assertEquals("/login", endpoint.groupKey());
        assertEquals(200, endpoint.count());
        assertEquals(Confidence.HIGH, endpoint.confidence());
        assertEquals(200, ato.stream().filter(d -> d.ip() != null).map(Detection::ip).distinct().count());
        assertTrue(ds.stream().noneMatch(d -> d.category() == Category.BRUTE_FORCE), "one failure each is not brute force");
    }

    @Test
    void fakeGooglebot_outsideRanges_flagged_realOneNever() {
        String gb = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(line("203.0.113.66", T0 + i * 1000L, "GET /products/" + i + " HTTP/1.1", 200, gb));
            lines.add(line("66.249.66." + (1 + i % 30), T0 + i * 1000L, "GET /products/" + i + " HTTP/1.1", 200, gb));
            lines.add(line("2001:4860:4801:10::" + (i + 1), T0 + i * 1000L, "GET /.env HTTP/1.1", 404, gb));
        }
        List<Detection> ds = run(Detector.builtin(), lines);
        Detection fake = ds.stream().filter(d -> d.ruleId().equals("bot-fake-googlebot")).findFirst().orElseThrow();
        assertEquals(IpAddress.parse("203.0.113.66"), fake.ip());
        assertEquals(Confidence.HIGH, fake.confidence());
        assertEquals(5, fake.sampleLineRefs().size());
        assertTrue(ds.stream().allMatch(d -> d.ip() != null && d.ip().equals(IpAddress.parse("203.0.113.66"))),
                "verified crawlers are never flagged, even probing: " + ds);
    }

    @Test
    void operatorAllowlist_neverFlagged() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(line("198.51.100.5", T0 + i, "GET /.env HTTP/1.1", 404, "sqlmap/1.8"));
        }
        assertFalse(run(Detector.builtin(), lines).isEmpty());
        Detector allowing = Detector.load(List.of(), List.of(Cidr.parse("198.51.100.0/24")), 0);
        assertTrue(run(allowing, lines).isEmpty());
    }

    @Test
    void windows_eventsFartherApartThanWindow_doNotAccumulate() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add(line("198.51.100.7", T0 + i * 3_600_000L, "POST /login HTTP/1.1", 401, BROWSER));
        }
        assertTrue(run(Detector.builtin(), lines).stream().noneMatch(d -> d.ruleId().equals("brute-force-login")));
        lines.clear();
        for (int i = 0; i < 30; i++) {
            lines.add(line("198.51.100.7", T0 + i * 10_000L, "POST /login HTTP/1.1", 401, BROWSER));
        }
        Detection d = run(Detector.builtin(), lines).stream().filter(x -> x.ruleId().equals("brute-force-login"))
                .findFirst().orElseThrow();
        assertEquals(Confidence.HIGH, d.confidence());
        assertEquals(T0, d.firstMillis());
        assertEquals(T0 + 290_000, d.lastMillis());
    }

    @Test
    void matchingRules_explainsOneLine() {
        CombinedLines p = new CombinedLines();
        LineFields f = p.parse(line("203.0.113.5", T0, "GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1", 200, "sqlmap/1.8")
                .getBytes(StandardCharsets.UTF_8));
        List<String> ids = Detector.builtin().matchingRules(f);
        assertTrue(ids.containsAll(List.of("web-attack-xss", "scanner-tool-user-agent")), ids.toString());
    }

    @Test
    void normalize_doubleEncodedTraversal_showsResolvedPathAndSignals() {
        LineFields f = new CombinedLines().parse(line("203.0.113.5", T0, "GET /a/..%252f..%252fetc/passwd?f=..%2f..%2fx&q=A+B HTTP/1.1",
                404, BROWSER).getBytes(StandardCharsets.UTF_8));
        Detector.NormalizedRequest n = Detector.normalize(f);
        assertEquals("/etc/passwd", n.path());
        assertEquals("f=../../x&q=a b", n.query());
        assertEquals(List.of("traversal", "escapes_root", "multi_encoded"), n.signals());
    }

    @Test
    void rules_builtinInfo_carriesThresholdsWeakestFirst() {
        Detector.RuleInfo sqli = Detector.builtin().rules().stream().filter(r -> r.id().equals("web-attack-sqli")).findFirst().orElseThrow();
        assertEquals(java.util.Map.of("moderate", 1L, "high", 5L), sqli.thresholds());
        assertEquals(List.of("moderate", "high"), List.copyOf(sqli.thresholds().keySet()));
    }

    /** No attack rule matches this event; the catch-all rules (flood, shared address) count it into existing keys. */
    @Test
    void accept_ordinaryEvent_allocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeAllocationCounting(mx);
        Detector d = Detector.load(List.of(), List.of(), 0);
        DetectionState s = d.newState();
        CombinedLines p = new CombinedLines();
        byte[] b = line("198.51.100.1", T0, "GET /products/12?color=red HTTP/1.1", 200, BROWSER).getBytes(StandardCharsets.UTF_8);
        LineFields f = p.parse(b);
        for (int i = 0; i < 20_000; i++) { // warm up: JIT, and the keys the catch-all rules create for this address
            s.accept(f, b, 0, b.length, i);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            s.accept(f, b, 0, b.length, i);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 100_000, "allocated " + allocated + " bytes for 100k events");
    }

    private static void assumeAllocationCounting(com.sun.management.ThreadMXBean mx) {
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    }
}
