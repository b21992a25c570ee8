package io.ncp.replay.player;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The replay of one session: a connection to the target that receives the session's client bytes in order,
 * reads (and counts, and releases) everything the target answers, and ends with a half-close after the
 * last byte (or a close after an RST), then waits for the target to close up to the drain timeout.
 *
 * <p>Threading: the scheduler calls {@link #connect()}, {@link #send(ByteBuf)} and {@link #finish(boolean)};
 * each only enqueues a task on this session's event loop, which owns every field below.
 * Ownership: {@link #send(ByteBuf)} takes the buffer; it is written (Netty releases it) or released here.
 */
final class SessionConnection extends ChannelInboundHandlerAdapter {

    private final long id;
    private final ReplayEngine engine;
    private final EventLoop loop;
    private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Channel channel;
    private ChannelFuture lastWrite;
    private boolean connected;
    private boolean ended;
    private boolean finishing;
    private boolean abort;
    private long answered;

    SessionConnection(long id, ReplayEngine engine, EventLoop loop) {
        this.id = id;
        this.engine = engine;
        this.loop = loop;
    }

    /** Completes when the connection is over, whichever way. */
    CompletableFuture<Void> done() {
        return done;
    }

    void connect() {
        engine.stats().sessionStarted();
        loop.execute(() -> {
            Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) engine.config().connectTimeout().toMillis())
                .handler(this);
            ChannelFuture f = b.connect(engine.config().target());
            channel = f.channel();
            f.addListener(r -> onConnected(r.isSuccess() ? null : r.cause()));
        });
    }

    void send(ByteBuf data) {
        loop.execute(() -> {
            if (ended) {
                discard(data);
            } else if (!connected) {
                pending.add(data);
            } else {
                write(data);
            }
        });
    }

    /** No more client bytes: half-close after the last write ({@code abort}: close instead, as after RST). */
    void finish(boolean abortConnection) {
        loop.execute(() -> {
            finishing = true;
            abort = abortConnection;
            if (connected && !ended) {
                endOutput();
            }
        });
    }

    private void onConnected(Throwable failure) {
        if (failure != null) {
            engine.error("session " + id + ": cannot connect to " + engine.config().target() + ": " + failure);
            end();
            return;
        }
        connected = true;
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            write(b);
        }
        if (finishing) {
            endOutput();
        }
    }

    private void write(ByteBuf data) {
        int n = data.readableBytes();
        lastWrite = channel.writeAndFlush(data);
        lastWrite.addListener(f -> {
            engine.written(n);
            if (f.isSuccess()) {
                engine.stats().bytesSent.addAndGet(n);
            } else {
                engine.stats().bytesNotSent.addAndGet(n);
            }
        });
    }

    private void endOutput() {
        Runnable shut = () -> {
            if (abort) {
                channel.close();
            } else if (channel.isActive()) {
                ((NioSocketChannel) channel).shutdownOutput();
            }
            loop.schedule(this::drainExpired, engine.config().drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        };
        if (lastWrite == null || lastWrite.isDone()) {
            shut.run();
        } else {
            lastWrite.addListener(f -> shut.run());
        }
    }

    private void drainExpired() {
        if (!ended && channel.isOpen()) {
            engine.stats().drainTimeouts.incrementAndGet();
            channel.close();
        }
    }

    /** Aborts the connection (stalled target); runs on any thread. */
    void abort(String why) {
        loop.execute(() -> {
            if (!ended && channel != null && channel.isOpen()) {
                engine.error("session " + id + ": " + why);
                channel.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            answered += buf.readableBytes();
            engine.stats().bytesAnswered.addAndGet(buf.readableBytes());
        }
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && !finishing) {
            return; // the target half-closed; keep sending what the client sent
        }
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finishing) {
            engine.stats().closedEarly.incrementAndGet();
        }
        end();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        engine.error("session " + id + ": " + cause);
        ctx.close();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        ByteBuf b;
        while ((b = pending.poll()) != null) {
            discard(b);
        }
        engine.stats().sessionFinished();
        done.complete(null);
    }

    private void discard(ByteBuf data) {
        int n = data.readableBytes();
        data.release();
        engine.written(n);
        engine.stats().bytesNotSent.addAndGet(n);
    }

    long answered() {
        return answered;
    }
}
