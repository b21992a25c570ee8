package io.ncp.middlebox.ring;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.ncp.middlebox.service.ServiceRuntime;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's ring: single producer (the front event loop: every {@code publish*}/{@code tryPublish*} method must
 * be called on {@code producer}), single consumer (a {@link RingConsumer} drained on {@code consumer}).
 *
 * <p>The producer never waits. When the ring goes from idle to busy it schedules one drain task on the consumer
 * loop (a CAS on {@code draining}, not a task per event); the drain polls in batches of at most
 * {@link #BATCH} events so the consumer loop keeps serving its own I/O, and re-arms itself while events remain.
 */
public final class ShardRing {

    /**
     * Control events queued (ring full) above which sessions stop sending answer digests (their comparison is given
     * up). Every other control event is a handful per session, and sessions are bounded by the descriptor budget, so
     * the queue stays bounded.
     */
    public static final int MAX_PENDING_CONTROL = 65_536;
    /** Max events handled per drain task before the consumer loop gets to do I/O again. */
    public static final int BATCH = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ShardRing.class);

    private final RingBuffer<ReplicationEvent> ring;
    private final EventPoller<ReplicationEvent> poller;
    private final EventExecutor producer;
    private final EventExecutor consumer;
    private final RingConsumer handler;
    private final long maxBytes;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final Runnable drainTask = this::drain;
    private final Runnable retryTask = this::retryPending;
    private final BatchHandler batchHandler = new BatchHandler();
    /** Control events the ring had no room for; producer thread only. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private boolean retryScheduled;
    /** {@code ringFull: throttle}: pauses client reads while this ring is over half full; else null. */
    private volatile RingThrottle throttle;

    public ShardRing(int size, long maxBytes, EventExecutor producer, EventExecutor consumer, RingConsumer handler) {
        this.ring = RingBuffer.createSingleProducer(ReplicationEvent::new, size);
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
        this.producer = producer;
        this.consumer = consumer;
        this.handler = handler;
        this.maxBytes = maxBytes;
    }

    /**
     * {@code ringFull: throttle}: from now on the front pauses its clients' reads while this ring is over half full
     * ({@link RingThrottle}). Call before the first session.
     *
     * @param name          names the shard in log lines
     * @param maxSpellNanos how long the clients may be paused at a stretch; then they read again (and bytes that do
     *                      not fit damage their copies, as without the throttle)
     * @return the throttle
     */
    public RingThrottle throttle(String name, long maxSpellNanos) {
        RingThrottle t = new RingThrottle(this, producer, name, maxBytes, ring.getBufferSize(), maxSpellNanos);
        this.throttle = t;
        return t;
    }

    /** The throttle, or null ({@code ringFull: damage}). */
    public RingThrottle throttle() {
        return throttle;
    }

    /**
     * Publishes client bytes. On success the ring owns {@code data}; on failure (ring full, byte cap reached or
     * control events still queued) nothing happened and the caller still owns it.
     */
    public boolean tryPublishData(long sessionId, ByteBuf data) {
        return tryPublishBytes(EventType.DATA, sessionId, data);
    }

    /** Publishes an event of {@code type} carrying {@code data}; ownership as {@link #tryPublishData}. */
    public boolean tryPublishBytes(EventType type, long sessionId, ByteBuf data) {
        return tryPublishBytes(type, sessionId, data, 0, 0);
    }

    /** {@link #tryPublishBytes(EventType, long, ByteBuf)} with the event's {@code value} and {@code crc}. */
    public boolean tryPublishBytes(EventType type, long sessionId, ByteBuf data, long value, int crc) {
        int n = data.readableBytes();
        if (!pending.isEmpty() || inFlightBytes.get() + n > maxBytes) {
            return false;
        }
        if (!tryPublish(type, sessionId, null, data, value, crc)) {
            return false;
        }
        inFlightBytes.addAndGet(n);
        return true;
    }

    /** Publishes an async SESSION_OPEN to the service's current replicas (tests, tools). */
    public boolean tryPublishOpen(long sessionId, ServiceRuntime service) {
        return tryPublishOpen(sessionId, service == null ? null : SessionOpen.of(service));
    }

    /** Publishes a SESSION_OPEN; false (nothing published) when the ring has no room right now. */
    public boolean tryPublishOpen(long sessionId, SessionOpen open) {
        return pending.isEmpty() && tryPublish(EventType.SESSION_OPEN, sessionId, open, null, 0, 0);
    }

    /** Publishes a control event for an open session; queued (in order) when the ring is full. Never fails. */
    public void publishControl(EventType type, long sessionId, long value, int crc) {
        if (pending.isEmpty() && tryPublish(type, sessionId, null, null, value, crc)) {
            return;
        }
        pending.add(new Pending(type, sessionId, value, crc));
        scheduleRetry();
    }

    private boolean tryPublish(EventType type, long sessionId, SessionOpen open, ByteBuf data, long v, int crc) {
        long seq;
        try {
            seq = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        ReplicationEvent e = ring.get(seq);
        e.set(type, sessionId, open, data, v, crc);
        ring.publish(seq);
        VarHandle.fullFence();
        if (draining.compareAndSet(false, true)) {
            consumer.execute(drainTask);
        }
        return true;
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            producer.schedule(retryTask, 1, TimeUnit.MILLISECONDS);
        }
    }

    private void retryPending() {
        retryScheduled = false;
        while (!pending.isEmpty()) {
            Pending p = pending.peek();
            if (!tryPublish(p.type, p.sessionId, null, null, p.value, p.crc)) {
                scheduleRetry();
                return;
            }
            pending.poll();
        }
    }

    private void drain() {
        batchHandler.count = 0;
        try {
            poller.poll(batchHandler);
        } catch (Exception e) {
            LOG.error("ring consumer failed", e);
        }
        try {
            handler.onBatchEnd();
        } catch (RuntimeException e) {
            LOG.error("ring consumer batch end failed", e);
        }
        RingThrottle t = throttle;
        if (t != null) {
            t.consumed();
        }
        if (batchHandler.count >= BATCH) {
            consumer.execute(drainTask);
            return;
        }
        draining.set(false);
        VarHandle.fullFence();
        if (ring.getCursor() > poller.getSequence().get() && draining.compareAndSet(false, true)) {
            consumer.execute(drainTask);
        }
    }

    /**
     * Why a publish is refused now, for the log: payload bytes in flight against {@code ringBytes}, events waiting
     * against the ring's slots, control events queued. Approximate off the producer thread.
     */
    public String fullness() {
        return inFlightBytes.get() + " of " + maxBytes + " bytes in flight, " + backlog() + " of "
            + ring.getBufferSize() + " slots used, " + pending.size() + " control events queued";
    }

    /** Payload bytes published and not yet consumed. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    /** The sequence of the last event published (any thread; a resync waits until it is consumed). */
    public long published() {
        return ring.getCursor();
    }

    /** The sequence of the last event consumed (any thread). */
    public long consumed() {
        return poller.getSequence().get();
    }

    /** Events published and not yet consumed. */
    public long backlog() {
        return ring.getCursor() - poller.getSequence().get();
    }

    /** Control events waiting for ring space (producer thread only; approximate elsewhere). */
    public int pendingControl() {
        return pending.size();
    }

    /**
     * Releases every published, unconsumed event's buffer without handling it (shutdown only; must run on the
     * consumer loop or after both loops have terminated).
     */
    public void discardAll() {
        discardAll(e -> { });
    }

    /**
     * {@link #discardAll()}, showing each discarded event to {@code lost} first (shutdown: its replicas never got
     * those bytes).
     */
    public void discardAll(Consumer<ReplicationEvent> lost) {
        try {
            while (ring.getCursor() > poller.getSequence().get()) {
                poller.poll((event, seq, end) -> {
                    lost.accept(event);
                    if (event.data != null) {
                        inFlightBytes.addAndGet(-event.data.readableBytes());
                        event.data.release();
                    }
                    event.clear();
                    return true;
                });
            }
        } catch (Exception e) {
            LOG.error("ring discard at shutdown failed", e);
        }
    }

    private final class BatchHandler implements EventPoller.Handler<ReplicationEvent> {
        int count;

        @Override
        public boolean onEvent(ReplicationEvent event, long sequence, boolean endOfBatch) {
            ByteBuf data = event.data;
            int bytes = data != null ? data.readableBytes() : 0;
            try {
                handler.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("ring consumer failed on {}", event, e);
            } finally {
                if (bytes > 0) {
                    inFlightBytes.addAndGet(-bytes);
                }
                event.clear();
            }
            return ++count < BATCH;
        }
    }

    private record Pending(EventType type, long sessionId, long value, int crc) {
    }
}
