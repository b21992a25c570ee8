package io.ncp.middlebox.replica;

import io.ncp.middlebox.order.BlockedProbe;
import io.ncp.middlebox.order.OrderGate;
import io.ncp.middlebox.replica.catchup.SpillFiles;
import io.ncp.middlebox.ring.EventType;
import io.ncp.middlebox.ring.ReplicationEvent;
import io.ncp.middlebox.ring.RingConsumer;
import io.ncp.middlebox.ring.SessionFeed;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ResyncProgress;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A shard's replica side: consumes the shard's ring on {@code loop} and owns every replica connection of the
 * shard's sessions. All state here is confined to {@code loop}. Writes of one ring batch are flushed together at
 * the batch's end.
 */
public final class ReplicaSide implements RingConsumer {

    private static final long LAG_REFRESH_MILLIS = 200;
    private static final long DEFAULT_STALL_NANOS = 30_000_000_000L;

    private final EventLoop loop;
    private final ReplicaConnector connector;
    /** Bounds the direct memory all replica backlogs may take together. */
    final MemoryGuard memory;
    private final long stallNanos;
    /** Null without a catch-up journal. */
    final SpillFiles spills;
    private final LongObjectHashMap<ReplicaSession> sessions = new LongObjectHashMap<>();
    private final List<ReplicaCopy> dirty = new ArrayList<>();
    /** {@code order: service}: each replica's request order on this shard, made on first use. */
    private final java.util.Map<ReplicaTarget, OrderGate> orders = new java.util.IdentityHashMap<>();
    private ScheduledFuture<?> lagTask;

    public ReplicaSide(EventLoop loop, ReplicaConnector connector) {
        this(loop, connector, MemoryGuard.fromSystemProperties(), DEFAULT_STALL_NANOS);
    }

    /**
     * @param memory     the process-wide bound on replica backlogs
     * @param stallNanos a copy whose replica takes no byte for this long is dropped (replicaTimeout)
     */
    public ReplicaSide(EventLoop loop, ReplicaConnector connector, MemoryGuard memory, long stallNanos) {
        this(loop, connector, memory, stallNanos, null);
    }

    /** @param spills the shard's catch-up journal files, or null: copies that cannot keep up are dropped */
    public ReplicaSide(EventLoop loop, ReplicaConnector connector, MemoryGuard memory, long stallNanos,
            SpillFiles spills) {
        this.loop = loop;
        this.connector = connector;
        this.memory = memory;
        this.stallNanos = stallNanos;
        this.spills = spills;
    }

    /** {@code order: service}: the request order of {@code target} on this shard (made on first use). */
    OrderGate orderGate(ReplicaTarget target, String service) {
        return orders.computeIfAbsent(target, t -> new OrderGate(loop, new OrderGate.Counters(
            t.stats().requestOrderWaits, t.stats().requestOrderWaitNanos, new java.util.concurrent.atomic.LongAdder()),
            new BlockedProbe(loop, service + ": replica " + t.label(), t.stats().requestOrderProbeFailures)));
    }

    /** Starts the periodic backlog gauge refresh (call once). */
    public void start() {
        lagTask = loop.scheduleAtFixedRate(this::refreshLag, LAG_REFRESH_MILLIS, LAG_REFRESH_MILLIS,
            TimeUnit.MILLISECONDS);
    }

