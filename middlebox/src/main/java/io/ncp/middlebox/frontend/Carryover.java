package io.ncp.middlebox.frontend;

import io.ncp.middlebox.config.FailoverConfig;
import io.ncp.middlebox.service.FailoverRecord;
import io.ncp.middlebox.service.PrimaryRole;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a replicated session of a service with failover survives its primary. Front loop only.
 *
 * <ul>
 * <li>It counts the answer bytes the client has received and tells the replica side every 64 KiB, so each copy
 * keeps only the answers the client may still lack; it keeps (retained slices) the bytes the client received since
 * that offset, to check a promoted replica's answers against them byte for byte.</li>
 * <li>When the primary's connection ends (a dead primary's kernel closes it) while an IN_SYNC replica's copy of the
 * session is still open, the end is held: either the replicas end too (a legitimate end, passed on at once), or the
 * primary answers a probe or a connection (alive: its end was its own, passed on), or the failover comes; else,
 * once {@link #holdMillis} passed and the failure detector has no verdict pending (or after
 * {@link ServiceRuntime#SUSPECT_HOLD_CAP_MILLIS}), it is passed on as it was, and the session's answers are not
 * compared (the primary's stream may be cut short: a replica that answered more has not diverged).</li>
 * <li>On a failover the old primary's connection is dropped and the promoted replica's copy takes over: the replica
 * side forwards its answers from that last reported offset on; those the client already has must equal them (else
 * the session is reset: the old primary said something else before it died), the rest goes to the client, and the
 * copy's end is the session's ({@link #carrying}).</li>
 * </ul>
 */
final class Carryover {

    private static final Logger LOG = LoggerFactory.getLogger(Carryover.class);
    private static final long RELEASE_EVERY = 64 * 1024;

    private final FrontSession session;
    private final List<ReplicaTarget> replicas;
    private final boolean[] ended;
    private final long holdMillis;
    private final long checkMillis;
    private long holdStartNanos;
    private long clientSent;
    private long published;
    /** What the client received since {@link #published} (retained slices). */
    private final ArrayDeque<ByteBuf> tail = new ArrayDeque<>();
    /** Stream offset of the next byte from the promoted replica (takeover only). */
    private long fromNew;
    /** Masked fields of the answer stream at or after {@link #published}: {offset, length}. */
    private final ArrayDeque<long[]> masks = new ArrayDeque<>();
    private boolean heldFin;
    private boolean heldClose;
    private ScheduledFuture<?> holdTimer;
    private boolean takingOver;
    private FailoverRecord record;
    private Channel carrier;

    Carryover(FrontSession session, List<ReplicaTarget> replicas, FailoverConfig cfg) {
        this.session = session;
        this.replicas = replicas;
        this.ended = new boolean[replicas.size()];
        // the detection bound, one more interval for the decision, and a margin for a busy machine
        this.holdMillis = cfg.detectionBound().plus(cfg.interval()).toMillis() + 1000;
        this.checkMillis = Math.max(10, cfg.interval().toMillis());
    }

    /** {@code buf} (borrowed) goes to the client now. */
    void delivered(ByteBuf buf) {
        if (takingOver) {
            clientSent += buf.readableBytes();
            return;
        }
        if (clientSent - published >= RELEASE_EVERY) {
            published = clientSent;
            session.feed().answersReleased(clientSent);
            releaseTail();
        }
        clientSent += buf.readableBytes();
        tail.add(buf.retainedSlice());
    }

    private void releaseTail() {
        while (!tail.isEmpty()) {
            tail.poll().release();
        }
        while (!masks.isEmpty() && masks.peek()[0] + masks.peek()[1] <= published) {
            masks.poll();
        }
    }

    /** The service's answer filter masked {@code length} bytes at {@code offset} (they may differ on a replica). */
    void masked(long offset, int length) {
        masks.add(new long[] {offset, length});
    }

    private boolean isMasked(long offset) {
        for (long[] m : masks) {
            if (offset >= m[0] && offset < m[0] + m[1]) {
                return true;
            }
        }
        return false;
    }

    /** The session is over: what was kept is released. */
    void close() {
        releaseTail();
    }

    long clientSent() {
        return clientSent;
    }

    /** Whether the session now runs on the promoted replica's copy. */
    boolean carried() {
        return carrier != null;
    }

    boolean takingOver() {
        return takingOver;
    }

    Channel carrier() {
        return carrier;
    }

    /**
     * The primary's connection ended ({@code fin}: only its FIN; else closed or reset). Returns true when the end is
     * held (an IN_SYNC replica still has the session open: the primary may have died).
     */
    boolean holdPrimaryEnd(boolean fin) {
        if (takingOver || !replicaStillOpen()) {
            return false;
        }
        if (fin) {
            heldFin = true;
        } else {
            heldClose = true;
        }
        if (holdTimer == null) {
            holdStartNanos = System.nanoTime();
            scheduleCheck();
        }
        return true;
    }

    private void scheduleCheck() {
        holdTimer = session.client.eventLoop().schedule(this::checkHeld, checkMillis, TimeUnit.MILLISECONDS);
    }

    /** Every probe interval while an end is held: passed on once the primary is known alive, or given up on. */
    private void checkHeld() {
        holdTimer = null;
        if (!heldFin && !heldClose || takingOver) {
            return;
        }
        ServiceRuntime svc = session.service;
        long held = (System.nanoTime() - holdStartNanos) / 1_000_000;
        boolean samePrimary = svc.primary().epoch() == session.epoch;
        if (samePrimary && svc.primaryHealth().okSince(holdStartNanos)) {
            releaseHeld(); // the primary answers: the end was its own
        } else if (held >= ServiceRuntime.SUSPECT_HOLD_CAP_MILLIS
                || held >= holdMillis && samePrimary && !svc.primarySuspect()) {
            session.feed().answersLost(); // the primary's answers may be cut short: not compared
            releaseHeld();
        } else {
            scheduleCheck(); // a verdict is pending, or the failover's notice is on its way to this session
        }
    }

    /** The replica at {@code position} ended its answers. */
    void replicaEnded(int position) {
        if (position >= 0 && position < ended.length) {
            ended[position] = true;
        }
        if ((heldFin || heldClose) && !takingOver && !replicaStillOpen()) {
            releaseHeld();
        }
    }

    private boolean replicaStillOpen() {
        for (int i = 0; i < ended.length; i++) {
            if (!ended[i] && replicas.get(i).consistency().inSync()) {
                return true;
            }
        }
        return false;
    }

    private void releaseHeld() {
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null; // a later end (the close after a released FIN) is held afresh
        }
        boolean fin = heldFin;
        boolean close = heldClose;
        heldFin = false;
        heldClose = false;
        if (!takingOver) {
            session.primaryEndReleased(fin, close);
        }
    }

    /**
     * The primary was replaced by {@code change}: the promoted replica's copy takes the session over if it has one
     * (the replica side answers through {@link #carrying} or {@link #notCarried}). False when it has none.
     */
    boolean takeover(PrimaryRole.Switch change, FailoverRecord rec) {
        int position = replicas.indexOf(change.to());
        if (position < 0 || takingOver) {
            return false;
        }
        takingOver = true;
        record = rec;
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
        heldFin = false;
        heldClose = false;
        clientSent = session.detachPrimary(position); // lockstep: less than delivered when the gate held some
        fromNew = published;
        session.feed().takeover(position, published);
        return true;
    }

    /**
     * Answer bytes of the promoted replica, in stream order from the last reported offset: those the client already
     * has are checked against what it got, the rest goes to it. Owns {@code buf}.
     */
    void fromNewPrimary(ByteBuf buf) {
        if (!session.client.isActive() || session.clientEnding) {
            buf.release();
            return;
        }
        if (fromNew < clientSent) {
            int overlap = (int) Math.min(buf.readableBytes(), clientSent - fromNew);
            boolean same = matchesTail(buf, overlap);
            fromNew += overlap;
            buf.skipBytes(overlap);
            if (!same) {
                buf.release();
                if (!session.isReset()) {
                    notCarried("its answers differ from what the client already received");
                }
                return;
            }
            if (fromNew == clientSent) {
                releaseTail();
            }
        }
        if (!buf.isReadable() || session.isReset()) {
            buf.release();
            return;
        }
        fromNew += buf.readableBytes();
        session.newPrimaryAnswer(buf);
    }

    /**
     * Compares {@code n} bytes at {@code buf}'s reader index (stream offset {@link #fromNew}) with the front of the
     * kept tail (consumed), except masked fields.
     */
    private boolean matchesTail(ByteBuf buf, int n) {
        int at = buf.readerIndex();
        long offset = fromNew;
        int left = n;
        while (left > 0) {
            ByteBuf t = tail.peek();
            if (t == null) {
                return false;
            }
            int k = Math.min(left, t.readableBytes());
            if (masks.isEmpty() ? !ByteBufUtil.equals(t, t.readerIndex(), buf, at, k) : !equalUnmasked(t, buf, at,
                offset, k)) {
                return false;
            }
            t.skipBytes(k);
            at += k;
            offset += k;
            left -= k;
            if (!t.isReadable()) {
                tail.poll().release();
            }
        }
        return true;
    }

    private boolean equalUnmasked(ByteBuf t, ByteBuf buf, int at, long offset, int k) {
        for (int i = 0; i < k; i++) {
            if (t.getByte(t.readerIndex() + i) != buf.getByte(at + i) && !isMasked(offset + i)) {
                return false;
            }
        }
        return true;
    }

    /** The promoted replica's copy carries the session: it had produced {@code answered} answer bytes. */
    void carrying(Channel channel, long answered) {
        carrier = channel;
        record.session(true);
        record.recoveryPoint(0, Math.max(0, clientSent - answered));
        session.updatePrimaryRead();
    }

    /** The promoted replica's copy could not carry the session. */
    void notCarried(String why) {
        record.session(false);
        if (LogLimit.sparse(record.reset())) {
            LOG.warn("{}: session {} not carried over to {}: {}; reset (sessions reset so far: {})",
                session.service.name(), session.id, record.to(), why, record.reset());
        }
        session.resetNow();
    }
}
