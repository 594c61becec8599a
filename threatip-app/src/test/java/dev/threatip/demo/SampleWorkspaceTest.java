package dev.threatip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.log.LineFields;
import dev.threatip.log.LineParser;
import dev.threatip.log.LogFormats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link SampleWorkspace#write} puts in a workspace, read back with the project's own parsers. */
class SampleWorkspaceTest {
    private static final Instant DAY = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    static Path dir;
    static SampleWorkspace.Written w;

    @BeforeAll
    static void writeWorkspace() throws IOException {
        w = SampleWorkspace.write(dir.resolve("w"), 7, DAY);
    }

    @Test
    void write_threeLogs_holdOnlyPlantedClientsWithinTheDayAndEveryRoleActs() throws IOException {
        assertEquals(List.of("access.log", "api-gateway.json", "alb.log"),
                w.logs().stream().map(f -> f.path().getFileName().toString()).toList());
        assertEquals(w.log(), w.logs().get(0).path());
        assertEquals(w.lines(), w.logs().get(0).lines());
        Set<String> seen = new HashSet<>();
        Map<SampleWorkspace.Role, Set<String>> rolesPerFile = new EnumMap<>(SampleWorkspace.Role.class);
        for (SampleWorkspace.LogFile f : w.logs()) {
            byte[] b = Files.readAllBytes(f.path());
            LineParser parser = LogFormats.named(f.format(), null).newParser();
            LineFields fields = new LineFields();
            long lines = 0;
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] != '\n') {
                    continue;
                }
                fields.reset();
                assertEquals(LineParser.Outcome.EVENT, parser.parse(b, start, i, fields),
                        new String(b, start, i - start, StandardCharsets.UTF_8));
                String ip = fields.remoteAddr.asString();
                SampleWorkspace.Role role = w.clients().get(ip);
                assertTrue(role != null, ip + " in " + f.path() + " was not planted");
                assertTrue(fields.timeMillis >= DAY.toEpochMilli() && fields.timeMillis < DAY.toEpochMilli() + 86_400_000L,
                        "outside the day: " + new String(b, start, i - start, StandardCharsets.UTF_8));
                seen.add(ip);
                rolesPerFile.computeIfAbsent(role, r -> new HashSet<>()).add(f.format());
                lines++;
                start = i + 1;
            }
            assertEquals(f.lines(), lines, f.path().toString());
        }
        Set<String> missing = new HashSet<>(w.clients().keySet());
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "every planted client shows up");
        assertTrue(w.dormant().keySet().stream().noneMatch(seen::contains), "dormant addresses wait for live traffic");
        assertEquals(EnumSet.allOf(SampleWorkspace.Role.class), rolesPerFile.keySet());
        assertEquals(Set.of("combined", "json", "aws-alb"), rolesPerFile.get(SampleWorkspace.Role.VISITOR));
        assertEquals(Set.of("json"), rolesPerFile.get(SampleWorkspace.Role.CREDENTIAL_STUFFING));
        assertTrue(rolesPerFile.get(SampleWorkspace.Role.SCANNER).containsAll(Set.of("combined", "aws-alb")));
        assertTrue(rolesPerFile.get(SampleWorkspace.Role.EXPLOIT).containsAll(Set.of("json", "aws-alb")));
        String api = Files.readString(w.logs().get(1).path());
        String alb = Files.readString(w.logs().get(2).path());
        String shop = Files.readString(w.log());
        for (String expected : new String[] {"${jndi:ldap://", "Scrapy/2.11.2", "\"POST\",\"request_uri\":\"/api/v1/auth/login\",\"status\":401"}) {
            assertTrue(api.contains(expected), expected);
        }
        for (String expected : new String[] {"\"POST https://checkout.shop.example.com:443/vendor/phpunit/", "/checkout/payment"}) {
            assertTrue(alb.contains(expected), expected);
        }
        for (String expected : new String[] {"\"CONNECT ", "\"GET http://", "() { :; };", "Googlebot/2.1"}) {
            assertTrue(shop.contains(expected), expected);
        }
    }

    @Test
    void write_sameSeedAndStart_writesTheSameBytesInEveryFile() throws IOException {
        SampleWorkspace.Written a = w;
        SampleWorkspace.Written b = SampleWorkspace.write(dir.resolve("again"), 7, DAY);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(a.root())) {
            files = walk.filter(Files::isRegularFile).map(a.root()::relativize).sorted().toList();
        }
        assertEquals(10, files.size(), files.toString());
        for (Path f : files) {
            assertEquals(-1, Files.mismatch(a.root().resolve(f), b.root().resolve(f)), f.toString());
        }
        assertEquals(a.clients(), b.clients());
        assertEquals(List.copyOf(a.clients().keySet()), List.copyOf(b.clients().keySet()), "planting order");
    }
}
