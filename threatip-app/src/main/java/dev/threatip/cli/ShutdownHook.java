package dev.threatip.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C and SIGTERM as a latch for the long-running commands ({@code serve}, {@code demo}): the
 * hook counts {@code stop} down and then waits until the command has closed its server, because
 * the JVM halts as soon as its hooks return — without the wait, the store would not get its last
 * flush. Open it before the server and close it after, so the wait ends once the server is closed.
 */
final class ShutdownHook implements AutoCloseable {
    private static final long MAX_WAIT_SECONDS = 30;

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    ShutdownHook(String name, CountDownLatch stop) {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(MAX_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command has closed its server: a pending hook may let the JVM halt now. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting through this hook, which now returns
        }
    }
}
