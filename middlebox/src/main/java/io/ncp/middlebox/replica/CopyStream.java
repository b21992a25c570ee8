package io.ncp.middlebox.replica;

import io.ncp.middlebox.net.Channels;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * The byte stream of one replica copy: its connection, the bytes held back ({@link HeldBytes}: before the connection
 * is up, or while session order or the PostgreSQL startup gate hold them) and the bytes written to the connection
 * but not yet taken by the kernel, and whether the replica still takes them (stall detection). Owns the buffers it
 * holds (retained duplicates). Replica loop only.
 */
final class CopyStream {

    private final HeldBytes held;
    private Channel channel;
    private boolean connected;
    /** The replica closed or reset the connection after every byte so far was delivered. */
    private boolean closedByReplica;
    /** Bytes written to the channel (not held), and how many of them the kernel had taken at the last check. */
    private long written;
    /** The FIN was requested: once only, since a second request fails the first one's pending writes. */
    private boolean finSent;
    private long lastDelivered;
    private long progressNanos = System.nanoTime();

    CopyStream(HeldBytes held) {
        this.held = held;
    }

    void connecting(Channel ch) {
        this.channel = ch;
    }

    /** The connection (null before {@link #connecting}). */
    Channel channel() {
        return channel;
    }

    void connected() {
        connected = true;
    }

    boolean isConnected() {
        return connected;
    }

    /** Whether bytes can still reach the replica (false once it closed the connection or lost it). */
    boolean open() {
        return !closedByReplica && (!connected || channel.isActive());
    }

    /** The replica ended the connection when nothing was pending: only further bytes would be missed. */
    void closedByReplica() {
        closedByReplica = true;
    }

    boolean isClosedByReplica() {
        return closedByReplica;
    }

    /** Takes ownership of {@code dup}: written at once unless it must wait behind held bytes ({@code hold}). */
    void add(ByteBuf dup, boolean hold) {
        if (!connected || hold || held.mustQueue()) {
            held.add(dup);
        } else {
            written += dup.readableBytes();
            channel.write(dup, channel.voidPromise());
        }
    }

    /** Writes held bytes as far as the startup gate allows (no flush); true when nothing is held any more. */
    boolean drain() {
        if (!connected || closedByReplica) {
            return held.isEmpty();
        }
        long before = held.bytes();
        boolean empty = held.writeTo(channel);
        written += before - held.bytes();
        return empty;
    }

    void flush() {
        if (connected && !closedByReplica) {
            channel.flush();
        }
    }

    /**
     * Sends the FIN after every byte written so far. Once: Netty fails the writes still queued when the output shuts
     * down, so a second request queued behind more bytes would see its write fail and close the connection (a reset,
     * the replica's unread answers in our socket) with those bytes lost.
     */
    void shutdownOutput() {
        if (!finSent) {
            finSent = true;
            Channels.shutdownOutputAfterFlush(channel);
        }
    }

    /** Bytes written to the connection so far (handed to Netty, not necessarily sent). */
    long written() {
        return written;
    }

    HeldBytes held() {
        return held;
    }

    /** Bytes not yet taken by the kernel: held plus written-but-unsent. */
    long pending() {
        return held.bytes() + (connected ? outbound() : 0);
    }

    private long outbound() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * The bytes waiting on the connection when the replica has taken none of them for {@code stallNanos} (it stopped
     * reading: zero window), else -1.
     */
    long stalled(long nowNanos, long stallNanos) {
        if (!connected || closedByReplica) {
            return -1;
        }
        long waiting = outbound();
        long delivered = written - waiting;
        if (delivered > lastDelivered || waiting == 0) {
            lastDelivered = delivered;
            progressNanos = nowNanos;
            return -1;
        }
        return nowNanos - progressNanos >= stallNanos ? waiting : -1;
    }

    /**
     * Ends the connection: a FIN (or, {@code reset}, a reset) once what was written is delivered, or at once a reset
     * ({@code abort}: the copy is damaged or the middlebox stops). Releases what is held.
     */
    void end(boolean reset, boolean abort) {
        held.releaseAll();
        if (channel == null) {
            return;
        }
        if (abort || !connected) {
            Channels.reset(channel);
        } else if (channel.isOpen()) {
            if (reset) {
                Channels.resetOnFlush(channel);
            } else {
                Channels.closeOnFlush(channel);
            }
        }
    }
}
