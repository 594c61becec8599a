package dev.threatip.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The end of an origin connection's pipeline: hands what the origin sends to the exchange it is
 * bound to. Unbound (idle in the pool), anything the origin sends is a protocol error: the
 * connection is closed.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    /** What receives an origin's answer. */
    interface Sink {
        void response(HttpResponse response);

        void content(HttpContent content);

        /** Bytes after a protocol switch (WebSocket). */
        void raw(ByteBuf bytes);

        void readComplete();

        void closed();

        void writabilityChanged(boolean writable);
    }

    private final Upstream pool;
    private Sink sink;

    UpstreamHandler(Upstream pool) {
        this.pool = pool;
    }

    void bind(Sink s) {
        this.sink = s;
    }

    void unbind() {
        this.sink = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Sink s = sink;
        if (s == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse r) {
            s.response(r);
            if (msg instanceof HttpContent c) {
                s.content(c);
            }
        } else if (msg instanceof HttpContent c) {
            s.content(c);
        } else if (msg instanceof ByteBuf b) {
            s.raw(b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Sink s = sink;
        if (s != null) {
            s.readComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Sink s = sink;
        if (s != null) {
            s.writabilityChanged(ctx.channel().isWritable());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Sink s = sink;
        sink = null;
        if (s != null) {
            s.closed();
        } else {
            pool.closed(ctx.channel());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // channelInactive tells the exchange
    }
}
