package io.ncp.middlebox.replica;

import io.ncp.middlebox.order.OrderGate;
import io.ncp.middlebox.order.OrderLane;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * A replica copy's connection under {@code order: service}: the copy's client bytes reach the replica through that
 * replica's {@link OrderGate} (one per replica on the service's shard). A replica that does not consume this copy's
 * requests within the bound while another session's request waits loses the copy (damaged: the replica becomes
 * STALE, counted {@code requestOrderDrops}); the other sessions go on. Replica loop only.
 */
final class CopyLane extends OrderLane {

    private final ReplicaCopy copy;
    private final CopyStream stream;
    /** Set while the gate writes: {@link ReplicaCopy#send} then sends at once. */
    boolean writing;

    CopyLane(OrderGate gate, ReplicaCopy copy, CopyStream stream) {
        super(gate, true);
        this.copy = copy;
        this.stream = stream;
    }

    @Override
    protected void write(ByteBuf bytes) {
        writing = true;
        try {
            copy.send(bytes);
        } finally {
            writing = false;
            bytes.release();
        }
    }

    @Override
    protected void flush() {
        copy.flush();
    }

    @Override
    protected Channel channel() {
        return stream.isConnected() ? stream.channel() : null;
    }

    @Override
    protected void timedOut(long waitedNanos) {
        copy.target().stats().requestOrderDrops.increment();
        copy.damage("order: service: the replica did not consume a request within "
            + TimeUnit.NANOSECONDS.toMillis(waitedNanos) + " ms while another session's request waited");
    }
}
