package io.ncp.middlebox.order;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One server's request order under {@code order: service} (the primary's on the service's front loop, each
 * replica's on that shard's replica loop): requests of all connections ({@link OrderLane}s) are written in the order
 * they were submitted; a request on another connection than the last one written waits until every request written
 * before it was consumed ({@link BlockingCommands}); requests on the same connection go back to back (one TCP stream
 * keeps its order).
 *
 * <p>Invariant: every request not yet consumed is on the last connection written. When a {@code CLIENT LIST} sent
 * after a request was written lists its connection as blocked, that request counts as consumed: the server processed
 * it and blocks on it, or it waits behind an earlier blocking request of its connection, which only another
 * connection can unblock. Its reply (or the blocking request's) still pops it when it comes.
 *
 * <p>Bounded: when the waiting request has waited {@link #TIMEOUT_NANOS}, the lane that holds it is told
 * ({@link OrderLane#timedOut}: the primary's lane lets it go on, counted; a replica copy's lane drops the copy) and its
 * requests count as consumed. Counted: waits, their time, timeouts.
 *
 * <p>Threading: the loop given at construction only. Owns the queued requests' bytes until written.
 */
public final class OrderGate {

    /** The longest a request waits for the previous connection's requests to be consumed (the lockstep bound). */
    public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Interval between two {@code CLIENT LIST} polls while a blocking request is not registered. */
    static final long POLL_MICROS = 500;

    /** Counters: requests that waited, their wait time, waits that timed out. */
    public record Counters(LongAdder waits, LongAdder waitNanos, LongAdder timeouts) {
    }

    /** A request written and not yet answered. */
    static final class Entry {
        int replies;
        final boolean blocking;
        final boolean pubsub;
        /** Consumed without its reply (its connection listed as blocked, or timed out): its reply still pops it. */
        boolean released;
        final long writtenTick;

        Entry(BlockingCommands.Consumption c, long tick) {
            this.replies = c.replies();
            this.blocking = c.blocking();
            this.pubsub = c.pubsub();
            this.writtenTick = tick;
        }
    }

    /** A request's bytes, or (bytes null) an action of its connection taking its turn, e.g. the client's FIN. */
    private record Pending(OrderLane lane, ByteBuf bytes, BlockingCommands.Consumption consumption, Runnable action) {
    }

    private final EventLoop loop;
    private final LongSupplier clock;
    private final Counters counters;
    private final BlockedProbe probe;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final List<OrderLane> written = new ArrayList<>();
    private OrderLane last;
    private long tick;
    private Pending waitingFor;
    private long waitingSince;
    private boolean checkScheduled;
    private boolean pollScheduled;
    private boolean pumping;

    /**
     * @param loop     the owner loop
     * @param counters where waits are counted
     * @param probe    how blocked connections are found (null: only replies consume blocking requests)
     */
    public OrderGate(EventLoop loop, Counters counters, BlockedProbe probe) {
        this(loop, counters, probe, System::nanoTime);
    }

    /** With another clock (nanoseconds; tests). */
    OrderGate(EventLoop loop, Counters counters, BlockedProbe probe, LongSupplier clock) {
        this.loop = loop;
        this.clock = clock;
        this.counters = counters;
        this.probe = probe;
    }

    /** The owner loop. */
    public EventLoop loop() {
        return loop;
    }

    /** Requests waiting for their turn (owner loop). */
    public int queued() {
        return queue.size();
    }

    /** Queues one request of {@code lane} ({@code bytes} owned here until written). */
    void submit(OrderLane lane, ByteBuf bytes, BlockingCommands.Consumption c) {
        if (lane.gone) {
            bytes.release();
            return;
        }
        lane.queued++;
        queue.add(new Pending(lane, bytes, c, null));
        pump();
    }

    /**
     * Queues {@code action} of {@code lane} (its client's FIN or end): it runs when its turn comes, like a request
     * that needs no reply; at once when the lane is gone.
     */
    void submitAction(OrderLane lane, Runnable action) {
        if (lane.gone) {
            action.run();
            return;
        }
        lane.queued++;
        queue.add(new Pending(lane, null, BlockingCommands.Consumption.NONE, action));
        pump();
    }

    /** Writes queued requests while their turn has come; flushes what it wrote. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!queue.isEmpty()) {
                Pending p = queue.peek();
                if (p.lane != last && last != null && !last.gone && unconsumed(last) > 0) {
                    waitFor(p);
                    return;
                }
                queue.poll();
                endWait(p);
                write(p);
            }
        } finally {
            pumping = false;
            for (OrderLane l : written) {
                if (!l.gone) {
                    l.flush();
                }
            }
            written.clear();
        }
    }

    private void write(Pending p) {
        OrderLane lane = p.lane;
        lane.queued--;
        last = lane;
        if (p.action != null) {
            p.action.run();
            return;
        }
        if (p.consumption.replies() > 0 && !lane.untracked()) {
            lane.outstanding.add(new Entry(p.consumption, ++tick));
        }
        if (!written.contains(lane)) {
            written.add(lane);
        }
        lane.write(p.bytes);
    }

    /** Requests of {@code lane} the server has not consumed yet. */
    private static int unconsumed(OrderLane lane) {
        int n = 0;
        for (Entry e : lane.outstanding) {
            if (!e.released) {
                n++;
            }
        }
        return n;
    }

    private void waitFor(Pending p) {
        if (waitingFor != p) {
            if (waitingFor == null) {
                waitingSince = clock.getAsLong();
                counters.waits().increment();
            }
            waitingFor = p;
        }
        if (!checkScheduled) {
            checkScheduled = true;
            long left = Math.max(1, TIMEOUT_NANOS - (clock.getAsLong() - waitingSince));
            loop.schedule(this::check, left, TimeUnit.NANOSECONDS);
        }
        if (probe != null && mayBlock(last)) {
            poll();
        }
    }

    private void endWait(Pending p) {
        if (waitingFor != null) {
            counters.waitNanos().add(clock.getAsLong() - waitingSince);
            waitingFor = null;
        }
    }

    /** Whether {@code lane} has an outstanding blocking request and requests not consumed (worth a poll). */
    private static boolean mayBlock(OrderLane lane) {
        boolean blocking = false;
        boolean open = false;
        for (Entry e : lane.outstanding) {
            blocking |= e.blocking;
            open |= !e.released;
        }
        return blocking && open;
    }

    private void check() {
        checkScheduled = false;
        if (waitingFor == null) {
            return;
        }
        long waited = clock.getAsLong() - waitingSince;
        if (waited < TIMEOUT_NANOS) {
            checkScheduled = true;
            loop.schedule(this::check, TIMEOUT_NANOS - waited, TimeUnit.NANOSECONDS);
            return;
        }
        OrderLane l = last;
        counters.timeouts().increment();
        if (l != null && !l.gone) {
            l.timedOut(waited);
            for (Entry e : l.outstanding) {
                e.released = true;
            }
        }
        endWait(waitingFor);
        pump();
    }

    private void poll() {
        OrderLane l = last;
        if (l.channel() != null && l.channel().isActive()) {
            probe.poll(l.channel(), tick, this::probed);
        }
    }

    /**
     * A {@code CLIENT LIST} sent at tick {@code sentTick} listed {@code blocked} (addresses of blocked clients): when
     * it lists the last lane, every request of that lane written before the poll counts as consumed.
     */
    private void probed(Set<String> blocked, long sentTick) {
        OrderLane l = last;
        if (waitingFor == null || l == null || l.gone) {
            return;
        }
        if (l.channel() != null && blocked.contains(BlockedProbe.addr(l.channel().localAddress()))) {
            for (Entry e : l.outstanding) {
                if (e.writtenTick <= sentTick) {
                    e.released = true;
                }
            }
            pump();
            if (waitingFor == null) {
                return;
            }
        }
        if (!pollScheduled && mayBlock(l)) {
            pollScheduled = true;
            loop.schedule(() -> {
                pollScheduled = false;
                if (waitingFor != null && last != null && !last.gone && mayBlock(last)) {
                    poll();
                }
            }, POLL_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    /** A reply of type {@code type} ended on {@code lane}. */
    void replied(OrderLane lane, byte type) {
        Entry head = lane.outstanding.peek();
        if (head == null || type == '>' && !head.pubsub) {
            return; // a push that answers no request (RESP3 invalidation, pub/sub message)
        }
        if (--head.replies <= 0) {
            lane.outstanding.poll();
        }
        if (waitingFor != null) {
            pump();
        }
    }

    /** {@code lane}'s answers stopped being RESP: its requests count as consumed. */
    void untracked(OrderLane lane) {
        lane.outstanding.clear();
        pump();
    }

    /** {@code lane}'s connection is gone: its queued requests are dropped (released), later requests may go. */
    void laneGone(OrderLane lane) {
        if (lane.gone) {
            return;
        }
        lane.gone = true;
        lane.outstanding.clear();
        Iterator<Pending> it = queue.iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.lane == lane) {
                it.remove();
                if (p.bytes != null) {
                    p.bytes.release();
                }
            }
        }
        lane.queued = 0;
        if (last == lane) {
            last = null;
        }
        if (waitingFor != null && waitingFor.lane == lane) {
            endWait(waitingFor);
        }
        pump();
    }

    /** Releases everything queued (the owner is shutting down) and closes the probe. */
    public void close() {
        while (!queue.isEmpty()) {
            ByteBuf b = queue.poll().bytes;
            if (b != null) {
                b.release();
            }
        }
        if (probe != null) {
            probe.close();
        }
    }
}
