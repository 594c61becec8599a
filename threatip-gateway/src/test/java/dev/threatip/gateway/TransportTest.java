package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.CHROME;
import static dev.threatip.gateway.Fixtures.SCANNER_HIGH;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static dev.threatip.gateway.Fixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.threatip.intel.LiveReputation;
import dev.threatip.policy.Policy;
import io.netty.channel.epoll.Epoll;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket layer: native epoll by default on Linux, NIO on request, the same answers from both. */
class TransportTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(Transport.PROPERTY);
    }

    @Test
    void select_unknownTransport_isRefusedNamingTheKnownOnes() {
        System.setProperty(Transport.PROPERTY, "kqueue");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Transport::select);
        assertEquals("threatip.gate.transport 'kqueue' is unknown; known: epoll, nio", e.getMessage());
    }

    @Test
    void select_nothingAsked_usesEpollWhereItLoads() {
        assumeTrue(Epoll.isAvailable(), "epoll does not load here");
        assertEquals(Transport.EPOLL, Transport.select());
    }

    @Test
    void proxy_overNioAndOverEpoll_passesCleanClientsAndBlocksListedOnes() throws Exception {
        LiveReputation reputation = Fixtures.reputation(dir);
        HttpClient http = Fixtures.client();
        for (Transport t : Epoll.isAvailable() ? Transport.values() : new Transport[] {Transport.NIO}) {
            System.setProperty(Transport.PROPERTY, t.wireName());
            try (Origin origin = new Origin();
                 Gateway gw = Gateway.start(Fixtures.settings(origin, dir), reputation, Policy.defaults(), null)) {
                assertEquals(t, gw.transport);
                for (int i = 0; i < 3; i++) { // kept alive, origin connection reused
                    HttpResponse<String> shopper = get(http, gw, "/products/42", SHOPPER, CHROME);
                    assertEquals(200, shopper.statusCode(), t + ": " + shopper.body());
                    assertEquals("hello from the origin", shopper.body().strip());
                }
                HttpResponse<String> scanner = get(http, gw, "/.env", SCANNER_HIGH, "zgrab/0.x");
                assertEquals(403, scanner.statusCode(), t.wireName());
                assertTrue(scanner.body().contains(scanner.headers().firstValue("X-Threatip-Request-Id").orElseThrow()),
                        "the block page shows the request id");
                assertEquals(3, origin.requests.get(), t + ": only the clean requests reach the origin");
                assertEquals(SHOPPER + ", 127.0.0.1", origin.seen.get(0).headers().getFirst("X-Forwarded-For"));
            }
        }
    }
}
