package dev.threatip.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server of the benchmark (the origin, nginx, {@code threatip gate}) started under
 * {@code taskset -c CPUS}, output to a log file, and read from {@code /proc}: CPU seconds (user +
 * system, the process and its children, e.g. nginx's workers), resident memory, thread names.
 * Stopped with SIGTERM, then SIGKILL, only this process and its own descendants.
 */
final class PinnedProcess implements AutoCloseable {
    private static final double CLOCK_TICKS = clockTicks();

    private final String name;
    private final String cpus;
    private final Process process;
    private final Path log;

    private PinnedProcess(String name, String cpus, Process process, Path log) {
        this.name = name;
        this.cpus = cpus;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} pinned to {@code cpus} and waits until it accepts connections on
     * 127.0.0.1:{@code port}.
     *
     * @throws IOException when it exits or does not listen within {@code startSeconds}; the message
     *                     carries the end of its log
     */
    static PinnedProcess start(String name, String cpus, List<String> command, Path log, int port, int startSeconds)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PinnedProcess pp = new PinnedProcess(name, cpus, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startSeconds);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException(name + " exited with " + p.exitValue() + " before listening: " + pp.logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return pp;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        pp.close();
        throw new IOException(name + " did not listen on 127.0.0.1:" + port + " within " + startSeconds + " s: " + pp.logTail());
    }

    String name() {
        return name;
    }

    String cpus() {
        return cpus;
    }

    /** The pid of the pinned program ({@code taskset} execs it). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** CPU seconds (user + system) of the process and its live descendants so far. */
    double cpuSeconds() {
        double sum = ticks(process.pid());
        try (Stream<ProcessHandle> d = process.toHandle().descendants()) {
            for (ProcessHandle h : (Iterable<ProcessHandle>) d::iterator) {
                sum += ticks(h.pid());
            }
        }
        return sum / CLOCK_TICKS;
    }

    /** Resident memory of the process (not its children) in KiB, from {@code /proc/PID/status}. */
    long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Names of the process's threads ({@code comm}, 15 characters at most). */
    List<String> threadNames() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    names.add(Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).strip());
                } catch (IOException gone) {
                    // the thread ended while listing
                }
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }

    /** Live descendant processes (nginx's workers). */
    long children() {
        try (Stream<ProcessHandle> d = process.toHandle().descendants()) {
            return d.count();
        }
    }

    /** The last lines of the log. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>();
        try (Stream<ProcessHandle> d = process.toHandle().descendants()) {
            d.forEach(tree::add);
        }
        process.destroy(); // SIGTERM: nginx's master stops its workers, the JVM runs its shutdown hooks
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            return Double.parseDouble(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
