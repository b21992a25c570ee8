package io.ncp.middlebox.core;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/** Close and half-close helpers shared by the primary path and the replica side. Call on the channel's loop. */
public final class Channels {

    private Channels() {
    }

    /** Closes {@code ch} with a FIN once everything written so far is flushed. */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (ch.isOpen()) {
            ch.close();
        }
    }

    /**
     * Sends a FIN once everything written so far is flushed (half-close); closes the channel when its input is
     * already shut down too.
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
            if (!f.isSuccess()) {
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

    /** Resets {@code ch} (see {@link #reset}) once everything written so far is flushed. */
    public static void resetOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> reset(ch));
        } else {
            reset(ch);
        }
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

    /** Logs sparsely: true for the 1st, 2nd, 4th, 8th ... occurrence of something counted by {@code n}. */
    public static boolean sparse(long n) {
        return n > 0 && Long.bitCount(n) == 1;
    }
}
