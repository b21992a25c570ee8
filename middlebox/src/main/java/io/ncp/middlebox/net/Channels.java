package io.ncp.middlebox.net;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Close and half-close helpers shared by the primary path and the replica side. Call on the channel's loop. */
public final class Channels {

    private Channels() {
    }

    /**
     * How long {@link #closeOnFlush} and {@link #resetOnFlush} wait for the flush before resetting anyway: a peer that
     * stops reading (zero window) must not keep a connection and its buffers for ever. {@code -Dncp.flushTimeout}
     * (milliseconds) overrides.
     */
    public static final long FLUSH_TIMEOUT_MILLIS = Long.getLong("ncp.flushTimeout", 30_000L);

    /**
     * Closes {@code ch} with a FIN once everything written so far is flushed; resets it when the flush has not
     * completed within {@link #FLUSH_TIMEOUT_MILLIS}.
     */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ChannelFuture flushed = ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            resetUnlessDone(ch, flushed);
        } else if (ch.isOpen()) {
            ch.close();
        }
    }

    private static void resetUnlessDone(Channel ch, ChannelFuture flushed) {
        if (!flushed.isDone()) {
            ScheduledFuture<?> timer = ch.eventLoop().schedule(() -> reset(ch), FLUSH_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
            flushed.addListener(f -> timer.cancel(false));
        }
    }

    /**
     * Sends a FIN once everything written so far is flushed (half-close); closes the channel when its input is
     * already shut down too. When the peer's FIN was already read by then, the channel is simply closed: the peer sees
     * the same FIN, and Netty's half-close (a shutdown(2) plus an exception object it makes for its outbound buffer,
     * ~4 % of the CPU time per short session on loopback, docs/perf/README.md) is skipped.
     */
    public static void shutdownOutputAfterFlush(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        if (!(ch instanceof DuplexChannel)) {
            closeOnFlush(ch);
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            if (!f.isSuccess() || ((DuplexChannel) ch).isInputShutdown()) {
                ch.close();
                return;
            }
            ((DuplexChannel) ch).shutdownOutput().addListener(g -> {
                if (!g.isSuccess() || ((DuplexChannel) ch).isInputShutdown()) {
                    ch.close();
                }
            });
        });
    }

    /** After the peer's FIN: closes {@code ch} when our side already sent ours. */
    public static void closeIfOutputShutdown(Channel ch) {
        if (!(ch instanceof DuplexChannel) || ((DuplexChannel) ch).isOutputShutdown()) {
            ch.close();
        }
    }

    /**
     * Resets {@code ch} (see {@link #reset}) once the peer has every byte written so far ({@link SendQueue}: flushed,
     * sent and acknowledged), or after {@link #FLUSH_TIMEOUT_MILLIS} when the peer does not take them.
     */
    public static void resetOnFlush(Channel ch) {
        if (!ch.isActive()) {
            reset(ch);
            return;
        }
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
        resetWhenDrained(ch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_TIMEOUT_MILLIS), 1);
    }

    private static void resetWhenDrained(Channel ch, long deadline, long delayMillis) {
        if (!ch.isActive() || SendQueue.drained(ch) || System.nanoTime() - deadline >= 0) {
            reset(ch);
            return;
        }
        ch.eventLoop().schedule(() -> resetWhenDrained(ch, deadline, Math.min(50, delayMillis * 2)), delayMillis,
            TimeUnit.MILLISECONDS);
    }

    /** Closes {@code ch} with a TCP reset (SO_LINGER 0), dropping unsent bytes. */
    public static void reset(Channel ch) {
        if (ch.isOpen()) {
            try {
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException ignored) {
                // the socket may already be gone; close anyway
            }
            ch.close();
        }
    }

    /**
     * Whether {@code cause} is the peer resetting / breaking the connection (not a bug of ours, and not a write to a
     * channel that we or the peer already closed, see {@link #isClosed}).
     */
    public static boolean isPeerFailure(Throwable cause) {
        return cause instanceof IOException && !isClosed(cause);
    }

    /** A write to an already closed channel: the close itself was handled where it happened. */
    public static boolean isClosed(Throwable cause) {
        return cause instanceof ClosedChannelException;
    }

    /** Whether a connect failed because nothing listens there (ECONNREFUSED), not for a timeout or a route. */
    public static boolean isRefusal(Throwable cause) {
        return cause instanceof java.net.ConnectException && String.valueOf(cause.getMessage()).contains("refused");
    }
}
