package dev.threatip.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Connections to the origin: a pool of idle keep-alive connections per event loop, so a client
 * connection and its upstream connection always share one thread (no locks, no hand-offs — the
 * classic Netty proxy layout). Only the owning loop touches its deque. An idle connection the
 * origin closes leaves its deque when its close is seen.
 */
final class Upstream {
    static final String CODEC = "codec";
    static final String HANDLER = "upstream";

    private final GatewaySettings settings;
    private final Transport transport;
    private final Map<EventExecutor, ArrayDeque<Channel>> idle = new IdentityHashMap<>();

    Upstream(GatewaySettings settings, EventLoopGroup workers, Transport transport) {
        this.settings = settings;
        this.transport = transport;
        for (EventExecutor e : workers) {
            idle.put(e, new ArrayDeque<>());
        }
    }

    /** An idle connection of this loop, or null. */
    Channel poll(EventLoop loop) {
        ArrayDeque<Channel> q = idle.get(loop);
        if (q == null) {
            return null;
        }
        Channel c;
        while ((c = q.pollLast()) != null) {
            if (c.isActive()) {
                return c;
            }
        }
        return null;
    }

    /** A new connection on this loop; its handler is bound to the exchange before it is used. */
    ChannelFuture connect(EventLoop loop) {
        Bootstrap b = new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // responses of any size stream through: no aggregation, 64 KiB chunks
                        ch.pipeline().addLast(CODEC, new HttpClientCodec(8192, settings.maxHeaderBytes() * 4, 65536));
                        ch.pipeline().addLast(HANDLER, new UpstreamHandler(Upstream.this));
                    }
                });
        return b.connect(settings.upstream().getHost(), settings.upstreamPort());
    }

    /** Gives a connection back after a complete exchange; closes it when the loop's pool is full. */
    void release(Channel c) {
        ArrayDeque<Channel> q = idle.get(c.eventLoop());
        if (q == null || !c.isActive() || q.size() >= settings.maxIdleUpstream()) {
            c.close();
            return;
        }
        c.pipeline().get(UpstreamHandler.class).unbind();
        q.addLast(c);
    }

    /** Forgets a closed idle connection (called on its loop). */
    void closed(Channel c) {
        ArrayDeque<Channel> q = idle.get(c.eventLoop());
        if (q != null) {
            q.remove(c);
        }
    }
}
