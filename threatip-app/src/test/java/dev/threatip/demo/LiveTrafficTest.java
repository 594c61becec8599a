package dev.threatip.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.geo.Asn;
import dev.threatip.geo.GeoLookup;
import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormats;
import dev.threatip.net.IpAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LiveTraffic} appending to a real sample workspace, driven tick by tick with a fixed clock. */
class LiveTrafficTest {
    private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-02T09:30:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Busy newcomers so a minute of ticks shows several. */
    private static final LiveTraffic.Settings BUSY = new LiveTraffic.Settings(20, Duration.ofMillis(250),
            Duration.ofSeconds(5), Duration.ofSeconds(8));

    @TempDir
    Path dir;

    /** One appended line, parsed by its file's format. */
    record Parsed(String file, String client, long timeMillis) {
    }

    private static Map<Path, Long> sizes(SampleWorkspace.Written w) throws IOException {
        Map<Path, Long> m = new HashMap<>();
        for (SampleWorkspace.LogFile f : w.logs()) {
            m.put(f.path(), Files.size(f.path()));
        }
        return m;
    }

    private static byte[] appended(Path file, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOfRange(all, (int) from, all.length);
    }

    /** Parses every appended line with its file's format; fails on a partial or unparseable line. */
    private static List<Parsed> parseAppended(SampleWorkspace.Written w, Map<Path, Long> before) throws IOException {
        return parseAppended(w, before, true);
    }

    private static List<Parsed> parseAppended(SampleWorkspace.Written w, Map<Path, Long> before, boolean everyFileGrows)
            throws IOException {
        List<Parsed> out = new java.util.ArrayList<>();
        for (SampleWorkspace.LogFile f : w.logs()) {
            byte[] tail = appended(f.path(), before.get(f.path()));
            assertTrue(tail.length > 0 || !everyFileGrows, f.path() + " did not grow");
            assertTrue(tail.length == 0 || tail[tail.length - 1] == '\n', f.path() + " ends in half a line");
            LineParser parser = LogFormats.named(f.format(), null).newParser();
            LineFields fields = new LineFields();
            int start = 0;
            for (int i = 0; i < tail.length; i++) {
                if (tail[i] == '\n') {
                    fields.reset();
                    String line = new String(tail, start, i - start, StandardCharsets.UTF_8);
                    assertEquals(LineParser.Outcome.EVENT, parser.parse(tail, start, i, fields),
                            f.format() + " does not parse: " + line);
                    out.add(new Parsed(f.path().getFileName().toString(), fields.remoteAddr.asString(),
                            fields.timeMillis));
                    start = i + 1;
                }
            }
        }
        return out;
    }

    @Test
    void tick_minuteOfTicks_appendsWholeParseableLinesFromThePopulationAndNewcomers() throws IOException {
        SampleWorkspace.Written w = SampleWorkspace.write(dir.resolve("ws"), 7, DAY);
        Map<Path, Long> before = sizes(w);
        LiveTraffic live = LiveTraffic.over(w, 42, CLOCK, BUSY);
        int lines = 0;
        for (int i = 0; i < 240; i++) {
            lines += live.tick();
        }
        List<Parsed> parsed = parseAppended(w, before);
        assertEquals(lines, parsed.size());
        assertEquals(lines, live.stats().lines());
        assertEquals(0, live.stats().dropped());
        assertTrue(lines >= 600 && lines <= 1800, "a minute at 20 lines/s wrote " + lines);

        List<LiveTraffic.Newcomer> newcomers = live.newcomers();
        assertTrue(newcomers.size() >= 4, "newcomers: " + newcomers);
        Set<String> newcomerIps = newcomers.stream().map(LiveTraffic.Newcomer::ip).collect(Collectors.toSet());
        for (Parsed p : parsed) {
            assertTrue(w.clients().containsKey(p.client()) || newcomerIps.contains(p.client()),
                    p.client() + " in " + p.file() + " is neither in the population nor announced");
            assertTrue(p.timeMillis() <= NOW.toEpochMilli() && p.timeMillis() > NOW.toEpochMilli() - 1_250,
                    "event time " + Instant.ofEpochMilli(p.timeMillis()) + " is not now");
        }
        Set<String> seen = parsed.stream().map(Parsed::client).collect(Collectors.toSet());
        Set<String> roles = new HashSet<>();
        try (GeoLookup geo = GeoLookup.open(w.cityDb(), w.asnDb())) {
            for (LiveTraffic.Newcomer n : newcomers) {
                assertEquals(n.listed(), w.dormant().containsKey(n.ip()), n.toString());
                assertFalse(w.clients().containsKey(n.ip()), n + " was already in the logs");
                Asn asn = geo.asn(IpAddress.parse(n.ip()));
                assertNotNull(asn, n + " is not in the ASN database");
                if (seen.contains(n.ip())) {
                    roles.add((n.listed() ? "listed " : "fresh ") + n.role());
                }
            }
        }
        assertTrue(roles.stream().anyMatch(r -> r.startsWith("listed")), "no listed newcomer came: " + roles);
        assertTrue(roles.stream().anyMatch(r -> r.startsWith("fresh")), "no fresh newcomer came: " + roles);

        Map<String, Long> perFile = parsed.stream().collect(Collectors.groupingBy(Parsed::file, Collectors.counting()));
        assertEquals(perFile, live.stats().perFile());
        long shoppers = parsed.stream().filter(p -> w.clients().get(p.client()) == SampleWorkspace.Role.VISITOR).count();
        assertTrue(shoppers * 2 > lines, "mostly shoppers: " + shoppers + " of " + lines);
    }

