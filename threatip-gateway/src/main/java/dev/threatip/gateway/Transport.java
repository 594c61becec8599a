package dev.threatip.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;

/**
 * The socket layer of the gateway: Linux's native epoll transport when it loads (Netty's JNI
 * library, bundled for x86_64), else the JDK's NIO selector. Epoll saves the JDK selector's
 * bookkeeping and some system calls on every read and write — measured on the gate benchmark
 * (threatip-bench README, "gate"). Client and origin channels come from the same transport as the
 * event loops that run them, as Netty requires.
 *
 * <p>{@code -Dthreatip.gate.transport=nio} forces NIO (e.g. to compare, or where a seccomp profile
 * refuses epoll); {@code epoll} insists on epoll and fails when it cannot load.
 */
enum Transport {
    EPOLL, NIO;

    static final String PROPERTY = "threatip.gate.transport";

    /** The transport {@link #PROPERTY} asks for, epoll by default when it is available. */
    static Transport select() {
        String asked = System.getProperty(PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        switch (asked) {
            case "nio":
                return NIO;
            case "epoll":
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException(PROPERTY + "=epoll, but epoll cannot be used here: " + Epoll.unavailabilityCause());
                }
                return EPOLL;
            case "":
                return Epoll.isAvailable() ? EPOLL : NIO;
            default:
                throw new IllegalArgumentException(PROPERTY + " '" + asked + "' is unknown; known: epoll, nio");
        }
    }

    EventLoopGroup group(int threads) {
        return this == EPOLL ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The lower-case name used in the start-up log. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
