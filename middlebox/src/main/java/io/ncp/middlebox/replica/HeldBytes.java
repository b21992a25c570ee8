package io.ncp.middlebox.replica;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * Bytes of one replica copy not yet handed to its channel: while it connects, and (PostgreSQL) while the startup
 * gate holds them. Owns the buffers it holds (retained duplicates) until they are written or released. Replica
 * loop only.
 */
final class HeldBytes {

    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    /** Non-null for PostgreSQL services. */
    private final PostgresStartupGate gate;
    private long bytes;

    HeldBytes(PostgresStartupGate gate) {
        this.gate = gate;
    }

    /** Whether new bytes must queue behind held ones (or the gate) instead of going straight to the channel. */
    boolean mustQueue() {
        return gate != null || !queue.isEmpty();
    }

    /** Takes ownership of {@code buf}. */
    void add(ByteBuf buf) {
        queue.add(buf);
        bytes += buf.readableBytes();
    }

    /** Writes (without flushing) as much as the gate allows; true when nothing is held any more. */
    boolean writeTo(Channel channel) {
        while (!queue.isEmpty()) {
            long allowed = gate == null ? Long.MAX_VALUE : gate.allowance(queue, bytes);
            if (allowed == 0) {
                return false;
            }
            ByteBuf head = queue.peek();
            ByteBuf out = allowed >= head.readableBytes() ? queue.poll() : head.readRetainedSlice((int) allowed);
            bytes -= out.readableBytes();
            channel.write(out, channel.voidPromise());
        }
        return true;
    }

    /** The replica answered: the gate may let the next negotiation step through. */
    void replicaAnswered() {
        if (gate != null) {
            gate.answered();
        }
    }

    /** The client sent its FIN: no more bytes will come (a request awaiting its answer still holds the rest). */
    void openUp() {
        if (gate != null) {
            gate.openUp();
        }
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    void releaseAll() {
        while (!queue.isEmpty()) {
            queue.poll().release();
        }
        bytes = 0;
    }
}