    @Override
    public void onEvent(ReplicationEvent e) {
        ReplicaSession s = sessions.get(e.sessionId());
        switch (e.type()) {
            case SESSION_OPEN:
                s = new ReplicaSession(e.sessionId(), e.open(), this);
                sessions.put(e.sessionId(), s);
                s.open(e.open().after());
                break;
            case DATA:
                ByteBuf data = e.data();
                if (s == null) {
                    data.release();
                } else {
                    s.data(data);
                }
                break;
            case DAMAGED:
                if (s != null) {
                    s.damaged(e.value() == SessionFeed.DAMAGE_CAPTURE_GAP ? "capture gap: client bytes lost"
                        : "ring full: bytes dropped");
                }
                break;
            case CLIENT_FIN:
                if (s != null) {
                    s.clientFin();
                }
                break;
            case PRIMARY_DIGEST:
                if (s != null) {
                    s.primaryBlock(e.crc());
                }
                break;
            case PRIMARY_HEAD:
                ByteBuf head = e.data();
                if (s != null) {
                    s.primaryHead(head);
                }
                head.release();
                break;
            case PRIMARY_END:
                if (s != null) {
                    s.primaryEnd(e.value(), e.crc());
                }
                break;
            case SESSION_CLOSE:
                if (s != null) {
                    s.closedAtFront(); // a client's reset too: its copies end with a FIN after every byte
                }
                break;
            case LOCKSTEP_DROP:
                if (s != null) {
                    s.lockstepDrop((int) e.value());
                }
                break;
            case TAKEOVER:
                if (s != null) {
                    s.takeover(e.crc(), e.value());
                }
                break;
            case ANSWERS_RELEASED:
                if (s != null) {
                    s.answersReleased(e.value());
                }
                break;
            case EXPECT:
                if (s != null) {
                    s.expect(e.value(), e.crc());
                }
                break;
            case UNREPLICATED:
                if (s != null) {
                    s.unreplicated();
                }
                break;
            case CONTINUE:
                ByteBuf startup = e.data();
                if (s != null) {
                    s.continueAt(startup, e.value(), e.crc());
                }
                startup.release();
                break;
            case SESSION_ENDED:
                if (s != null) { // always known: SESSION_CLOSE, which may forget the session, comes after it
                    s.ended(e.value());
                }
                break;
            default:
                throw new IllegalStateException("unknown event " + e.type());
        }
    }

    @Override
    public void onBatchEnd() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    void markDirty(ReplicaCopy copy) {
        dirty.add(copy);
    }

    void remove(ReplicaSession s) {
        sessions.remove(s.id);
    }

    /** The replica timeout (nanoseconds): the longest a replica may take no byte, or be unreachable for a copy. */
    long replicaTimeoutNanos() {
        return stallNanos;
    }

    EventLoop loop() {
        return loop;
    }

    ReplicaConnector connector() {
        return connector;
    }

    /**
     * A resync's snapshot point for {@code target} on this shard (call on {@code loop}, once every client byte the
     * primary received before the point was consumed from the ring, and before any later one): every session's copy
     * to it starts over as a resync copy recording from here on.
     *
     * @return the copies marked
     */
    public int resyncMark(ReplicaTarget target, ResyncProgress resync) {
        int n = 0;
        for (ReplicaSession s : new ArrayList<>(sessions.values())) {
            n += s.resyncMark(target, resync);
        }
        return n;
    }

    /** Whether shard-level catch-up journal files exist (a resync needs them). */
    public boolean hasJournal() {
        return spills != null;
    }

    /** Sessions currently known to this side (call on {@code loop}). */
    public int sessionCount() {
        return sessions.size();
    }

    private void refreshLag() {
        if (spills != null) {
            spills.tick();
        }
        long now = System.nanoTime();
        for (ReplicaSession s : new ArrayList<>(sessions.values())) { // a stalled copy may finish its session
            s.refreshLag(now, stallNanos);
        }
    }

    /**
     * Shutdown (on {@code loop}), for each ring event discarded unhandled: client bytes in it never reached the
     * session's replicas, which are STALE. Pass every discarded event, in ring order, before {@link #abortAll}.
     */
    public Consumer<ReplicationEvent> lostAtStop() {
        LongObjectHashMap<List<ReplicaTarget>> opened = new LongObjectHashMap<>();
        return e -> {
            if (e.type() == EventType.SESSION_OPEN) {
                opened.put(e.sessionId(), e.open().replicas());
                return;
            }
            if (e.type() != EventType.DATA || e.data() == null || !e.data().isReadable()) {
                return;
            }
            ReplicaSession s = sessions.get(e.sessionId());
            List<ReplicaTarget> targets = s != null ? s.targets() : opened.get(e.sessionId());
            for (ReplicaTarget t : targets == null ? List.<ReplicaTarget>of() : targets) {
                t.consistency().stale("the middlebox stopped before " + e.data().readableBytes() + " byte(s) of"
                    + " session " + e.sessionId() + " left its ring");
            }
        };
    }

    /**
     * Shutdown (on {@code loop}): ends every copy ({@link ReplicaCopy#abort}: a copy that still holds bytes is reset
     * and its replica is STALE) and releases everything held.
     */
    public void abortAll() {
        if (lagTask != null) {
            lagTask.cancel(false);
        }
        if (spills != null) {
            spills.keepUndelivered(); // the next run must not start those replicas IN_SYNC
        }
        for (ReplicaSession s : new ArrayList<>(sessions.values())) {
            s.abort();
        }
        sessions.clear();
        if (spills != null) {
            spills.close();
        }
        dirty.clear();
    }
}