    @Test
    void tick_sameWorkspaceSeedAndClock_appendsTheSameBytes() throws IOException {
        SampleWorkspace.Written a = SampleWorkspace.write(dir.resolve("a"), 7, DAY);
        SampleWorkspace.Written b = SampleWorkspace.write(dir.resolve("b"), 7, DAY);
        Map<Path, Long> sizesA = sizes(a);
        Map<Path, Long> sizesB = sizes(b);
        LiveTraffic la = LiveTraffic.over(a, 3, CLOCK, BUSY);
        LiveTraffic lb = LiveTraffic.over(b, 3, CLOCK, BUSY);
        for (int i = 0; i < 80; i++) {
            la.tick();
            lb.tick();
        }
        for (int i = 0; i < a.logs().size(); i++) {
            Path fa = a.logs().get(i).path();
            Path fb = b.logs().get(i).path();
            assertArrayEquals(appended(fa, sizesA.get(fa)), appended(fb, sizesB.get(fb)), fa.getFileName().toString());
        }
        assertEquals(la.newcomers(), lb.newcomers());
    }

    @Test
    void start_systemClock_appendsUntilClosed() throws Exception {
        SampleWorkspace.Written w = SampleWorkspace.write(dir.resolve("ws"), 7, DAY);
        Map<Path, Long> before = sizes(w);
        LiveTraffic live = LiveTraffic.over(w, 5, Clock.systemUTC(),
                LiveTraffic.Settings.defaults().withLinesPerSecond(400));
        long started = System.currentTimeMillis();
        live.start();
        try {
            assertThrows(IllegalStateException.class, live::start);
            while (live.stats().lines() < 100 && System.currentTimeMillis() - started < 10_000) {
                Thread.sleep(50);
            }
        } finally {
            live.close();
        }
        long written = live.stats().lines();
        assertTrue(written >= 100, "wrote " + written + " lines");
        Map<Path, Long> stopped = sizes(w);
        Thread.sleep(600);
        assertEquals(stopped, sizes(w), "still appending after close");
        assertEquals(written, live.stats().lines());
        List<Parsed> parsed = parseAppended(w, before, false);
        assertEquals(written, parsed.size());
        long end = System.currentTimeMillis();
        for (Parsed p : parsed) {
            assertTrue(p.timeMillis() >= started - 1_500 && p.timeMillis() <= end, "event time is not the wall clock's");
        }
        live.close(); // idempotent
    }

    @Test
    void tick_unwritableLogFile_countsDroppedLinesAndKeepsWritingTheOthers() throws IOException {
        SampleWorkspace.Written w = SampleWorkspace.write(dir.resolve("ws"), 7, DAY);
        Path alb = w.logs().stream().filter(f -> f.format().equals("aws-alb")).findFirst().orElseThrow().path();
        Files.delete(alb);
        Files.createDirectory(alb); // appending to it fails
        Map<Path, Long> before = new HashMap<>();
        for (SampleWorkspace.LogFile f : w.logs()) {
            before.put(f.path(), Files.isDirectory(f.path()) ? 0 : Files.size(f.path()));
        }
        LiveTraffic live = LiveTraffic.over(w, 11, CLOCK, BUSY);
        int failures = 0;
        for (int i = 0; i < 120; i++) {
            try {
                live.tick();
            } catch (IOException e) {
                failures++;
            }
        }
        LiveTraffic.Stats s = live.stats();
        assertTrue(failures > 0);
        assertTrue(s.dropped() > 0, s.toString());
        assertTrue(s.lastError().contains("alb.log"), s.lastError());
        assertEquals(0L, s.perFile().get("alb.log"));
        assertTrue(Files.size(w.log()) > before.get(w.log()), "the other files keep growing");
        assertTrue(s.perFile().get("api-gateway.json") > 0);
    }

    @Test
    void settings_outOfRange_areRefusedWithTheAllowedRange() {
        IllegalArgumentException rate = assertThrows(IllegalArgumentException.class,
                () -> LiveTraffic.Settings.defaults().withLinesPerSecond(0));
        assertTrue(rate.getMessage().contains("(0, 10000]"), rate.getMessage());
        IllegalArgumentException tick = assertThrows(IllegalArgumentException.class,
                () -> new LiveTraffic.Settings(20, Duration.ofMillis(1), Duration.ofSeconds(30), Duration.ofSeconds(90)));
        assertTrue(tick.getMessage().contains("10 ms to 10 s"), tick.getMessage());
        IllegalArgumentException every = assertThrows(IllegalArgumentException.class,
                () -> new LiveTraffic.Settings(20, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(90)));
        assertTrue(every.getMessage().contains("attackEvery"), every.getMessage());
    }
}
