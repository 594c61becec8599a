package dev.threatip.store;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Child process of {@link EventStoreTest#appendEvents_processKilledAfterAck_losesNothingAcknowledged}:
 * appends batches, prints {@code acked N} after each acknowledged one, then halts the JVM without
 * closing the store (no shutdown hooks, no checkpoint) — what a kill -9 leaves behind.
 */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int batches = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        EventStore store = EventStore.open(dir, Clock.systemUTC());
        long acked = 0;
        for (int b = 0; b < batches; b++) {
            store.appendEvents(StoreFixtures.events(b * size, size), "crash.log");
            acked += size;
            System.out.println("acked " + acked);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }
}
