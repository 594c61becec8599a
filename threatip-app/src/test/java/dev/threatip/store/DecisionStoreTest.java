package dev.threatip.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.block.Decision;
import dev.threatip.block.DecisionOrigin;
import dev.threatip.block.DecisionType;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import dev.threatip.net.IpAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DecisionStore on a real DuckDB file; the store applies no guard rails, so documentation ranges serve. */
class DecisionStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;
    private EventStore events;
    private DecisionStore decisions;

    @BeforeEach
    void open() {
        events = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC));
        decisions = new DecisionStore(events);
    }

    @AfterEach
    void close() {
        events.close();
    }

    private static Decision ban(String scope, Instant created, Duration ttl) {
        return new Decision(0, Cidr.parse(scope), DecisionType.BAN, created, created.plus(ttl), "scanner high: probing-4xx",
                DecisionOrigin.AUTO, "high-ban", Category.SCANNER, Confidence.HIGH, 37, 1);
    }

    private static Decision captcha(String scope, Instant created, Duration ttl) {
        return new Decision(0, Cidr.parse(scope), DecisionType.CAPTCHA, created, created.plus(ttl), "operator: shared NAT",
                DecisionOrigin.MANUAL, null, null, null, 0, 1);
    }

    private List<String> scopes(List<Decision> list) {
        return list.stream().map(d -> d.scope().toString()).toList();
    }

    @Test
    void add_assignsIncreasingIds_andKeepsEveryField() {
        Decision a = decisions.add(ban("198.51.100.7", T0, Duration.ofHours(24)));
        Decision b = decisions.add(captcha("203.0.113.0/24", T0, Duration.ofHours(4)));
        assertTrue(a.id() > 0 && b.id() > a.id(), a.id() + " then " + b.id());
        StoredDecision read = decisions.get(a.id()).orElseThrow();
        assertEquals(a, read.decision());
        assertFalse(read.simulated());
        assertEquals(StoredDecision.Status.ACTIVE, read.status(T0.plusSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> decisions.add(a), "a stored decision is not added twice");
    }

    @Test
    void find_answersEveryActiveDecisionHoldingTheAddress_networksIncluded() {
        decisions.add(ban("198.51.100.7", T0, Duration.ofHours(24)));
        decisions.add(captcha("198.51.100.0/24", T0, Duration.ofHours(4)));
        decisions.add(ban("2001:db8:1:2::/64", T0, Duration.ofHours(24)));
        // high bit set in the first half: checks the order-preserving columns
        decisions.add(ban("ff02::/16", T0, Duration.ofHours(24)));
        Instant now = T0.plusSeconds(60);

        assertEquals(List.of("198.51.100.7/32", "198.51.100.0/24"), scopes(decisions.find(IpAddress.parse("198.51.100.7"), now)));
        assertEquals(List.of("198.51.100.0/24"), scopes(decisions.find(IpAddress.parse("198.51.100.255"), now)));
        assertEquals(List.of(), scopes(decisions.find(IpAddress.parse("198.51.101.0"), now)));
        assertEquals(List.of("2001:db8:1:2::/64"), scopes(decisions.find(IpAddress.parse("2001:db8:1:2:ffff::9"), now)));
        assertEquals(List.of(), scopes(decisions.find(IpAddress.parse("2001:db8:1:3::1"), now)));
        assertEquals(List.of("ff02::/16"), scopes(decisions.find(IpAddress.parse("ff02::1"), now)));
        assertEquals(List.of(), scopes(decisions.find(IpAddress.parse("fe80::1"), now)));
        // ::ffff:198.51.100.7 is the same address as 198.51.100.7
        assertEquals(2, decisions.find(IpAddress.parse("::ffff:198.51.100.7"), now).size());
        // the captcha ran out after 4 h
        assertEquals(List.of("198.51.100.7/32"), scopes(decisions.find(IpAddress.parse("198.51.100.7"), T0.plus(Duration.ofHours(5)))));
    }

    @Test
    void active_leavesOutExpiredDeletedAndSimulatedDecisions() {
        Decision kept = decisions.add(ban("198.51.100.1", T0, Duration.ofHours(24)));
        decisions.add(ban("198.51.100.2", T0, Duration.ofMinutes(10)));
        Decision deleted = decisions.add(ban("198.51.100.3", T0, Duration.ofHours(24)));
        decisions.addSimulated(ban("198.51.100.4", T0, Duration.ofHours(24)));
        Instant now = T0.plus(Duration.ofHours(1));
        assertTrue(decisions.delete(deleted.id(), now));

        assertEquals(List.of(kept), decisions.active(now));
        assertEquals(1, decisions.countActive(now));
        assertEquals(List.of(), decisions.find(IpAddress.parse("198.51.100.4"), now), "simulated decisions are never enforced");
        assertEquals(StoredDecision.Status.DELETED, decisions.get(deleted.id()).orElseThrow().status(now));
        assertFalse(decisions.delete(deleted.id(), now), "a deleted decision is not deleted twice");
        assertFalse(decisions.delete(999_999, now), "no such id");
    }

    @Test
    void deleteScope_endsTheDecisionsInsideTheScopeOnly() {
        decisions.add(ban("198.51.100.7", T0, Duration.ofHours(24)));
        decisions.add(ban("198.51.100.8", T0, Duration.ofHours(24)));
        decisions.add(captcha("198.51.100.0/24", T0, Duration.ofHours(24)));
        decisions.addSimulated(ban("198.51.100.7", T0, Duration.ofHours(24)));
        Instant now = T0.plusSeconds(5);

        assertEquals(2, decisions.deleteScope(Cidr.parse("198.51.100.7"), now), "the real and the simulated /32");
        assertEquals(List.of("198.51.100.8/32", "198.51.100.0/24"), scopes(decisions.active(now)));
        assertEquals(2, decisions.deleteScope(Cidr.parse("198.51.100.0/24"), now));
        assertEquals(List.of(), decisions.active(now));
    }

    @Test
    void covering_findsDecisionsHoldingTheWholeScope() {
        decisions.add(captcha("198.51.100.0/24", T0, Duration.ofHours(4)));
        decisions.addSimulated(ban("203.0.113.9", T0, Duration.ofHours(4)));
        Instant now = T0.plusSeconds(1);
        assertEquals(1, decisions.covering(Cidr.parse("198.51.100.9"), now, false).size());
        assertEquals(1, decisions.covering(Cidr.parse("198.51.100.128/25"), now, false).size());
        assertEquals(0, decisions.covering(Cidr.parse("198.51.100.0/23"), now, false).size(), "wider than the decision");
        assertEquals(0, decisions.covering(Cidr.parse("203.0.113.9"), now, false).size());
        assertEquals(1, decisions.covering(Cidr.parse("203.0.113.9"), now, true).size());
    }

    @Test
    void offences_countEveryDecisionOfTheExactScope_endedOnesIncluded() {
        Cidr scope = Cidr.parse("198.51.100.7");
        assertEquals(0, decisions.offences(scope));
        decisions.add(ban("198.51.100.7", T0, Duration.ofHours(1)));
        Decision second = decisions.add(ban("198.51.100.7", T0.plus(Duration.ofHours(2)), Duration.ofHours(2)));
        decisions.delete(second.id(), T0.plus(Duration.ofHours(3)));
        decisions.add(ban("198.51.100.0/24", T0, Duration.ofHours(1)));
        decisions.addSimulated(ban("198.51.100.7", T0, Duration.ofHours(1)));
        assertEquals(2, decisions.offences(scope));
        assertEquals(1, decisions.offences(scope, true));
    }

    @Test
    void list_filtersPagesAndCountsNewestFirst() {
        for (int i = 1; i <= 12; i++) {
            decisions.add(ban("198.51.100." + i, T0, Duration.ofHours(i)));
        }
        decisions.add(captcha("198.51.100.0/24", T0, Duration.ofHours(24)));
        decisions.addSimulated(ban("198.51.100.99", T0, Duration.ofHours(24)));
        Instant now = T0.plus(Duration.ofMinutes(330)); // 5.5 h: bans of 1..5 h ran out

        Page<StoredDecision> all = decisions.list(DecisionFilter.all(), now, 5, 0);
        assertEquals(14, all.total());
        assertEquals(List.of("198.51.100.99/32", "198.51.100.0/24", "198.51.100.12/32", "198.51.100.11/32", "198.51.100.10/32"),
                all.items().stream().map(s -> s.decision().scope().toString()).toList());
        assertTrue(all.items().get(0).simulated());

        Page<StoredDecision> activeBans = decisions.list(new DecisionFilter(null, DecisionType.BAN, DecisionOrigin.AUTO, true, false),
                now, 100, 0);
        assertEquals(7, activeBans.total(), "bans of 6..12 h");
        Page<StoredDecision> ended = decisions.list(new DecisionFilter(null, null, null, false, null), now, 100, 3);
        assertEquals(5, ended.total());
        assertEquals(2, ended.items().size(), "offset 3 of 5");
        assertTrue(ended.items().stream().allMatch(s -> s.status(now) == StoredDecision.Status.EXPIRED));

        Page<StoredDecision> ofIp = decisions.list(new DecisionFilter(IpAddress.parse("198.51.100.3"), null, null, null, null),
                now, 10, 0);
        assertEquals(List.of("198.51.100.0/24", "198.51.100.3/32"),
                ofIp.items().stream().map(s -> s.decision().scope().toString()).toList());
        assertThrows(IllegalArgumentException.class, () -> decisions.list(DecisionFilter.all(), now, 0, 0));
    }

    @Test
    void changeStream_startupListsActive_thenDeltasAddAndRemove() {
        Decision a = decisions.add(ban("198.51.100.1", T0, Duration.ofHours(24)));
        Decision b = decisions.add(ban("198.51.100.2", T0, Duration.ofMinutes(30)));
        decisions.addSimulated(ban("198.51.100.3", T0, Duration.ofHours(24)));
        Recorder startup = new Recorder();
        long c1 = decisions.cursor(T0.plusSeconds(1));
        decisions.forEachChange(0, c1, 1, startup);
        assertEquals(List.of(a.id(), b.id()), startup.added);
        assertEquals(List.of(), startup.removed);

        Decision c = decisions.add(captcha("198.51.100.0/24", T0.plusSeconds(10), Duration.ofHours(1)));
        decisions.delete(a.id(), T0.plusSeconds(20));
        Decision brief = decisions.add(ban("198.51.100.4", T0.plusSeconds(25), Duration.ofHours(1)));
        decisions.delete(brief.id(), T0.plusSeconds(26));
        long c2 = decisions.cursor(T0.plus(Duration.ofMinutes(31))); // b expired
        assertTrue(c2 > c1);
        Recorder delta = new Recorder();
        decisions.forEachChange(c1, c2, 1, delta);
        assertEquals(List.of(c.id()), delta.added, "a decision added and deleted between pulls is in neither list");
        assertEquals(List.of(a.id(), b.id()), delta.removed, "the deleted and the expired one");

        Recorder quiet = new Recorder();
        long c3 = decisions.cursor(T0.plus(Duration.ofMinutes(32)));
        assertEquals(c2, c3, "nothing changed, nothing moves");
        decisions.forEachChange(c2, c3, 100, quiet);
        assertEquals(List.of(), quiet.added);
        assertEquals(List.of(), quiet.removed);

        Recorder fresh = new Recorder();
        decisions.forEachChange(0, c3, 100, fresh);
        assertEquals(List.of(c.id()), fresh.added, "a new bouncer's startup list is what is in force");
    }

    @Test
    void changeStream_pagesThroughThousandsInOrderWithoutGapsOrRepeats() {
        List<Decision> batch = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            batch.add(ban("2001:db8::" + Integer.toHexString(i + 1), T0, Duration.ofHours(1 + i % 48)));
        }
        List<Decision> stored = decisions.addAll(batch, false);
        long cursor = decisions.cursor(T0.plusSeconds(1));
        Recorder r = new Recorder();
        decisions.forEachChange(0, cursor, 700, r);
        assertEquals(stored.stream().map(Decision::id).toList(), r.added);

        long later = decisions.cursor(T0.plus(Duration.ofHours(3))); // the 1 h and 2 h ones ran out
        Recorder delta = new Recorder();
        decisions.forEachChange(cursor, later, 700, delta);
        assertEquals(stored.stream().filter(d -> !d.expires().isAfter(T0.plus(Duration.ofHours(3)))).map(Decision::id).toList(),
                delta.removed);
    }

    @Test
    void reopen_keepsDecisionsAndTheCursorNeverGoesBack() {
        Decision a = decisions.add(ban("198.51.100.1", T0, Duration.ofHours(1)));
        long before = decisions.cursor(T0.plus(Duration.ofHours(2)));
        decisions.purgeEndedBefore(T0.plus(Duration.ofDays(1)));
        events.close();
        events = EventStore.open(dir, Clock.fixed(T0, ZoneOffset.UTC));
        decisions = new DecisionStore(events);
        assertTrue(decisions.get(a.id()).isEmpty(), "purged");
        long reopened = decisions.cursor(T0.plus(Duration.ofHours(2)));
        // DuckDB may skip sequence numbers across a restart; what matters is that it never goes back
        assertTrue(reopened >= before, "purging and reopening never move the cursor back: " + before + " -> " + reopened);
        Decision b = decisions.add(ban("198.51.100.1", T0.plus(Duration.ofHours(3)), Duration.ofHours(1)));
        assertTrue(b.id() > before);
    }

    private static final class Recorder implements DecisionStore.ChangeSink {
        final List<Long> added = new ArrayList<>();
        final List<Long> removed = new ArrayList<>();

        @Override
        public void added(Decision d) {
            added.add(d.id());
        }

        @Override
        public void removed(Decision d) {
            removed.add(d.id());
        }
    }
}
