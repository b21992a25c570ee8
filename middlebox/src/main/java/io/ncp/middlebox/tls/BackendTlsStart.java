package io.ncp.middlebox.tls;

import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings up TLS on a connection to a backend before the session uses it: for a PostgreSQL service it sends an
 * {@code SSLRequest} and waits for {@code 'S'}, then puts an {@link SslHandler} (client mode, SNI and name check for
 * {@code peer}) in front of itself and waits for the handshake. Until then the handlers after it see nothing (no
 * activation, no error, no close); once the handshake succeeded it passes the activation on, removes itself and
 * completes {@code ready}. Any failure fails {@code ready} with "TLS handshake failed: reason" (the caller marks the
 * backend DOWN with it) and closes the channel. Bounded: {@link #TIMEOUT_SECONDS}. Channel's loop only.
 */
final class BackendTlsStart extends ChannelInboundHandlerAdapter {

    static final String NAME = "ncp-tls-start";
    static final long TIMEOUT_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(BackendTlsStart.class);

    private final ServiceTls tls;
    private final SslContext context;
    private final String peer;
    private final int port;
    private final boolean postgres;
    private final ChannelPromise ready;
    private boolean started;
    private ScheduledFuture<?> timeout;

    BackendTlsStart(ServiceTls tls, SslContext context, String peer, int port, boolean postgres,
            ChannelPromise ready) {
        this.tls = tls;
        this.context = context;
        this.peer = peer;
        this.port = port;
        this.postgres = postgres;
        this.ready = ready;
    }

    /** A connect that completed at once (before this handler was added) activated the channel already. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            begin(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx);
    }

    private void begin(ChannelHandlerContext ctx) {
        if (timeout != null) {
            return;
        }
        timeout = ctx.executor().schedule(() -> fail(ctx, "no TLS session after " + TIMEOUT_SECONDS + " s"),
            TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (postgres) {
            ctx.writeAndFlush(PgTls.sslRequest(ctx.alloc()));
        } else {
            startTls(ctx);
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        started = true;
        SslHandler ssl = context.newHandler(ctx.alloc(), peer, port);
        ctx.pipeline().addBefore(ctx.name(), "ncp-tls", ssl).addBefore(ctx.name(), PlaintextGuard.NAME,
            PlaintextGuard.INSTANCE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (started || ready.isDone()) {
            ctx.fireChannelRead(msg); // plaintext after the handshake (none is expected before the session writes)
            return;
        }
        try { // PostgreSQL: the one-byte answer to SSLRequest
            ByteBuf b = (ByteBuf) msg;
            byte answer = b.readableBytes() > 0 ? b.readByte() : 0;
            if (answer == 'S' && !b.isReadable()) {
                startTls(ctx);
            } else if (answer == 'N') {
                fail(ctx, "the server does not accept TLS (it answered 'N' to SSLRequest: ssl = off?)");
            } else if (answer != 0) {
                fail(ctx, "unexpected answer to SSLRequest (first byte 0x" + Integer.toHexString(answer & 0xff) + ")");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !ready.isDone()) {
            if (e.isSuccess()) {
                succeed(ctx);
            } else {
                fail(ctx, reason(e.cause()));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void succeed(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
        ready.trySuccess();
    }

    /** Not passed on: the handlers after this one never saw the channel active (once it is, this one is gone). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the connection closed during the TLS handshake");
    }

    /** Not passed on (see {@link #channelInactive}). */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, reason(cause));
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        cancelTimeout();
        if (ready.tryFailure(new javax.net.ssl.SSLException("TLS handshake failed: " + why))) {
            tls.backendFailures.increment();
            long n = tls.backendFailures.sum();
            if (LogLimit.sparse(n)) {
                LOG.debug("{}: TLS to {}:{} failed: {} (backend handshake failures so far: {})", tls.service(), peer,
                    port, why, n);
            }
            ctx.close();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    /** The innermost message of {@code t} (the handshake's own reason), on one line. */
    static String reason(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String msg = c.getMessage() != null ? c.getMessage() : t.getMessage() != null ? t.getMessage()
            : c.getClass().getSimpleName();
        return msg.replace('\n', ' ').strip();
    }
}
