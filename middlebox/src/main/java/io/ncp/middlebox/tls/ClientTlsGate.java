package io.ncp.middlebox.tls;

import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an accepted client back from its session until its TLS is up. It sits before the session's handler and
 * swallows the channel's activation; it reads (the channel has AUTO_READ off) until the handshake of the
 * {@link io.netty.handler.ssl.SslHandler} it put in front of itself succeeded, then passes the activation on (the
 * session starts and connects to the primary), then the plaintext read meanwhile (owned by the session from then on),
 * and removes itself. A PostgreSQL service's client first sends {@code SSLRequest}: answered {@code 'S'} and the
 * handshake follows (answered {@code 'N'} when the service has no client-side TLS, only backend TLS); a
 * {@code GSSENCRequest} is answered {@code 'N'}; a client that sends its StartupMessage without asking for TLS is
 * refused when the service terminates TLS. A failed handshake, a client that leaves or stalls
 * ({@link #TIMEOUT_SECONDS}) is counted, logged sparsely and closed: the session never starts, nothing reaches the
 * primary or the ring. Channel's loop only; buffers held here are released when it closes.
 */
final class ClientTlsGate extends ChannelInboundHandlerAdapter {

    static final long TIMEOUT_SECONDS = 15;
    private static final Logger LOG = LoggerFactory.getLogger(ClientTlsGate.class);

    private final ServiceTls tls;
    /** Null: a PostgreSQL service with backend TLS only (its clients' SSLRequests are answered 'N'). */
    private final SslContext context;
    private final boolean postgres;
    private final Runnable admitted;
    /** PostgreSQL: bytes read before the request was complete (plaintext). */
    private ByteBuf negotiation;
    /** Plaintext read before the session started, in order. */
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();
    private boolean handshaking;
    private boolean passed;
    private boolean failed;
    /** The client's FIN arrived before the session started. */
    private boolean inputShutdown;
    private ScheduledFuture<?> timeout;

    ClientTlsGate(ServiceTls tls, SslContext context, boolean postgres, Runnable admitted) {
        this.tls = tls;
        this.context = context;
        this.postgres = postgres;
        this.admitted = admitted;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (!postgres) {
            startTls(ctx);
        }
    }

    private void startTls(ChannelHandlerContext ctx) {
        handshaking = true;
        ctx.pipeline().addBefore(ctx.name(), "ncp-tls", context.newHandler(ctx.alloc()))
            .addBefore(ctx.name(), PlaintextGuard.NAME, PlaintextGuard.INSTANCE);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> fail(ctx, "no TLS session after " + TIMEOUT_SECONDS + " s"),
            TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed || !(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (handshaking) {
            early.add(buf); // plaintext the client sent right after its handshake
            return;
        }
        if (negotiation == null) {
            negotiation = ctx.alloc().buffer(PgTls.REQUEST_LENGTH);
        }
        negotiation.writeBytes(buf);
        buf.release();
        negotiate(ctx);
    }

    /** PostgreSQL: answers SSLRequest / GSSENCRequest; anything else is the StartupMessage (or the end of a try). */
    private void negotiate(ChannelHandlerContext ctx) {
        while (!failed && !passed && !handshaking && negotiation.readableBytes() >= PgTls.REQUEST_LENGTH) {
            int code = PgTls.request(negotiation);
            if (code == 0) {
                if (context != null) {
                    fail(ctx, "the client did not ask for TLS (no SSLRequest: sslmode=disable?)");
                    return;
                }
                early.add(negotiation);
                negotiation = null;
                pass(ctx);
                return;
            }
            negotiation.skipBytes(PgTls.REQUEST_LENGTH);
            boolean accept = code == PgTls.SSL_REQUEST && context != null;
            if (accept && negotiation.isReadable()) {
                fail(ctx, "the client sent unencrypted data after SSLRequest");
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) (accept ? 'S' : 'N')}));
            if (accept) {
                negotiation.release();
                negotiation = null;
                startTls(ctx);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!passed && !failed) {
            ctx.read();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e && !passed) {
            if (e.isSuccess()) {
                tls.clientHandshakes.increment();
                handshaking = false;
                pass(ctx);
            } else {
                fail(ctx, BackendTlsStart.reason(e.cause()));
            }
            return;
        }
        if (!passed && evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true; // passed on after the session started (or dropped with the client)
            ReferenceCountUtil.release(evt);
            if (postgres && !handshaking && context == null) { // a short first message that will never grow
                if (negotiation != null) {
                    early.add(negotiation);
                    negotiation = null;
                }
                pass(ctx);
            } else if (postgres && !handshaking) {
                fail(ctx, "the client closed its side before asking for TLS");
            }
            return;
        }
        if (!passed && evt instanceof ChannelInputShutdownReadComplete) {
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The session starts: activation, then the plaintext read so far (ownership passes on), then this one goes. */
    private void pass(ChannelHandlerContext ctx) {
        passed = true;
        cancelTimeout();
        ctx.fireChannelActive();
        boolean any = !early.isEmpty();
        while (!early.isEmpty()) {
            ctx.fireChannelRead(early.poll());
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (inputShutdown) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (passed) {
            ctx.fireChannelInactive();
            return;
        }
        fail(ctx, "the client closed the connection before its TLS session was up");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (passed) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        fail(ctx, BackendTlsStart.reason(cause));
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (failed || passed) {
            return;
        }
        failed = true;
        cancelTimeout();
        releaseHeld();
        tls.clientFailures.increment();
        long n = tls.clientFailures.sum();
        if (LogLimit.sparse(n)) {
            LOG.warn("{}: client {}: TLS failed: {} (client TLS failures so far: {})", tls.service(),
                ctx.channel().remoteAddress(), why, n);
        }
        admitted.run();
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        if (negotiation != null) {
            negotiation.release();
            negotiation = null;
        }
        while (!early.isEmpty()) {
            early.poll().release();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
