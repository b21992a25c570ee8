package io.ncp.middlebox.frontend;

import io.ncp.middlebox.proto.ExchangeLedger;
import io.ncp.middlebox.ring.AnswerProgress;
import io.ncp.middlebox.service.ReplicaTarget;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lockstep mode for one session: the client receives the primary's answer byte k only once every live replica has
 * produced byte k. Owns the held answer buffers (released to the client's write, or released here on close).
 * Front loop only, except {@link #progress}/{@link #gone}, which hop to the front loop.
 *
 * <p>Only IN_SYNC replicas gate the answers: one that is not IN_SYNC when the session opens, or becomes STALE
 * during it, is not waited for (its copy still gets every byte). A replica that lets answers wait longer than
 * {@link #TIMEOUT_NANOS} without progress is dropped from the session (its copy is dropped, the replica becomes
 * STALE, so later sessions do not wait for it either) and a stalled replica never stalls the client for good.
 *
 * <p>Per exchange (a framed protocol: redis, postgres; {@link #perExchange}): replicas report how many replies they
 * produced instead of bytes, and the client gets the primary's reply i once every gating replica produced i replies,
 * whatever their lengths ({@link ExchangeLedger}); a partial reply waits for its end, or for the primary's end. If the
 * primary's answers stop being framed the gate passes the rest through ({@link #passThrough}), as it does once the
 * session is no longer replicated or its protocol's framer cannot gate it any more (a PostgreSQL Flush).
 */
final class LockstepGate implements AnswerProgress {

    /** How long held answers may wait for a replica before it is dropped from the session. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Held answer bytes above which the primary is not read any more. */
    static final long HOLD_LIMIT = 4L << 20;
    private static final long CHECK_MILLIS = 100;

    private final FrontSession session;
    private final Channel client;
    private final EventLoop loop;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
    private final long[] answered;
    private final boolean[] live;
    private final List<ReplicaTarget> targets;
    private long heldBytes;
    private long primaryBytes;
    private long released;
    private long waitingSince;
    private boolean checkScheduled;
    private boolean closed;
    private Runnable onDrained;
    /** Non-null per exchange: progress counts replies. */
    private ExchangeLedger exchanges;
    /** Nothing is held any more (the session is no longer replicated, or its answers are not framed). */
    private boolean passThrough;

    LockstepGate(FrontSession session, Channel client, List<ReplicaTarget> targets) {
        this.session = session;
        this.client = client;
        this.loop = client.eventLoop();
        this.targets = targets;
        this.answered = new long[targets.size()];
        this.live = new boolean[targets.size()];
        for (int i = 0; i < live.length; i++) {
            live[i] = targets.get(i).consistency().inSync();
        }
    }

    /** Gates per exchange from now on (call before the first answer): progress values count replies. */
    void perExchange() {
        exchanges = new ExchangeLedger();
    }

    /** Per exchange: the primary's reply ended at answer offset {@code end} ({@code skipped}: replicas lack it). */
    void primaryReply(long end, boolean skipped) {
        if (exchanges != null) {
            exchanges.primaryReply(end, skipped);
        }
    }

    /**
     * The primary's answers ended: per exchange, a partial reply at their end will never be complete, so it goes to
     * the client once the replies before it may (as the reply to a request the replicas never got).
     */
    void primaryEnded() {
        if (exchanges != null && !passThrough) {
            exchanges.primaryReply(primaryBytes, true);
            release();
        }
    }

    /** Stops holding answers: what is held goes to the client, later answers pass at once. */
    void passThrough() {
        if (!passThrough) {
            passThrough = true;
            release();
        }
    }

    /** A primary answer buffer; the gate owns it until the client's write (or close) takes it. */
    void primaryAnswer(ByteBuf buf) {
        if (closed) {
            buf.release();
            return;
        }
        if (heldBytes == 0) {
            waitingSince = System.nanoTime();
        }
        held.add(buf);
        heldBytes += buf.readableBytes();
        primaryBytes += buf.readableBytes();
        release();
        if (heldBytes > 0 && !checkScheduled) {
            checkScheduled = true;
            loop.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs {@code action} once every held answer byte has gone to the client (at once when none is held). */
    void whenDrained(Runnable action) {
        if (heldBytes == 0 || closed) {
            action.run();
            return;
        }
        Runnable before = onDrained;
        onDrained = before == null ? action : () -> {
            before.run();
            action.run();
        };
    }

    /**
     * Failover: the replica at {@code position} is the primary now; what was held of the old primary's answers is
     * dropped (the new primary's answers continue from the client's position). Returns that position.
     */
    long takeOver(int position) {
        while (!held.isEmpty()) {
            held.poll().release();
        }
        heldBytes = 0;
        primaryBytes = released;
        if (position >= 0 && position < live.length) {
            live[position] = false;
        }
        if (exchanges != null) {
            passThrough = true; // the new primary's answers are not framed: no longer gated per exchange
        }
        return released;
    }

    /** Whether the primary should stop being read. */
    boolean holdingTooMuch() {
        return heldBytes > HOLD_LIMIT;
    }

    /** The client is gone: drops (releases) everything held. */
    void close() {
        closed = true;
        while (!held.isEmpty()) {
            held.poll().release();
        }
        heldBytes = 0;
        onDrained = null;
    }

    @Override
    public void progress(int replica, long answeredBytes) {
        if (loop.inEventLoop()) {
            onProgress(replica, answeredBytes);
        } else {
            loop.execute(() -> onProgress(replica, answeredBytes));
        }
    }

    @Override
    public void gone(int replica) {
        if (loop.inEventLoop()) {
            onGone(replica);
        } else {
            loop.execute(() -> onGone(replica));
        }
    }

    private void onProgress(int replica, long answeredBytes) {
        if (answeredBytes > answered[replica]) {
            answered[replica] = answeredBytes;
            release();
        }
    }

    private void onGone(int replica) {
        if (live[replica]) {
            live[replica] = false;
            release();
        }
    }

    private void release() {
        if (closed) {
            return;
        }
        long allowed = passThrough ? primaryBytes : allowed();
        boolean wrote = false;
        while (released < allowed && !held.isEmpty()) {
            ByteBuf head = held.peek();
            int n = (int) Math.min(head.readableBytes(), allowed - released);
            ByteBuf out = n == head.readableBytes() ? held.poll() : head.readRetainedSlice(n);
            heldBytes -= n;
            released += n;
            session.delivered(out);
            client.write(out, client.voidPromise());
            wrote = true;
        }
        if (wrote) {
            client.flush();
            waitingSince = System.nanoTime();
        }
        session.updatePrimaryRead();
        if (heldBytes == 0 && onDrained != null) {
            Runnable r = onDrained;
            onDrained = null;
            r.run();
        }
    }

    /** How far the primary's answers may go to the client now. */
    private long allowed() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < live.length; i++) {
            if (live[i] && targets.get(i).consistency().inSync()) {
                least = Math.min(least, answered[i]);
            }
        }
        if (exchanges == null) {
            return Math.min(primaryBytes, least);
        }
        return Math.min(primaryBytes, exchanges.releasable(least));
    }

    /** Whether replica {@code i} is behind what the held answers wait for. */
    private boolean behind(int i) {
        if (exchanges == null) {
            return answered[i] <= released;
        }
        long needed = exchanges.neededNext();
        return needed >= 0 && answered[i] < needed; // a partial primary reply waits for the primary, not a replica
    }

    private void check() {
        checkScheduled = false;
        if (closed || heldBytes == 0) {
            return;
        }
        if (System.nanoTime() - waitingSince >= TIMEOUT_NANOS) {
            for (int i = 0; i < live.length; i++) {
                if (live[i] && targets.get(i).consistency().inSync() && behind(i)) {
                    live[i] = false;
                    session.lockstepDrop(i);
                }
            }
            release();
        }
        if (heldBytes > 0) {
            checkScheduled = true;
            loop.schedule(this::check, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
