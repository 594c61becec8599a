package dev.threatip.cli;

import dev.threatip.store.EventStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Child process of {@link BouncersCommandTest}: holds a data dir's store open, as a running
 * {@code serve} does, prints {@code open}, and closes it when its standard input ends.
 */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws IOException {
        try (EventStore store = EventStore.open(Path.of(args[0]), Clock.systemUTC())) {
            System.out.println("open " + store.schemaVersion());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        }
    }
}
