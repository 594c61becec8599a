package dev.threatip.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bouncer keys in a real DuckDB file: added, authenticated by key, listed, deleted, kept across restarts. */
class BouncerStoreTest {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void add_keepsOnlyTheKeysHash_andTheKeyAuthenticatesAcrossRestarts() throws Exception {
        String key = BouncerStore.newKey();
        assertEquals(43, key.length());
        try (EventStore store = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC))) {
            Bouncer b = new BouncerStore(store).add("fw-edge-1", key);
            assertEquals(new Bouncer("fw-edge-1", T0, null, 0, null, null), b);
            assertEquals(Schema.currentVersion(), store.schemaVersion());
        }
        byte[] file = Files.readAllBytes(dir.resolve(EventStore.FILE_NAME));
        assertFalse(new String(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains(key), "the key is not in the file");
        try (EventStore store = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC))) {
            BouncerStore bouncers = new BouncerStore(store);
            assertEquals("fw-edge-1", bouncers.authenticate(key).orElseThrow().name());
            assertTrue(bouncers.authenticate(key.substring(1)).isEmpty());
            assertTrue(bouncers.authenticate("").isEmpty());
            assertTrue(bouncers.authenticate(null).isEmpty());
        }
    }

    @Test
    void names_andKeys_areUnique_andChecked() {
        try (EventStore store = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC))) {
            BouncerStore bouncers = new BouncerStore(store);
            bouncers.add("nginx-1", "operator-chosen-key-0001");
            BouncerExistsException name = assertThrows(BouncerExistsException.class,
                    () -> bouncers.add("nginx-1", BouncerStore.newKey()));
            assertEquals("a bouncer named 'nginx-1' already exists; delete it first or choose another name", name.getMessage());
            BouncerExistsException key = assertThrows(BouncerExistsException.class,
                    () -> bouncers.add("nginx-2", "operator-chosen-key-0001"));
            assertEquals("this key is already the key of bouncer 'nginx-1'; use another key", key.getMessage());
            assertEquals("a bouncer key needs at least 16 characters; this one has 5",
                    assertThrows(IllegalArgumentException.class, () -> bouncers.add("nginx-3", "short")).getMessage());
            assertEquals("a bouncer key has a character outside printable ASCII at position 5",
                    assertThrows(IllegalArgumentException.class, () -> bouncers.add("nginx-3", "with a space in it")).getMessage());
            for (String bad : new String[] {"", "-starts-with-dash", "has space", "semi;colon", "x".repeat(65)}) {
                assertThrows(IllegalArgumentException.class, () -> bouncers.add(bad, BouncerStore.newKey()), bad);
            }
            assertEquals(List.of("nginx-1"), bouncers.list().stream().map(Bouncer::name).toList(), "nothing half-added");
        }
    }

    @Test
    void pulls_moveTheCursor_lookupsOnlyTouchTheTime_atMostOnceAMinute() {
        try (EventStore store = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC))) {
            BouncerStore bouncers = new BouncerStore(store);
            String key = BouncerStore.newKey();
            bouncers.add("fw-edge-1", key);
            bouncers.recordPull("fw-edge-1", T0.plusSeconds(10), 42, "192.0.2.1", "crowdsec-firewall-bouncer/v0.0.31");
            Bouncer b = bouncers.authenticate(key).orElseThrow();
            assertEquals(new Bouncer("fw-edge-1", T0, T0.plusSeconds(10), 42, "192.0.2.1", "crowdsec-firewall-bouncer/v0.0.31"), b);
            bouncers.touch(b, T0.plusSeconds(40), "192.0.2.1", "crowdsec-firewall-bouncer/v0.0.31");
            assertEquals(T0.plusSeconds(10), bouncers.get("fw-edge-1").orElseThrow().lastPull(), "within a minute: no write");
            bouncers.touch(b, T0.plus(Duration.ofSeconds(70)), "192.0.2.1", "crowdsec-firewall-bouncer/v0.0.31");
            Bouncer touched = bouncers.get("fw-edge-1").orElseThrow();
            assertEquals(T0.plusSeconds(70), touched.lastPull());
            assertEquals(42, touched.cursor(), "a lookup never moves the stream");
            bouncers.touch(touched, T0.plusSeconds(75), "192.0.2.2", "crowdsec-firewall-bouncer/v0.0.31");
            assertEquals("192.0.2.2", bouncers.get("fw-edge-1").orElseThrow().lastIp(), "a new address is recorded at once");
        }
    }

    @Test
    void delete_revokesTheKeyAtOnce() {
        try (EventStore store = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC))) {
            BouncerStore bouncers = new BouncerStore(store);
            String key = BouncerStore.newKey();
            bouncers.add("cloudflare", key);
            bouncers.add("haproxy", BouncerStore.newKey());
            assertTrue(bouncers.delete("cloudflare"));
            assertFalse(bouncers.delete("cloudflare"));
            assertTrue(bouncers.authenticate(key).isEmpty());
            assertEquals(List.of("haproxy"), bouncers.list().stream().map(Bouncer::name).toList());
            assertNull(bouncers.list().get(0).lastPull());
        }
    }
}
