package dev.threatip.gateway;

import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.Verdict;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.LiveDecision;
import dev.threatip.policy.Policy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy that enforces a {@link Policy} at the edge ({@code threatip gate}): every
 * request's client is resolved (trusted proxies only), looked up in the live reputation and the
 * live decisions, and decided by the policy; blocks and challenges are answered here, everything
 * else streams to the origin over pooled keep-alive connections with the verdict in
 * {@code X-Threatip-Verdict}. HTTP/1.1 with keep-alive, and HTTP/2 over TLS (ALPN) when a
 * certificate is given; WebSocket upgrades pass through as a byte tunnel.
 *
 * <pre>{@code
 * Gateway gw = Gateway.start(GatewaySettings.of(8443, URI.create("http://127.0.0.1:8080")),
 *         LiveReputation.open(intel, options), Policy.load(policyFile), decisions);
 * gw.swapPolicy(Policy.load(policyFile));   // hot reload: connections stay up
 * gw.close();
 * }</pre>
 *
 * <p>The reputation swaps by itself ({@link LiveReputation#refresh}); the policy by
 * {@link #swapPolicy}: a request is decided by the policy current when its headers arrived, and
 * no connection is dropped by either.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    static final String WATCH = "watch";
    static final String CODEC = "codec";
    static final String IDLE = "idle";

    /**
     * Counters since start.
     *
     * @param requests       requests whose headers arrived
     * @param passed         forwarded to the origin (allow, monitor, cleared challenges)
     * @param monitored      hits with action monitor
     * @param challenged     challenge pages served
     * @param solved         challenges solved (clearance cookies issued)
     * @param cleared        requests passed on a clearance cookie
     * @param blocked        blocks answered
     * @param rejected       malformed, over-limit or timed-out requests, failed challenge answers
     * @param upstreamErrors origin unreachable, closed early or too slow (502/504)
     * @param hitsLogged     hit-log lines written
     * @param hitsDropped    hits lost because the hit log could not keep up
     * @param notEnforced    blocks and challenges passed to the origin instead because the policy is in
     *                       monitor mode (counted here, not in {@code blocked} or {@code challenged})
     */
    public record Stats(long requests, long passed, long monitored, long challenged, long solved, long cleared,
                        long blocked, long rejected, long upstreamErrors, long hitsLogged, long hitsDropped,
                        long notEnforced) {
    }

    static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder passed = new LongAdder();
        final LongAdder monitored = new LongAdder();
        final LongAdder challenged = new LongAdder();
        final LongAdder solved = new LongAdder();
        final LongAdder cleared = new LongAdder();
        final LongAdder blocked = new LongAdder();
        final LongAdder rejected = new LongAdder();
        final LongAdder upstreamErrors = new LongAdder();
        final LongAdder notEnforced = new LongAdder();
    }

    private record PolicyPages(Policy policy, Pages pages) {
    }

    final GatewaySettings settings;
    final Counters stats = new Counters();
    final ClientAddress clients;
    final Clearance clearance;
    final HitLog hitLog;
    final Upstream upstream;
    final Transport transport;
    private final LiveReputation reputation;
    private final DecisionStream decisions;
    private final Clock clock;
    private final AtomicReference<PolicyPages> policy;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel server;
    private final SslContext ssl;

    private Gateway(GatewaySettings settings, LiveReputation reputation, Policy policy, DecisionStream decisions,
                    Clock clock) throws IOException, InterruptedException {
        this.settings = settings;
        this.reputation = reputation;
        this.decisions = decisions;
        this.clock = clock;
        this.policy = new AtomicReference<>(new PolicyPages(policy, new Pages(policy.responses().blockPage())));
        this.clients = new ClientAddress(settings.trustedProxies());
        byte[] secret = settings.secret();
        if (secret == null) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.clearance = new Clearance(secret);
        this.ssl = settings.tls() ? sslContext(settings) : null;
        this.hitLog = settings.hitLog() == null ? null : new HitLog(settings.hitLog());
        this.transport = Transport.select();
        this.boss = transport.group(1);
        this.workers = transport.group(settings.threads());
        this.upstream = new Upstream(settings, workers, transport);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                            ch.pipeline().addLast("alpn", new Alpn());
                        } else {
                            http1(ch.pipeline(), false);
                        }
                    }
                });
        try {
            this.server = b.bind(settings.bindHost(), settings.port()).sync().channel();
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (hitLog != null) {
                hitLog.close();
            }
            throw new IOException("cannot listen on " + settings.bindHost() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts listening.
     *
     * @param reputation the live snapshot, or null to treat every client as clean
     * @param policy     the policy ({@link Policy#defaults()} for the built-in one)
     * @param decisions  live decisions from {@code serve}, or null; started here when given
     * @throws IOException when the address cannot be bound, the TLS files or the hit log cannot be read or written
     */
    public static Gateway start(GatewaySettings settings, LiveReputation reputation, Policy policy, DecisionStream decisions)
            throws IOException, InterruptedException {
        return start(settings, reputation, policy, decisions, Clock.systemUTC());
    }

    /** {@link #start(GatewaySettings, LiveReputation, Policy, DecisionStream)} with a clock for cookies and the hit log. */
    public static Gateway start(GatewaySettings settings, LiveReputation reputation, Policy policy, DecisionStream decisions,
                                Clock clock) throws IOException, InterruptedException {
        Gateway gw = new Gateway(settings, reputation, policy, decisions, clock);
        if (decisions != null) {
            decisions.start();
        }
        LOG.info("gate listening on {} ({}, {} event loops over {}), forwarding to {}, policy mode {}", gw.address(),
                settings.tls() ? "https, h2 + http/1.1" : "http", settings.threads(), gw.transport.wireName(),
                settings.upstream(), policy.mode().wireName());
        return gw;
    }

    private void http1(ChannelPipeline p, boolean tls) {
        Frontend f = new Frontend(this, tls, false);
        p.addLast(WATCH, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                f.bytesArrived();
                ctx.fireChannelRead(msg);
            }
        });
        p.addLast(CODEC, new HttpServerCodec(settings.maxInitialLine(), settings.maxHeaderBytes(), 65536, true));
        p.addLast(Frontend.NAME, f); // keeps its own lazy idle timer: no IdleStateHandler listener on every write

    }

    /** After the TLS handshake: HTTP/2 streams or HTTP/1.1, as ALPN chose. */
    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(IDLE, new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                        .initialSettings(Http2Settings.defaultSettings().maxHeaderListSize(settings.maxHeaderBytes())
                                .maxConcurrentStreams(256))
                        .validateHeaders(true).build());
                ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, true));
                        ch.pipeline().addLast(Frontend.NAME, new Frontend(Gateway.this, true, true));
                    }
                }));
            } else {
                http1(ctx.pipeline(), true);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    private static SslContext sslContext(GatewaySettings s) throws IOException {
        try {
            return SslContextBuilder.forServer(s.tlsCertificate().toFile(), s.tlsPrivateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot use the TLS certificate " + s.tlsCertificate() + " with key " + s.tlsPrivateKey()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The address it listens on (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Makes {@code next} the policy for requests from now on; requests being handled keep theirs. */
    public void swapPolicy(Policy next) {
        policy.set(new PolicyPages(next, new Pages(next.responses().blockPage())));
    }

    /** The policy in force. */
    public Policy policy() {
        return policy.get().policy();
    }

    Pages pages(Policy p) {
        PolicyPages pp = policy.get();
        return pp.policy() == p ? pp.pages() : new Pages(p.responses().blockPage());
    }

    Verdict reputation(IpAddress client) {
        return reputation == null ? Verdict.clean() : reputation.lookup(client);
    }

    LiveDecision decision(IpAddress client) {
        return decisions == null ? LiveDecision.NONE : decisions.lookup(client);
    }

    Instant now() {
        return clock.instant();
    }

    /** {@link #now()} in epoch milliseconds, without an {@code Instant}. */
    long nowMillis() {
        return clock.millis();
    }

    String newRequestId() {
        long v = ThreadLocalRandom.current().nextLong();
        String hex = Long.toHexString(v);
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }

    /** The counters now. */
    public Stats stats() {
        return new Stats(stats.requests.sum(), stats.passed.sum(), stats.monitored.sum(), stats.challenged.sum(),
                stats.solved.sum(), stats.cleared.sum(), stats.blocked.sum(), stats.rejected.sum(),
                stats.upstreamErrors.sum(), hitLog == null ? 0 : hitLog.written(), hitLog == null ? 0 : hitLog.dropped(),
                stats.notEnforced.sum());
    }

    /** Stops listening, closes every connection, flushes the hit log. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        if (decisions != null) {
            decisions.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (hitLog != null) {
            hitLog.close();
        }
    }
}
