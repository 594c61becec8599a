package dev.threatip.demo;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a written {@link SampleWorkspace} alive: appends new lines to its three log files in real
 * time, each file in its own format, so a {@code serve} watching them sees traffic arrive and its
 * charts move. The population carries on from the 24 hours already written: mostly shoppers (and
 * now and then a crawler or a Tor user), a burst from one of the planted attackers every
 * {@link Settings#attackEvery()} or so, and every {@link Settings#newcomerEvery()} a newcomer: an
 * address the feeds list that the logs had not seen yet, or a fresh address from an attacker
 * role's hosting block that the behaviour rules will catch. Newcomers are announced
 * ({@link #newcomers()}) and join the attackers.
 *
 * <p>How it runs: {@link #tick()} advances a logical clock by one {@link Settings#tick()}, starts
 * sessions and bursts (each a schedule of requests over the coming seconds or minutes, as
 * {@link Behaviors} spaces them), and appends the requests that have fallen due, stamped with the
 * injected clock's now (minus how far inside the tick they fell). A budget of
 * {@code linesPerSecond × tick} lines a tick, charged when a session is scheduled, holds the long-run
 * rate; attack bursts are charged too, so they displace shoppers rather than add to them. Two
 * simulated minutes are run and thrown away before the first tick, so the first tick already
 * writes at the steady rate. {@link #start()} calls {@code tick()} on a daemon thread every
 * {@code tick}; tests call it directly with a fixed clock. Same workspace, seed and clock
 * readings: same bytes.
 *
 * <p>Each line is appended with one {@code write} on a file opened for append, so a tailer never
 * sees half a line. A file that cannot be written costs that tick's lines for it: they are counted
 * as dropped and the error kept ({@link #stats()}); the other files and later ticks carry on.
 */
public final class LiveTraffic implements Closeable {
    /**
     * How much and what traffic.
     *
     * @param linesPerSecond lines a second over all files, in (0, 10000]
     * @param tick           how often lines are appended, 10 ms to 10 s
     * @param attackEvery    mean time between attack bursts from the planted attackers, at least one tick
     * @param newcomerEvery  mean time between new attacker addresses, at least one tick
     */
    public record Settings(double linesPerSecond, Duration tick, Duration attackEvery, Duration newcomerEvery) {
        public Settings {
            if (!(linesPerSecond > 0 && linesPerSecond <= 10_000)) {
                throw new IllegalArgumentException("lines per second must be in (0, 10000], not " + linesPerSecond);
            }
            if (tick == null || tick.toMillis() < 10 || tick.toMillis() > 10_000) {
                throw new IllegalArgumentException("tick must be 10 ms to 10 s, not " + tick);
            }
            if (attackEvery == null || attackEvery.compareTo(tick) < 0) {
                throw new IllegalArgumentException("attackEvery must be at least one tick (" + tick + "), not " + attackEvery);
            }
            if (newcomerEvery == null || newcomerEvery.compareTo(tick) < 0) {
                throw new IllegalArgumentException("newcomerEvery must be at least one tick (" + tick + "), not "
                        + newcomerEvery);
            }
        }

        /** 20 lines a second, appended every 250 ms, an attack burst about every 30 s, a newcomer about every 90 s. */
        public static Settings defaults() {
            return new Settings(20, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(90));
        }

        /** These settings at another rate. */
        public Settings withLinesPerSecond(double rate) {
            return new Settings(rate, tick, attackEvery, newcomerEvery);
        }
    }

    /**
     * An attacker address that live traffic brought in.
     *
     * @param ip     the address
     * @param role   what it does
     * @param listed whether a workspace feed lists it (else only its behaviour gives it away)
     * @param at     when it was announced (the clock's now at that tick)
     */
    public record Newcomer(String ip, SampleWorkspace.Role role, boolean listed, Instant at) {
    }

    /**
     * What has been written so far.
     *
     * @param lines       lines appended over all files
     * @param perFile     lines appended per log file name
     * @param newcomers   newcomers announced
     * @param dropped     lines lost to write errors
     * @param failedTicks ticks that failed (a write error or a bug)
     * @param lastError   the last failure's message, or null
     */
    public record Stats(long lines, Map<String, Long> perFile, int newcomers, long dropped, long failedTicks,
                        String lastError) {
    }

    /** Simulated before the first tick and thrown away, so sessions are already under way. */
    private static final long WARM_UP_MILLIS = 120_000;
    /** Roles of the planted attackers' bursts, taken in turn. */
    private static final SampleWorkspace.Role[] BURSTS = {SampleWorkspace.Role.SCANNER,
        SampleWorkspace.Role.BRUTE_FORCE, SampleWorkspace.Role.SCRAPER, SampleWorkspace.Role.WEB_ATTACK,
        SampleWorkspace.Role.EXPLOIT, SampleWorkspace.Role.PROXY_PROBE, SampleWorkspace.Role.CREDENTIAL_STUFFING};
    /** Roles a fresh (unlisted) newcomer may play: each is caught by behaviour rules alone. */
    private static final SampleWorkspace.Role[] FRESH_ROLES = {SampleWorkspace.Role.SCANNER,
        SampleWorkspace.Role.WEB_ATTACK, SampleWorkspace.Role.EXPLOIT, SampleWorkspace.Role.BRUTE_FORCE,
        SampleWorkspace.Role.SCRAPER, SampleWorkspace.Role.PROXY_PROBE};

    private record Pending(long due, long seq, Service service, Request request) {
    }

    private final Map<Service, Path> files = new EnumMap<>(Service.class);
    private final Clock clock;
    private final Settings settings;
    private final long tickMillis;
    private final Random rnd;
    private final Behaviors behaviors;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private final List<String> visitors;
    private final List<String> crawlers;
    private final List<String> tor;
    private final Map<SampleWorkspace.Role, List<String>> attackers = new EnumMap<>(SampleWorkspace.Role.class);
    private final Deque<Map.Entry<String, SampleWorkspace.Role>> dormant;
    private final Set<String> known = new HashSet<>();
    private final List<Newcomer> newcomers = new ArrayList<>();
    private final Map<Service, Long> written = new EnumMap<>(Service.class);
    private final Map<Service, Long> lastStamp = new EnumMap<>(Service.class);

    private long seq;
    private long logical = -WARM_UP_MILLIS;
    private boolean warmedUp;
    private double budget;
    private long nextAttack;
    private long nextNewcomer;
    private int burst;
    private boolean freshNext;
    private long dropped;
    private long failedTicks;
    private String lastError;
    private ScheduledExecutorService executor;

    private LiveTraffic(SampleWorkspace.Written workspace, long seed, Clock clock, Settings settings) {
        for (Service s : Service.values()) {
            Path file = workspace.logs().stream().map(SampleWorkspace.LogFile::path)
                    .filter(p -> p.getFileName().toString().equals(s.fileName())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the workspace has no " + s.fileName()));
            files.put(s, file);
            written.put(s, 0L);
            lastStamp.put(s, Long.MIN_VALUE);
        }
        this.clock = clock;
        this.settings = settings;
        this.tickMillis = settings.tick().toMillis();
        this.rnd = new Random(seed);
        this.behaviors = new Behaviors(rnd, this::schedule);
        this.visitors = workspace.clients(SampleWorkspace.Role.VISITOR);
        this.crawlers = workspace.clients(SampleWorkspace.Role.CRAWLER);
        this.tor = workspace.clients(SampleWorkspace.Role.TOR);
        for (SampleWorkspace.Role role : BURSTS) {
            attackers.put(role, new ArrayList<>(workspace.clients(role)));
        }
        if (visitors.isEmpty()) {
            throw new IllegalArgumentException("the workspace has no shoppers to carry on with");
        }
        this.dormant = new ArrayDeque<>(workspace.dormant().entrySet());
        known.addAll(workspace.clients().keySet());
        known.addAll(workspace.dormant().keySet());
        this.nextAttack = settings.attackEvery().toMillis() / 2;
        this.nextNewcomer = settings.newcomerEvery().toMillis();
    }

    /** Live traffic over a workspace with the default settings, seed 1 and the system clock. */
    public static LiveTraffic over(SampleWorkspace.Written workspace) {
        return over(workspace, 1, Clock.systemUTC(), Settings.defaults());
    }

    /**
     * Live traffic over a workspace.
     *
     * @param workspace what {@link SampleWorkspace#write} wrote: its logs, population and dormant addresses
     * @param seed      the random seed
     * @param clock     gives the lines' times
     * @param settings  rate and mix
     * @throws IllegalArgumentException when the workspace lacks a log file or shoppers
     */
    public static LiveTraffic over(SampleWorkspace.Written workspace, long seed, Clock clock, Settings settings) {
        return new LiveTraffic(workspace, seed, clock, settings);
    }

    /**
     * Appends one tick's worth of traffic: what falls due in the next {@link Settings#tick()} of
     * logical time, stamped up to the clock's now.
     *
     * @return the lines appended
     * @throws IOException when a log file cannot be written (after trying the others; the lines for
     *                     it are counted as dropped)
     */
    public synchronized int tick() throws IOException {
        if (!warmedUp) {
            warmedUp = true;
            while (logical < 0) {
                advance();
            }
        }
        return write(advance(), clock.millis());
    }

    /**
     * Calls {@link #tick()} every {@link Settings#tick()} on a daemon thread until {@link #close()}.
     * A failing tick is counted ({@link #stats()}) and the next one runs.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start() {
        if (executor != null) {
            throw new IllegalStateException("live traffic already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "threatip-demo-traffic");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleAtFixedRate(this::tickSafely, 0, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops the thread started by {@link #start()}, waiting for a running tick to finish; idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
        }
        if (e == null) {
            return;
        }
        e.shutdown();
        try {
            if (!e.awaitTermination(tickMillis + 5_000, TimeUnit.MILLISECONDS)) {
                e.shutdownNow();
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** The newcomers announced so far, in order. */
    public synchronized List<Newcomer> newcomers() {
        return List.copyOf(newcomers);
    }

    /** What has been written so far. */
    public synchronized Stats stats() {
        Map<String, Long> perFile = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<Service, Long> e : written.entrySet()) {
            perFile.put(e.getKey().fileName(), e.getValue());
            total += e.getValue();
        }
        return new Stats(total, perFile, newcomers.size(), dropped, failedTicks, lastError);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                failedTicks++;
                lastError = e.toString();
            }
        }
    }

    /** Moves the logical clock one tick on and takes what fell due, in order. */
    private List<Pending> advance() {
        long from = logical;
        long to = logical + tickMillis;
        budget += settings.linesPerSecond() * tickMillis / 1000.0;
        while (nextAttack < to) {
            attack(Math.max(from, nextAttack));
            nextAttack += jitter(settings.attackEvery().toMillis());
        }
        while (nextNewcomer < to) {
            newcomer(Math.max(from, nextNewcomer));
            nextNewcomer += jitter(settings.newcomerEvery().toMillis());
        }
        while (budget > 0) {
            shopper(from + rnd.nextInt((int) tickMillis));
        }
        List<Pending> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().due < to) {
            due.add(queue.poll());
        }
        logical = to;
        return due;
    }

    /** Half to one and a half times the mean. */
    private long jitter(long mean) {
        return Math.max(1, mean / 2 + (long) (rnd.nextDouble() * mean));
    }

    private void schedule(Service service, Request request) {
        queue.add(new Pending(request.millis(), seq++, service, request));
        budget--;
    }

    private void shopper(long t) {
        int k = rnd.nextInt(100);
        if (k < 3 && !crawlers.isEmpty()) {
            String ip = crawlers.get(rnd.nextInt(crawlers.size()));
            behaviors.crawl(ip, ip.startsWith("66.") ? Behaviors.GOOGLEBOT_UA : Behaviors.BINGBOT_UA, t, 3, 20_000);
        } else if (k < 6 && !tor.isEmpty()) {
            behaviors.visit(tor.get(rnd.nextInt(tor.size())), Behaviors.TOR_UA, t, 2 + rnd.nextInt(4));
        } else {
            behaviors.visit(visitors.get(rnd.nextInt(visitors.size())),
                    Behaviors.BROWSER_UAS[rnd.nextInt(Behaviors.BROWSER_UAS.length)], t, 2 + rnd.nextInt(5));
        }
    }

    /** A burst from the next attacker role in turn that has anyone to send. */
    private void attack(long t) {
        for (int tries = 0; tries < BURSTS.length; tries++) {
            SampleWorkspace.Role role = BURSTS[burst++ % BURSTS.length];
            List<String> pool = attackers.get(role);
            if (!pool.isEmpty()) {
                burst(role, pool.get(rnd.nextInt(pool.size())), t);
                return;
            }
        }
    }

    private void burst(SampleWorkspace.Role role, String ip, long t) {
        switch (role) {
            case SCANNER -> behaviors.scan(ip, Behaviors.SCANNER_UAS[rnd.nextInt(Behaviors.SCANNER_UAS.length)], t,
                    30 + rnd.nextInt(30));
            case BRUTE_FORCE -> behaviors.bruteForce(ip, t, 20 + rnd.nextInt(20));
            case WEB_ATTACK -> behaviors.webAttack(ip, t, 10 + rnd.nextInt(10));
            case EXPLOIT -> behaviors.exploit(ip, t, 4 + rnd.nextInt(5));
            case SCRAPER -> behaviors.scrape(ip, t, 40 + rnd.nextInt(40), rnd.nextBoolean());
            case PROXY_PROBE -> behaviors.proxyProbe(ip, t, 3 + rnd.nextInt(4));
            case CREDENTIAL_STUFFING -> behaviors.stuffing(attackers.get(role), t, 10 * 60_000);
            default -> throw new IllegalStateException("no burst for " + role);
        }
    }

    /** A listed address the logs have not seen, or a fresh one from a role's hosting block; alternately. */
    private void newcomer(long t) {
        boolean fresh = freshNext || dormant.isEmpty();
        freshNext = !freshNext;
        String ip;
        SampleWorkspace.Role role;
        if (fresh) {
            role = FRESH_ROLES[rnd.nextInt(FRESH_ROLES.length)];
            List<String> prefixes = Operators.HOSTING_PREFIXES.get(role);
            do {
                ip = prefixes.get(rnd.nextInt(prefixes.size())) + "." + (1 + rnd.nextInt(254)) + "." + (1 + rnd.nextInt(254));
            } while (!known.add(ip));
        } else {
            Map.Entry<String, SampleWorkspace.Role> next = dormant.poll();
            ip = next.getKey();
            role = next.getValue();
        }
        newcomers.add(new Newcomer(ip, role, !fresh, clock.instant()));
        attackers.get(role).add(ip);
        burst(role, ip, t);
    }

    /** Appends the due requests, each line with one write, stamped back from {@code now} by how early in the tick it fell. */
    private int write(List<Pending> due, long now) throws IOException {
        Map<Service, List<byte[]>> out = new EnumMap<>(Service.class);
        for (Pending p : due) {
            long stamp = Math.min(now, Math.max(lastStamp.get(p.service()), now - (logical - p.due())));
            lastStamp.put(p.service(), stamp);
            Request r = p.request();
            String line = p.service().line(new Request(stamp, r.ip(), r.method(), r.target(), r.status(), r.bytes(),
                    r.referer(), r.userAgent())) + "\n";
            out.computeIfAbsent(p.service(), s -> new ArrayList<>()).add(line.getBytes(StandardCharsets.UTF_8));
        }
        IOException failure = null;
        int count = 0;
        for (Map.Entry<Service, List<byte[]>> e : out.entrySet()) {
            int done = 0;
            try (FileChannel ch = FileChannel.open(files.get(e.getKey()), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                for (byte[] line : e.getValue()) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    done++;
                }
            } catch (IOException ex) {
                dropped += e.getValue().size() - done;
                lastError = files.get(e.getKey()) + ": " + ex;
                if (failure == null) {
                    failure = ex;
                }
            }
            written.merge(e.getKey(), (long) done, Long::sum);
            count += done;
        }
        if (failure != null) {
            throw failure;
        }
        return count;
    }
}
