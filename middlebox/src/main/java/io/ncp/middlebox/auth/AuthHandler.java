package io.ncp.middlebox.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Performs one replica connection's authentication, then gets out of the way. Sits in the replica channel's pipeline
 * in front of the answer handler. Until authentication is over, the client bytes the copy writes are collected
 * ({@link #clientIn}) and the replica's answers too ({@link #serverIn}); the protocol ({@link #step}) reads both,
 * writes its own messages to the replica, and says when the client's authentication messages are behind it
 * ({@link #clientDone}) and when the replica accepted ({@link #serverDone}). Then the client bytes left over (the
 * first byte after the client's authentication on) are written, the write promises held meanwhile completed in order
 * after them, replica bytes left over are passed on as answers, and from then on every write and read passes through.
 * The replica's authentication answers are never passed on (checked, not compared).
 *
 * <p>A write with a real promise (a FIN after the bytes, a drain marker) while authenticating means the client is
 * done sending: what it sent so far is all there is. Bytes collected beyond {@link #MAX_HELD} fail the exchange.
 *
 * <p>Threading: the channel's event loop only. Buffers: the written and read buffers are copied into the
 * cumulations and released at once; the cumulations are owned here and released when done or removed.
 */
public abstract class AuthHandler extends ChannelDuplexHandler {

    /** Client bytes held while authenticating before the exchange is given up. */
    static final int MAX_HELD = 64 << 20;

    private final AuthListener listener;
    private ByteBuf clientIn;
    private ByteBuf serverIn;
    private final List<ChannelPromise> barriers = new ArrayList<>();
    private boolean clientDone;
    private boolean serverDone;
    private boolean clientEnded;
    private boolean passThrough;
    private boolean failed;
    private String failure;
    /** The failure is of a request set up after the login ({@link #failSetup}), not of the authentication. */
    private boolean setupFailure;

    protected AuthHandler(AuthListener listener) {
        this.listener = listener;
    }

    /**
     * Advances the exchange with what has arrived: reads (and consumes) from the head of {@code client} and
     * {@code server}, writes its own messages with {@link #send}, calls {@link #clientDone}, {@link #serverDone} or
     * {@link #fail} as it learns. Called after every arrival until the handler passes through.
     *
     * @param clientEnded the client will send nothing more (its collected bytes are all there is)
     */
    protected abstract void step(ChannelHandlerContext ctx, ByteBuf client, ByteBuf server, boolean clientEnded);

    /** Writes and flushes a message of the handler's own to the replica (takes ownership of {@code msg}). */
    protected final void send(ChannelHandlerContext ctx, ByteBuf msg) {
        ctx.writeAndFlush(msg, ctx.voidPromise());
    }

    /** The client's authentication messages are consumed: what is left in the client bytes goes to the replica. */
    protected final void clientDone() {
        clientDone = true;
    }

    /** The replica accepted: what is left in the replica bytes are ordinary answers. */
    protected final void serverDone() {
        serverDone = true;
    }

    /**
     * The exchange failed ({@code why}, one line, never a secret): once {@link #step} returns (at once outside it),
     * what is collected is released and the listener told; it resets the copy. The caller returns without touching
     * the buffers again.
     */
    protected final void fail(String why) {
        if (!failed && !passThrough) {
            failed = true;
            failure = why;
        }
    }

    /** Like {@link #fail}, for a request the handler sent after the replica accepted the login. */
    protected final void failSetup(String why) {
        if (!failed && !passThrough) {
            fail(why);
            setupFailure = true;
        }
    }

    private void reportFailure() {
        if (failure != null) {
            String why = failure;
            failure = null;
            release();
            if (setupFailure) {
                listener.setupFailed(why);
            } else {
                listener.authFailed(why);
            }
        }
    }

    /** Whether the exchange failed. */
    protected final boolean failed() {
        return failed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        clientIn = ctx.alloc().heapBuffer();
        serverIn = ctx.alloc().heapBuffer();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (passThrough) {
            ctx.write(msg, promise);
            return;
        }
        if (failed) {
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new ClosedChannelException());
            }
            return;
        }
        if (msg instanceof ByteBuf b) {
            clientIn.writeBytes(b);
            b.release();
        } else {
            ReferenceCountUtil.release(msg);
        }
        if (!promise.isVoid()) {
            barriers.add(promise);
            clientEnded = true;
        }
        if (clientIn.readableBytes() > MAX_HELD) {
            fail("authentication did not complete before " + (MAX_HELD >> 20) + " MiB of client bytes");
            reportFailure();
            return;
        }
        advance(ctx);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (passThrough) {
            ctx.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (passThrough) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed || !(msg instanceof ByteBuf b)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        serverIn.writeBytes(b);
        b.release();
        advance(ctx);
    }

    private void advance(ChannelHandlerContext ctx) {
        if (failed || passThrough) {
            return;
        }
        try {
            step(ctx, clientIn, serverIn, clientEnded);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) { // a message shorter than it says
            fail("authentication failed: malformed message in the exchange (" + e.getClass().getSimpleName() + ")");
        }
        if (failed) {
            reportFailure();
            return;
        }
        if (!serverDone || !(clientDone || clientEnded)) {
            return;
        }
        passThrough = true;
        ByteBuf rest = clientIn;
        ByteBuf answers = serverIn;
        clientIn = null;
        serverIn = null;
        if (rest.isReadable()) {
            ctx.write(rest, ctx.voidPromise());
        } else {
            rest.release();
        }
        for (ChannelPromise p : barriers) {
            ctx.write(Unpooled.EMPTY_BUFFER, p);
        }
        barriers.clear();
        ctx.flush();
        listener.authenticated();
        if (answers.isReadable()) {
            ctx.fireChannelRead(answers);
        } else {
            answers.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !passThrough) {
            fail("the replica closed the connection during authentication");
            reportFailure();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!passThrough) {
            fail("the replica closed the connection during authentication");
            reportFailure();
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (clientIn != null) {
            clientIn.release();
            clientIn = null;
        }
        if (serverIn != null) {
            serverIn.release();
            serverIn = null;
        }
        for (ChannelPromise p : barriers) {
            p.tryFailure(new ClosedChannelException());
        }
        barriers.clear();
    }
}
