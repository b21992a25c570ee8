package io.ncp.middlebox.order;

import io.ncp.middlebox.auth.RedisAuthPhase;
import io.ncp.middlebox.proto.resp.RespReplyFramer;
import io.ncp.middlebox.proto.resp.RespRequest;
import io.ncp.middlebox.proto.resp.RespRequestFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * One connection to a server under {@code order: service} (the primary connection of a session, or one replica copy's
 * connection), as its server's {@link OrderGate} sees it: the client stream is cut into complete requests (each
 * submitted to the gate, which writes it through {@link #write} when its turn comes), and the server's answers are
 * framed into replies (each consumes the oldest outstanding request, see {@link BlockingCommands}).
 *
 * <p>A client stream that stops being RESP passes on from there as unframed bytes that need no reply; answers that
 * stop being RESP make the lane untracked (its requests count as consumed once written). On the replica side the
 * leading AUTH / HELLO requests ({@link RedisAuthPhase}) need no reply: the replica's authentication handler swallows
 * their replies.
 *
 * <p>Owner thread only (the gate's loop). {@link #clientBytes} borrows its buffer; a request's bytes are retained
 * slices owned by the gate until written, then by {@link #write}; an incomplete request's bytes are held here until
 * it completes, or released by {@link #close}.
 */
public abstract class OrderLane implements RespRequestFramer.Listener, RespReplyFramer.Listener {

    final OrderGate gate;
    private final RespRequestFramer requests = new RespRequestFramer(this);
    private final RespReplyFramer replies = new RespReplyFramer(this);
    /** Retained slices of the request not complete yet. */
    private final ArrayDeque<ByteBuf> partial = new ArrayDeque<>();
    private boolean authPhase;
    private boolean unframed;
    private boolean untracked;
    private byte replyType;
    /** Requests written and not yet answered (gate only). */
    final ArrayDeque<OrderGate.Entry> outstanding = new ArrayDeque<>();
    /** Requests in the gate's queue (gate only). */
    int queued;
    boolean gone;
    // per clientBytes() call
    private ByteBuf buf;
    private long base;
    private int from;

    /**
     * @param replicaSide whether the connection goes to a replica (leading AUTH / HELLO requests need no reply)
     */
    protected OrderLane(OrderGate gate, boolean replicaSide) {
        this.gate = gate;
        this.authPhase = replicaSide;
    }

    /** Writes {@code bytes} (owned) to the connection, without a flush. */
    protected abstract void write(ByteBuf bytes);

    /** Flushes the connection. */
    protected abstract void flush();

    /** The connection (its local address names it in {@code CLIENT LIST}), or null before it exists. */
    protected abstract Channel channel();

    /**
     * The server did not consume this lane's requests within {@link OrderGate#TIMEOUT_NANOS} while a request of
     * another connection waited. After this the gate counts them as consumed (if the lane is still there).
     */
    protected abstract void timedOut(long waitedNanos);

    /** Client bytes for this connection ({@code b} borrowed, indices unchanged). */
    public final void clientBytes(ByteBuf b) {
        if (gone || !b.isReadable()) {
            return;
        }
        if (unframed) {
            gate.submit(this, b.retainedDuplicate(), BlockingCommands.Consumption.NONE);
            return;
        }
        buf = b;
        base = requests.offset();
        from = b.readerIndex();
        try {
            requests.feed(b);
            if (requests.failed()) {
                unframed = true; // redis-server answers -ERR Protocol error and closes: pass the bytes as they are
                submit(b.writerIndex(), BlockingCommands.Consumption.NONE);
            } else if (from < b.writerIndex()) {
                partial.add(b.retainedSlice(from, b.writerIndex() - from));
            }
        } finally {
            buf = null;
        }
    }

    @Override
    public final void request(RespRequest r) {
        int to = buf.readerIndex() + (int) (r.end() - base);
        BlockingCommands.Consumption c = BlockingCommands.of(r);
        if (authPhase) {
            if (RedisAuthPhase.isAuthCommand(r.name(), r.multibulk(), r.argc(), r.end() - r.start())) {
                c = BlockingCommands.Consumption.NONE;
            } else {
                authPhase = false;
            }
        }
        submit(to, c);
    }

    /** Submits the held partial bytes plus {@code buf[from, to)} as one request. */
    private void submit(int to, BlockingCommands.Consumption c) {
        ByteBuf tail = to > from ? buf.retainedSlice(from, to - from) : null;
        from = Math.max(from, to);
        ByteBuf bytes;
        if (partial.isEmpty()) {
            bytes = tail != null ? tail : Unpooled.EMPTY_BUFFER;
        } else {
            CompositeByteBuf all = buf.alloc().compositeBuffer(partial.size() + 1);
            while (!partial.isEmpty()) {
                all.addComponent(true, partial.poll());
            }
            if (tail != null) {
                all.addComponent(true, tail);
            }
            bytes = all;
        }
        gate.submit(this, bytes, c);
    }

    /** Answer bytes of the server on this connection ({@code b} borrowed, indices unchanged). */
    public final void answer(ByteBuf b) {
        if (gone || untracked) {
            return;
        }
        replies.feed(b);
        if (replies.failed()) {
            untracked = true;
            gate.untracked(this);
        }
    }

    @Override
    public final void replyStart(long offset, byte type) {
        replyType = type;
    }

    @Override
    public final void replyEnd(long offset) {
        gate.replied(this, replyType);
    }

    /** Requests of this lane waiting in the gate for their turn. */
    public final int waiting() {
        return queued;
    }

    /** Whether the answers stopped being RESP (requests count as consumed once written). */
    boolean untracked() {
        return untracked;
    }

    /**
     * Runs {@code action} (the client's FIN) when its turn in the service's order comes, like a request that needs no
     * reply: after every request submitted so far, and, as the first thing of this connection after another
     * connection's requests, once those were consumed (a client that closes after it got an answer caused by another
     * connection closes after that connection's request there too). An incomplete request's bytes are submitted
     * first, unframed. At once when the lane is gone.
     */
    public final void whenWritten(Runnable action) {
        if (!partial.isEmpty() && !gone) {
            CompositeByteBuf all = partial.peek().alloc().compositeBuffer(partial.size());
            while (!partial.isEmpty()) {
                all.addComponent(true, partial.poll());
            }
            gate.submit(this, all, BlockingCommands.Consumption.NONE);
        }
        gate.submitAction(this, action);
    }

    /** The connection is gone: nothing more is written, held bytes are released, later requests may go. */
    public final void close() {
        while (!partial.isEmpty()) {
            partial.poll().release();
        }
        gate.laneGone(this);
    }
}
