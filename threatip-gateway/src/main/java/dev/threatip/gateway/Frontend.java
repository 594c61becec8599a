package dev.threatip.gateway;

import dev.threatip.intel.Verdict;
import dev.threatip.log.LineFields;
import dev.threatip.net.IpAddress;
import dev.threatip.policy.Action;
import dev.threatip.policy.EnforcementMode;
import dev.threatip.policy.LiveDecision;
import dev.threatip.policy.Policy;
import dev.threatip.policy.PolicyDecision;
import dev.threatip.policy.RequestView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection (HTTP/1.1), or one HTTP/2 stream: decides each request with the policy,
 * answers blocks and challenges itself, and streams passing requests to the origin and the
 * answers back — bodies of any size flow through in chunks, reads paused on whichever side cannot
 * take more (back-pressure both ways), never aggregated.
 *
 * <p>Requests on a keep-alive connection are handled one at a time in order; pipelined requests
 * wait in a queue (reads stop while they wait, so the queue holds at most one read's worth).
 * Everything runs on the connection's event loop, which the origin connection shares.
 */
final class Frontend extends ChannelInboundHandlerAdapter implements UpstreamHandler.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Frontend.class);
    static final String NAME = "frontend";
    static final String VERIFY_PATH = "/.threatip/verify";
    /** Hop-by-hop headers (RFC 9110 §7.6.1) plus the proxy ones: never forwarded. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION);
    // Header names as AsciiString: Netty's header map caches their hash; a String name is hashed per call.
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString VERDICT = AsciiString.cached(VerdictHeader.NAME);
    private static final AsciiString REQUEST_ID = AsciiString.cached(VerdictHeader.REQUEST_ID);
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString X_THREATIP_ACTION = AsciiString.cached("X-Threatip-Action");
    private static final AsciiString X_FRAME_OPTIONS = AsciiString.cached("X-Frame-Options");
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString TEXT_HTML = AsciiString.cached("text/html; charset=utf-8");
    private static final AsciiString NO_STORE = AsciiString.cached("no-store");
    private static final AsciiString DENY = AsciiString.cached("DENY");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString BLOCK = AsciiString.cached("block");
    private static final HttpHeadersFactory OWN_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** The state of the request being handled. */
    private static final class Exchange {
        HttpRequest request;
        String requestId;
        IpAddress client;
        Verdict verdict;
        PolicyDecision decision;
        String method;
        String host;
        String path;
        String query;
        String forwardedFor; // a trusted peer's X-Forwarded-For, as read for the client
        String userAgent;
        boolean keepAlive;
        boolean http10;
        boolean requestDone;
        boolean responseDone;
        boolean discard; // answered here: swallow the rest of the body
        boolean forwarding;
        boolean logHit;
        boolean cleared;
        boolean notEnforced; // monitor mode: a block or challenge passed to the origin instead
        Channel upstream;
        boolean reused;
        boolean connecting;
        boolean retried;
        long bodyBytes;
        ArrayDeque<HttpContent> pending;
        boolean responseStarted;
        boolean interim;
        boolean upgrade;
        boolean switching;
        List<ByteBuf> early; // origin bytes after a 101, before the switch
        boolean upstreamReusable;
        boolean complete; // the headers ended the request (HTTP/2 END_STREAM): no body follows
        int status;
        boolean responseTimeoutArmed;
    }

    private final Gateway gw;
    private final boolean tls;
    private final boolean http2;
    private ChannelHandlerContext ctx;
    private IpAddress peer;
    private byte[] peerText;
    private String peerString;
    private LineFields scratch;
    private Exchange ex;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    // Timers are lazy (the idea of Netty's IdleStateHandler): arming stores a deadline, disarming
    // clears it, and at most one task per timer is queued; when it fires early it re-queues itself
    // for the time left. A keep-alive connection thus queues about one task per timeout period
    // instead of a schedule and a cancel (a priority-queue insert and removal) per request.
    private long headerDeadline; // System.nanoTime() by which headers must have arrived, 0: none
    private boolean headerTimerQueued;
    private final Runnable headerTimer = this::headerTimerFired;
    private long responseDeadline; // by which the origin must have started answering responseFor, 0: none
    private Exchange responseFor;
    private boolean responseTimerQueued;
    private final Runnable responseTimer = this::responseTimerFired;
    // HTTP/1.1 idle timeout, lazily too (HTTP/2 streams: an IdleStateHandler on the connection)
    private long lastActivity; // System.nanoTime() of the last bytes from the client or the origin
    private final Runnable idleTimer = this::idleTimerFired;
    private boolean closing;
    private boolean tunnel; // switched to a byte tunnel: no HTTP timers
    // the queued timer tasks, cancelled when the connection closes: a closed connection is not
    // kept reachable from the timer queue for up to a timeout (connection churn would pile them up)
    private ScheduledFuture<?> idleTask;
    private ScheduledFuture<?> headerTask;
    private ScheduledFuture<?> responseTask;

    Frontend(Gateway gw, boolean tls, boolean http2) {
        this.gw = gw;
        this.tls = tls;
        this.http2 = http2;
    }

    // ---- connection lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        init(ctx);
        ctx.fireChannelActive();
    }

    private void init(ChannelHandlerContext ctx) {
        if (peer != null) {
            return;
        }
        Channel c = ctx.channel();
        peer = ClientAddress.peer(http2 && c.parent() != null ? c.parent().remoteAddress() : c.remoteAddress());
        if (!http2) {
            armHeaderDeadline();
            lastActivity = System.nanoTime();
            idleTask = ctx.executor().schedule(idleTimer, gw.settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Bytes arrived (seen before the codec): a request is coming, its headers must follow in time. */
    void bytesArrived() {
        lastActivity = System.nanoTime();
        if (ex == null && headerDeadline == 0 && !closing) {
            armHeaderDeadline();
        }
    }

    /** Nothing from the client or the origin for the idle timeout: an idle keep-alive, a stalled body or answer. */
    private void idleTimerFired() {
        if (closing || tunnel) {
            return;
        }
        long left = lastActivity + gw.settings.idleTimeout().toNanos() - System.nanoTime();
        if (left > 0) {
            idleTask = ctx.executor().schedule(idleTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        closing = true;
        ctx.close();
    }

    private void armHeaderDeadline() {
        long timeout = gw.settings.headerTimeout().toNanos();
        headerDeadline = deadline(timeout);
        if (!headerTimerQueued) {
            headerTimerQueued = true;
            headerTask = ctx.executor().schedule(headerTimer, timeout, TimeUnit.NANOSECONDS);
        }
    }

    private void headerTimerFired() {
        headerTimerQueued = false;
        if (headerDeadline == 0 || closing) {
            return;
        }
        long left = headerDeadline - System.nanoTime();
        if (left > 0) {
            headerTimerQueued = true;
            headerTask = ctx.executor().schedule(headerTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        headerDeadline = 0;
        if (ex == null) {
            gw.stats.rejected.increment();
            closing = true;
            FullHttpResponse r = text(HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received in time\n");
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancelHeaderDeadline() {
        headerDeadline = 0;
    }

    /** Drops the queued timer tasks: once per connection, at its close or its switch to a tunnel. */
    private void cancelTasks() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {idleTask, headerTask, responseTask}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        idleTask = null;
        headerTask = null;
        responseTask = null;
    }

    /** {@code System.nanoTime()} after {@code nanos}, never 0 (0 means "not armed"). */
    private static long deadline(long nanos) {
        long d = System.nanoTime() + nanos;
        return d == 0 ? 1 : d;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelHeaderDeadline();
        cancelTasks();
        Exchange e = ex;
        if (e != null) {
            cancelResponseTimeout(e);
            if (e.upstream != null) {
                detach(e).close(); // mid-exchange: the origin connection cannot be reused
            }
            if (e.pending != null) {
                e.pending.forEach(ReferenceCountUtil::release);
                e.pending.clear();
            }
        }
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closing = true;
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange e = ex;
        if (ctx.channel().isWritable() && e != null && e.upstream != null) {
            e.upstream.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange e = ex;
        if (e != null && e.upstream != null) {
            e.upstream.flush();
        }
        ctx.flush();
    }

    // ---- requests

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        init(ctx);
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (ex != null && (!queued.isEmpty() || msg instanceof HttpRequest)) {
            queued.add(msg); // pipelined: wait for the current exchange
            ctx.channel().config().setAutoRead(false);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof FullHttpRequest full) {
            // HTTP/2 headers that end the stream arrive whole: headers go first, the (empty) body after
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            head.setDecoderResult(full.decoderResult());
            begin(head, true);
            requestContent(new DefaultLastHttpContent(full.content()));
        } else if (msg instanceof HttpRequest r) {
            begin(r, false);
        } else if (msg instanceof HttpContent c) {
            requestContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(HttpRequest req, boolean complete) {
        cancelHeaderDeadline();
        gw.stats.requests.increment();
        Exchange e = new Exchange();
        ex = e;
        e.request = req;
        e.requestId = gw.newRequestId();
        e.http10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
        e.keepAlive = !http2 && HttpUtil.isKeepAlive(req);
        e.method = req.method().name();
        e.client = peer;
        e.complete = complete;
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            HttpResponseStatus s = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException
                    ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
            reject(e, s, cause == null ? "malformed request" : cause.getMessage());
            return;
        }
        HttpHeaders h = req.headers();
        if (h.size() > gw.settings.maxHeaders()) {
            reject(e, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "more than " + gw.settings.maxHeaders() + " header fields");
            return;
        }
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING) && (h.contains(HttpHeaderNames.CONTENT_LENGTH)
                || !HttpUtil.isTransferEncodingChunked(req) || h.getAll(HttpHeaderNames.TRANSFER_ENCODING).size() > 1)) {
            // request smuggling's favourite ambiguity: refuse rather than guess which framing the origin uses
            reject(e, HttpResponseStatus.BAD_REQUEST, "ambiguous body framing (Transfer-Encoding with Content-Length, or not chunked)");
            return;
        }
        String uri = req.uri();
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            uri = slash < 0 ? "/" : uri.substring(slash);
            req.setUri(uri);
        }
        if (!uri.startsWith("/") && !(uri.equals("*") && req.method().equals(HttpMethod.OPTIONS))) {
            reject(e, HttpResponseStatus.BAD_REQUEST, "the request target must be a path");
            return;
        }
        int q = uri.indexOf('?');
        e.path = q < 0 ? uri : uri.substring(0, q);
        e.query = q < 0 ? "" : uri.substring(q + 1);
        String host = h.get(HttpHeaderNames.HOST);
        if (host == null && !e.http10) {
            reject(e, HttpResponseStatus.BAD_REQUEST, "HTTP/1.1 requests need a Host header");
            return;
        }
        if (host != null && moreThanOne(h, HttpHeaderNames.HOST)) {
            reject(e, HttpResponseStatus.BAD_REQUEST, "more than one Host header");
            return;
        }
        e.host = host == null ? "" : host;
        String ua = h.get(HttpHeaderNames.USER_AGENT);
        e.userAgent = ua == null ? "" : ua;
        e.client = resolveClient(e, h);

        if (e.path.equals(VERIFY_PATH)) {
            verify(e);
            return;
        }
        Policy policy = gw.policy();
        e.verdict = gw.reputation(e.client);
        LiveDecision live = gw.decision(e.client);
        PolicyDecision d = policy.decide(new View(e, h), e.verdict, live);
        e.decision = d;
        Action a = d.action();
        if (a.isChallenge()) {
            int need = a == Action.JS_CHALLENGE ? Clearance.JS : Clearance.MANAGED;
            if (clearanceLevel(e, h) >= need) {
                e.cleared = true;
                gw.stats.cleared.increment();
                forward(e, false);
                return;
            }
        }
        if (!a.passes() && policy.mode() == EnforcementMode.MONITOR) {
            // decided, logged and tagged exactly as when enforcing; only the answer is left to the origin
            e.notEnforced = true;
            gw.stats.notEnforced.increment();
            forward(e, true);
            return;
        }
        switch (a) {
            case JS_CHALLENGE, MANAGED_CHALLENGE -> challenge(e, a, policy);
            case BLOCK -> block(e, policy);
            case MONITOR -> forward(e, true);
            default -> forward(e, false);
        }
    }

    private IpAddress resolveClient(Exchange e, HttpHeaders h) {
        if (!gw.clients.isTrusted(peer)) {
            return peer;
        }
        if (scratch == null) {
            scratch = new LineFields();
            peerText = peer.toString().getBytes(StandardCharsets.US_ASCII);
        }
        e.forwardedFor = ClientAddress.joined(h, X_FORWARDED_FOR);
        return gw.clients.resolve(peer, peerText, e.forwardedFor, h, scratch);
    }

    private void requestContent(HttpContent c) {
        Exchange e = ex;
        if (e == null) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (last) {
            e.requestDone = true;
        }
        e.bodyBytes += c.content().readableBytes();
        if (e.discard || !e.forwarding || e.responseDone) {
            c.release();
            if (last) {
                maybeFinish(e);
            }
            return;
        }
        if (e.connecting || e.upstream == null) {
            e.pending.add(c);
            return;
        }
        e.upstream.write(c, e.upstream.voidPromise()); // a failed write closes it (UpstreamHandler)
        if (last) {
            armResponseTimeout(e);
            if (e.upgrade) {
                ctx.channel().config().setAutoRead(false); // nothing more until the origin switches protocols
            }
        }
        if (!e.upstream.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    // ---- local answers

    private void block(Exchange e, Policy policy) {
        gw.stats.blocked.increment();
        PolicyDecision d = e.decision;
        ByteBuf body = gw.pages(policy).blocked().render(ctx.alloc(), e.requestId, e.client, d.ruleId(), d.status());
        FullHttpResponse r = html(HttpResponseStatus.valueOf(d.status()), body);
        r.headers().set(X_THREATIP_ACTION, BLOCK);
        answer(e, r, true);
    }

    private void challenge(Exchange e, Action a, Policy policy) {
        gw.stats.challenged.increment();
        boolean managed = a == Action.MANAGED_CHALLENGE;
        int difficulty = managed ? policy.responses().powDifficulty() : Clearance.JS_DIFFICULTY;
        String c = gw.clearance.challenge(e.client, e.userAgent, managed ? Clearance.MANAGED : Clearance.JS, difficulty, gw.now());
        String returnTo = e.request.uri();
        String body = Pages.challenge(e.requestId, managed ? "managed challenge" : "JavaScript challenge", c, difficulty, returnTo);
        FullHttpResponse r = html(HttpResponseStatus.FORBIDDEN, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(X_THREATIP_ACTION, a.wireName());
        answer(e, r, true);
    }

    private void verify(Exchange e) {
        QueryStringDecoder q = new QueryStringDecoder(e.request.uri());
        String c = first(q.parameters(), "c");
        String n = first(q.parameters(), "n");
        String back = safeReturn(first(q.parameters(), "r"));
        Instant now = gw.now();
        int level = gw.clearance.verify(c, n, e.client, e.userAgent, now);
        if (level == 0) {
            gw.stats.rejected.increment();
            answer(e, text(HttpResponseStatus.FORBIDDEN, "the challenge was not solved, or it expired; reload the page\n"), false);
            return;
        }
        gw.stats.solved.increment();
        Instant expiry = now.plus(gw.policy().responses().clearanceTtl());
        DefaultCookie cookie = new DefaultCookie(Clearance.COOKIE, gw.clearance.cookie(e.client, e.userAgent, level, expiry));
        cookie.setPath("/");
        cookie.setHttpOnly(true);
        cookie.setSecure(tls);
        cookie.setMaxAge(gw.policy().responses().clearanceTtl().toSeconds());
        cookie.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Lax);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER);
        r.headers().set(HttpHeaderNames.LOCATION, back);
        r.headers().set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        answer(e, r, false);
    }

    private int clearanceLevel(Exchange e, HttpHeaders h) {
        List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
        for (String header : cookies) {
            if (!header.contains(Clearance.COOKIE)) {
                continue;
            }
            for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                if (c.name().equals(Clearance.COOKIE)) {
                    int level = gw.clearance.level(c.value(), e.client, e.userAgent, gw.now());
                    if (level > 0) {
                        return level;
                    }
                }
            }
        }
        return 0;
    }

    /** Only a local path: never another site ({@code //evil.example}, {@code /\evil.example}). */
    static String safeReturn(String r) {
        if (r == null || !r.startsWith("/") || r.startsWith("//") || r.startsWith("/\\") || r.length() > 4096) {
            return "/";
        }
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return "/";
            }
        }
        return r;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A malformed or over-limit request: answered, then the connection closes. */
    private void reject(Exchange e, HttpResponseStatus status, String why) {
        gw.stats.rejected.increment();
        LOG.debug("rejected a request from {}: {} {}", peer, status.code(), why);
        e.keepAlive = false;
        e.requestDone = true; // whatever follows is not read
        closing = true;
        answer(e, text(status, status.reasonPhrase() + ": " + why + "\n"), false);
    }

    private void answer(Exchange e, FullHttpResponse r, boolean hit) {
        e.discard = true;
        e.responseStarted = true;
        e.status = r.status().code();
        r.headers().set(REQUEST_ID, e.requestId);
        if (!http2) {
            HttpUtil.setKeepAlive(r, e.keepAlive);
        }
        if (hit) {
            logHit(e, e.status);
        }
        e.responseDone = true;
        if (closing) {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.writeAndFlush(r, ctx.voidPromise()); // a failed write closes the connection (exceptionCaught)
        maybeFinish(e);
    }

    private static FullHttpResponse text(HttpResponseStatus s, String body) {
        return full(s, body, "text/plain; charset=utf-8");
    }

    /** A page of ours: headers built unvalidated (every name and value here is a constant or ours). */
    private static FullHttpResponse html(HttpResponseStatus s, ByteBuf body) {
        HttpHeaders h = OWN_HEADERS.newHeaders();
        h.set(HttpHeaderNames.CONTENT_TYPE, TEXT_HTML);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        h.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
        h.set(X_FRAME_OPTIONS, DENY);
        h.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, body, h, EmptyHttpHeaders.INSTANCE);
    }

    private static FullHttpResponse full(HttpResponseStatus s, String body, String type) {
        ByteBuf b = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, s, b);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.readableBytes());
        return r;
    }

    private void logHit(Exchange e, int status) {
        PolicyDecision d = e.decision;
        if (d == null) {
            return;
        }
        if (d.action() == Action.MONITOR) {
            gw.stats.monitored.increment();
        }
        HitLog log = gw.hitLog;
        if (log == null) {
            return;
        }
        Verdict v = e.verdict;
        log.record(new HitLog.Hit(gw.nowMillis(), e.client, e.method, e.host, e.path, e.query, status,
                e.userAgent, d.ruleId(), d.category() == null ? null : d.category().wireName(),
                d.confidence() == null ? null : d.confidence().wireName(), d.action().wireName(), !e.notEnforced,
                e.requestId, v == null ? "clean" : v.kind().wireName(), d.shared()));
    }

    // ---- forwarding

    private void forward(Exchange e, boolean logHit) {
        gw.stats.passed.increment();
        e.forwarding = true;
        e.logHit = logHit;
        prepare(e);
        Channel up = gw.upstream.poll(ctx.channel().eventLoop());
        if (up != null) {
            e.reused = true;
            attach(e, up);
        } else {
            connect(e);
        }
    }

    /** The request as the origin gets it: hop-by-hop headers out, forwarding and verdict headers in. */
    private void prepare(Exchange e) {
        HttpRequest req = e.request;
        HttpHeaders h = req.headers();
        String upgrade = h.get(HttpHeaderNames.UPGRADE);
        e.upgrade = !http2 && upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        boolean removedNamed = removeConnectionNamed(h, true);
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
        List<CharSequence> own = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (startsWithIgnoreCase(name, VerdictHeader.PREFIX) || startsWithIgnoreCase(name, "x-http2-")) {
                if (own == null) {
                    own = new ArrayList<>(2);
                }
                own.add(name);
            }
        }
        if (own != null) {
            own.forEach(h::remove);
        }
        if (e.upgrade) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            h.set(HttpHeaderNames.UPGRADE, "websocket");
        }
        boolean trusted = gw.clients.isTrusted(peer);
        // read again only when Connection named it (a client may strip a proxy's header that way)
        String xff = !trusted ? null : removedNamed ? ClientAddress.joined(h, X_FORWARDED_FOR) : e.forwardedFor;
        h.set(X_FORWARDED_FOR, trusted && xff != null && !xff.isBlank() ? xff + ", " + peerString() : peerString());
        if (!trusted || !h.contains(X_FORWARDED_PROTO)) {
            h.set(X_FORWARDED_PROTO, tls ? HTTPS : HTTP);
        }
        if (h.get(HttpHeaderNames.HOST) == null && !e.host.isEmpty()) {
            h.set(HttpHeaderNames.HOST, e.host);
        }
        h.set(VERDICT, VerdictHeader.of(e.verdict, e.decision, e.cleared, !e.notEnforced));
        h.set(REQUEST_ID, e.requestId);
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (e.http10 && !h.contains(HttpHeaderNames.CONTENT_LENGTH) && !HttpUtil.isTransferEncodingChunked(req)) {
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0); // an HTTP/1.0 request without a length has no body
        }
        if (http2 && !h.contains(HttpHeaderNames.CONTENT_LENGTH) && !e.complete) {
            HttpUtil.setTransferEncodingChunked(req, true); // an HTTP/2 body of unknown length goes upstream chunked
        }
    }

    private void connect(Exchange e) {
        e.connecting = true;
        if (e.pending == null) {
            e.pending = new ArrayDeque<>();
        }
        ctx.channel().config().setAutoRead(false);
        ChannelFuture f = gw.upstream.connect(ctx.channel().eventLoop());
        f.addListener((ChannelFutureListener) done -> {
            e.connecting = false;
            if (ex != e || closing) {
                done.channel().close();
                return;
            }
            if (!done.isSuccess()) {
                gw.stats.upstreamErrors.increment();
                LOG.warn("cannot connect to the origin {}: {}", gw.settings.upstream(), done.cause() == null ? "?" : done.cause().toString());
                e.pending.forEach(ReferenceCountUtil::release);
                e.pending.clear();
                upstreamError(e, HttpResponseStatus.BAD_GATEWAY, "the origin cannot be reached");
                return;
            }
            attach(e, done.channel());
            if (!closing && queued.isEmpty() && !(e.upgrade && e.requestDone)) {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private void attach(Exchange e, Channel up) {
        e.upstream = up;
        up.pipeline().get(UpstreamHandler.class).bind(this);
        // void promises: a failed write closes the origin connection (UpstreamHandler), as a listener would
        up.write(e.request, up.voidPromise());
        if (e.pending != null) {
            HttpContent c;
            while ((c = e.pending.poll()) != null) {
                up.write(c, up.voidPromise());
            }
        }
        up.flush();
        if (e.requestDone) {
            armResponseTimeout(e);
        }
        if (!up.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private Channel detach(Exchange e) {
        Channel up = e.upstream;
        e.upstream = null;
        UpstreamHandler h = up.pipeline().get(UpstreamHandler.class);
        if (h != null) {
            h.unbind();
        }
        return up;
    }

    private void armResponseTimeout(Exchange e) {
        if (e.responseStarted || e.responseTimeoutArmed) {
            return;
        }
        e.responseTimeoutArmed = true;
        long timeout = gw.settings.upstreamTimeout().toNanos();
        responseDeadline = deadline(timeout);
        responseFor = e;
        if (!responseTimerQueued) {
            responseTimerQueued = true;
            responseTask = ctx.executor().schedule(responseTimer, timeout, TimeUnit.NANOSECONDS);
        }
    }

    private void responseTimerFired() {
        responseTimerQueued = false;
        Exchange e = responseFor;
        if (e == null || responseDeadline == 0) {
            return;
        }
        long left = responseDeadline - System.nanoTime();
        if (left > 0) {
            responseTimerQueued = true;
            responseTask = ctx.executor().schedule(responseTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        cancelResponseTimeout(e);
        if (ex == e && !e.responseStarted && e.upstream != null) {
            detach(e).close();
            gw.stats.upstreamErrors.increment();
            upstreamError(e, HttpResponseStatus.GATEWAY_TIMEOUT, "the origin did not answer in time");
        }
    }

    private void cancelResponseTimeout(Exchange e) {
        if (e.responseTimeoutArmed) {
            e.responseTimeoutArmed = false;
            if (responseFor == e) {
                responseFor = null;
                responseDeadline = 0;
            }
        }
    }

    private void upstreamError(Exchange e, HttpResponseStatus status, String why) {
        if (e.responseStarted) {
            closing = true;
            ctx.close();
            return;
        }
        e.keepAlive = e.keepAlive && e.requestDone; // a body still coming cannot be skipped safely: close
        if (!e.keepAlive) {
            closing = true;
        }
        if (e.logHit) {
            logHit(e, status.code());
            e.logHit = false;
        }
        answer(e, text(status, status.reasonPhrase() + ": " + why + "\n"), false);
    }

    // ---- the origin's answer (UpstreamHandler.Sink)

    @Override
    public void response(HttpResponse r) {
        Exchange e = ex;
        if (e == null || e.responseDone) {
            return;
        }
        cancelResponseTimeout(e);
        int code = r.status().code();
        HttpHeaders h = r.headers();
        if (code == 101 && e.upgrade) {
            e.switching = true;
            e.responseStarted = true;
            e.status = code;
            e.upstream.config().setAutoRead(false);
            if (e.logHit) {
                logHit(e, code);
            }
            ctx.write(r);
            return;
        }
        if (code >= 100 && code < 200) {
            e.interim = true; // 100 Continue and friends: relayed, the final answer follows
            ctx.write(r);
            return;
        }
        e.responseStarted = true;
        e.status = code;
        e.upstreamReusable = HttpUtil.isKeepAlive(r);
        removeConnectionNamed(h, false);
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(r);
        boolean bodyless = e.method.equals("HEAD") || code == 204 || code == 304;
        if (!chunked && !h.contains(HttpHeaderNames.CONTENT_LENGTH) && !bodyless) {
            e.upstreamReusable = false; // the body ends when the origin closes
            if (!e.http10 && !http2) {
                HttpUtil.setTransferEncodingChunked(r, true);
            } else if (!http2) {
                e.keepAlive = false;
            }
        }
        if (chunked && e.http10) {
            h.remove(HttpHeaderNames.TRANSFER_ENCODING);
            e.keepAlive = false;
        }
        if (!http2) {
            HttpUtil.setKeepAlive(r, e.keepAlive);
        }
        h.set(REQUEST_ID, e.requestId);
        if (e.logHit) {
            logHit(e, code);
        }
        ctx.write(r, ctx.voidPromise()); // a failed write closes the connection (exceptionCaught)
    }

    @Override
    public void content(HttpContent c) {
        Exchange e = ex;
        if (e == null || e.responseDone) {
            c.release();
            return;
        }
        boolean last = c instanceof LastHttpContent;
        if (e.switching) {
            ctx.write(c);
            if (last) {
                switchProtocols(e);
            }
            return;
        }
        if (e.interim) {
            ctx.write(c);
            if (last) {
                e.interim = false;
            }
            return;
        }
        ctx.write(c, ctx.voidPromise());
        if (last) {
            responseComplete(e);
        } else if (!ctx.channel().isWritable() && e.upstream != null) {
            e.upstream.config().setAutoRead(false);
        }
    }

    @Override
    public void raw(ByteBuf bytes) {
        Exchange e = ex;
        if (e == null || !e.switching) {
            bytes.release();
            return;
        }
        if (e.early == null) {
            e.early = new ArrayList<>();
        }
        e.early.add(bytes);
    }

    @Override
    public void readComplete() {
        if (!http2) {
            lastActivity = System.nanoTime();
        }
        ctx.flush();
    }

    @Override
    public void closed() {
        Exchange e = ex;
        if (e == null || e.upstream == null) {
            return;
        }
        e.upstream = null;
        cancelResponseTimeout(e);
        if (e.responseDone) {
            return;
        }
        if (!e.responseStarted && e.reused && !e.retried && e.bodyBytes == 0 && e.requestDone) {
            // a kept-alive origin connection closed under us before answering: once more on a fresh one
            e.retried = true;
            e.reused = false;
            connect(e);
            return;
        }
        gw.stats.upstreamErrors.increment();
        upstreamError(e, HttpResponseStatus.BAD_GATEWAY, "the origin closed the connection without an answer");
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (writable && !closing && queued.isEmpty() && ex != null && !ex.switching && !(ex.upgrade && ex.requestDone)) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void responseComplete(Exchange e) {
        e.responseDone = true;
        if (e.upstream != null) {
            boolean reusable = e.upstreamReusable && e.requestDone;
            Channel up = detach(e);
            if (reusable) {
                up.config().setAutoRead(true);
                gw.upstream.release(up);
            } else {
                up.close();
            }
        }
        if (!e.requestDone) {
            e.discard = true; // the origin answered before the body ended: read and drop the rest
        }
        maybeFinish(e);
    }

    private void maybeFinish(Exchange e) {
        if (ex != e || !e.responseDone || !e.requestDone) {
            return;
        }
        ex = null;
        if (http2) {
            ctx.flush(); // the stream ended with the response's last frame; its channel closes with it
            return;
        }
        if (!e.keepAlive || closing) {
            closing = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.flush();
        while (!queued.isEmpty() && (ex == null || !(queued.peek() instanceof HttpRequest)) && !closing) {
            dispatch(queued.poll());
        }
        if (queued.isEmpty() && !closing && (ex == null || ex.upstream == null || ex.upstream.isWritable())
                && (ex == null || !ex.connecting)) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** After a 101: both connections become a byte tunnel; the HTTP handlers leave the pipelines. */
    private void switchProtocols(Exchange e) {
        Channel up = detach(e);
        Channel client = ctx.channel();
        ex = null;
        tunnel = true;
        cancelTasks();
        ctx.flush();
        ChannelPipeline cp = ctx.pipeline();
        cp.addLast("tunnel", new Tunnel(up));
        for (String name : List.of(Gateway.WATCH, Gateway.IDLE)) {
            if (cp.get(name) != null) {
                cp.remove(name);
            }
        }
        cp.remove(this);
        cp.remove(Gateway.CODEC);
        if (e.early != null) {
            e.early.forEach(client::write);
            client.flush();
        }
        ChannelPipeline up2 = up.pipeline();
        up2.addLast("tunnel", new Tunnel(client));
        up2.remove(Upstream.HANDLER);
        up2.remove(Upstream.CODEC);
        client.config().setAutoRead(true);
        up.config().setAutoRead(true);
    }

    /**
     * Removes the headers a {@code Connection} header names (RFC 9110 §7.6.1: hop-by-hop too),
     * except the options {@code close}, {@code keep-alive} and, when {@code keepUpgrade},
     * {@code upgrade}; true when it removed any. Allocates nothing for the usual
     * {@code Connection: keep-alive}.
     */
    static boolean removeConnectionNamed(HttpHeaders h, boolean keepUpgrade) {
        if (!h.contains(HttpHeaderNames.CONNECTION)) {
            return false;
        }
        List<String> named = null;
        for (Iterator<? extends CharSequence> it = h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION); it.hasNext(); ) {
            CharSequence v = it.next();
            int n = v.length();
            for (int i = 0; i <= n; ) {
                int end = i;
                while (end < n && v.charAt(end) != ',') {
                    end++;
                }
                int from = i;
                int to = end;
                while (from < to && Character.isWhitespace(v.charAt(from))) {
                    from++;
                }
                while (to > from && Character.isWhitespace(v.charAt(to - 1))) {
                    to--;
                }
                if (to > from && !is(v, from, to, "close") && !is(v, from, to, "keep-alive")
                        && !(keepUpgrade && is(v, from, to, "upgrade"))) {
                    if (named == null) {
                        named = new ArrayList<>(2);
                    }
                    named.add(v.subSequence(from, to).toString());
                }
                i = end + 1;
            }
        }
        if (named == null) {
            return false;
        }
        for (String name : named) {
            h.remove(name);
        }
        return true;
    }

    /** Whether {@code v[from, to)} is the lower-case {@code token}, ignoring case. */
    private static boolean is(CharSequence v, int from, int to, String token) {
        if (to - from != token.length()) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = v.charAt(from + i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != token.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} occurs more than once; no list of the values. */
    private static boolean moreThanOne(HttpHeaders h, CharSequence name) {
        Iterator<? extends CharSequence> it = h.valueCharSequenceIterator(name);
        if (!it.hasNext()) {
            return false;
        }
        it.next();
        return it.hasNext();
    }

    /** The peer's address as text, made once per connection. */
    private String peerString() {
        if (peerString == null) {
            peerString = peer.toString();
        }
        return peerString;
    }

    /** Whether {@code name} starts with the lower-case {@code prefix}, ignoring case; allocation-free. */
    static boolean startsWithIgnoreCase(CharSequence name, String prefix) {
        int n = prefix.length();
        if (name.length() < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The request as the policy reads it. */
    private static final class View implements RequestView {
        private final Exchange e;
        private final HttpHeaders h;

        View(Exchange e, HttpHeaders h) {
            this.e = e;
            this.h = h;
        }

        @Override
        public IpAddress client() {
            return e.client;
        }

        @Override
        public String method() {
            return e.method;
        }

        @Override
        public String host() {
            return e.host;
        }

        @Override
        public String path() {
            return e.path;
        }

        @Override
        public String userAgent() {
            return e.userAgent;
        }

        @Override
        public String header(String name) {
            return h.get(name);
        }
    }
}
