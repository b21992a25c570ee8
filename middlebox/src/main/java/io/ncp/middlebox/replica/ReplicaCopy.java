package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.CompareMode;
import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.net.Channels;
import io.ncp.middlebox.order.CopyOrder;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.stats.LogLimit;
import io.ncp.middlebox.stats.ReplicaStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's copy of one session, owned by the replica side's event loop (every method runs there).
 *
 * <p>Bytes are sent in order while the copy is healthy; before the connection is up they wait in {@link HeldBytes}
 * (retained duplicates owned by this copy). Pending bytes (held + channel outbound buffer) are bounded by the
 * service's replicaBacklog: an overflow, a lost connection or a ring gap marks the copy damaged, resets its
 * connection and stops it for good (nothing is ever replayed across a hole). Answers are digested and compared with
 * the primary's when both streams have ended. Session order ({@link CopyOrder}): the copy connects at once but its
 * bytes stay held (counting against the backlog) until the sessions that ended before this one opened have finished
 * on the replica.
 */
final class ReplicaCopy {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCopy.class);

    private final ReplicaSession session;
    private final ReplicaTarget target;
    private final ReplicaStats stats;
    private final long backlogLimit;
    /** Null when the service does not compare answers. */
    private final AnswerCheck check;
    private final HeldBytes held;
    private final CopyOrder order;
    private Channel channel;
    private boolean connected;
    private long accountedBacklog;
    private boolean finRequested;
    private boolean answersEnded;
    private boolean damaged;
    private boolean done;
    private boolean dirty;
    private boolean graceUsed;
    /** The front session ended with a reset: the replica connection is reset once its queued bytes are flushed. */
    private boolean resetAfterFlush;
    private long answeredBytes;
    /** Bytes written to the channel (not held), and how many of them the kernel had taken at the last check. */
    private long written;
    private long lastDelivered;
    private long progressNanos = System.nanoTime();

    ReplicaCopy(ReplicaSession session, ReplicaTarget target, AnswerFilter filter) {
        this.session = session;
        this.target = target;
        this.stats = target.stats();
        this.backlogLimit = session.service.config().replicaBacklog();
        this.check = AnswerCheck.of(filter);
        this.held = new HeldBytes(session.service.config().compare() == CompareMode.POSTGRES
            ? new PostgresStartupGate() : null);
        this.order = new CopyOrder(target.finishes(), stats);
    }

    /**
     * Connects (or skips the replica while it is down and in backoff: counted as missed).
     *
     * @param after sessions ended before this one opened, to wait for on this replica before sending (0 = none)
     */
    void start(long nowNanos, long after) {
        if (!target.health().shouldAttempt(nowNanos)) {
            stats.missed.increment();
            finish();
            return;
        }
        ReplicaSide side = session.side;
        order.holdUntil(after, nowNanos, side.loop(), this::predecessorsFinished);
        ChannelFuture f = side.connector().connect(side.loop(), target.config(), new ReplicaAnswerHandler(this));
        channel = f.channel();
        f.addListener((ChannelFuture cf) -> onConnect(cf));
    }

    private void onConnect(ChannelFuture f) {
        if (done) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            stats.connectFailures.increment();
            target.health().failed(System.nanoTime());
            if (LogLimit.sparse(stats.connectFailures.sum())) {
                LOG.warn("{}: replica {} unreachable: {} (failures so far: {}; retrying for new sessions)",
                    session.service.name(), target.label(), f.cause() == null ? "cancelled" : f.cause().getMessage(),
                    stats.connectFailures.sum());
            }
            damage("connect failed");
            return;
        }
        connected = true;
        target.health().connected();
        stats.sessions.increment();
        pump();
        channel.flush();
    }

    /**
     * Writes queued bytes as far as the startup gate allows (all of them without a gate), then the FIN if one was
     * requested and nothing is held back any more.
     */
    private void pump() {
        if (!connected || done || order.holding()) {
            return;
        }
        long before = held.bytes();
        boolean empty = held.writeTo(channel);
        written += before - held.bytes();
        markDirty();
        if (finRequested && empty) {
            Channels.shutdownOutputAfterFlush(channel);
        }
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            session.side.markDirty(this);
        }
    }

    /** Sends the readable bytes of {@code buf} (borrowed: this copy retains its own duplicate). */
    void send(ByteBuf buf) {
        if (done || finRequested) {
            return;
        }
        int n = buf.readableBytes();
        if (connected && !channel.isActive()) {
            stats.lost.increment();
            logSparse(stats.lost.sum(), "connection closed with bytes still to send");
            damage("connection lost");
            return;
        }
        long pending = pendingBytes() + n;
        boolean overBacklog = pending > backlogLimit;
        if (overBacklog || pending > n && session.side.memory.exhausted()) {
            stats.lagging.increment();
            target.health().overflowed();
            logSparse(stats.lagging.sum(), (overBacklog ? "backlog over " + Units.formatSize(backlogLimit)
                : "direct memory over " + Units.formatSize(session.side.memory.limit())) + ": lagging, copy dropped");
            damage("backlog overflow");
            return;
        }
        ByteBuf dup = buf.retainedDuplicate();
        stats.bytesSent.add(n);
        if (!connected || order.holding() || held.mustQueue()) {
            held.add(dup);
            pump();
            return;
        }
        channel.write(dup, channel.voidPromise());
        written += n;
        markDirty();
    }

    /** The sessions this one waited for have finished on the replica: its held bytes may go. */
    private void predecessorsFinished() {
        if (order.release() && !done) {
            pump();
            flush();
        }
    }

    /** The session ended at the front with end {@code number}: reported to the replica's ledger once finished. */
    void ended(long number) {
        order.ended(number);
    }

    /** Flushes what {@link #send} wrote during the current ring batch. */
    void flush() {
        dirty = false;
        if (connected && !done) {
            channel.flush();
        }
    }

    long pendingBytes() {
        long p = held.bytes();
        if (connected) {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (out != null) {
                p += out.totalPendingWriteBytes();
            }
        }
        return p;
    }

    /**
     * Updates this copy's share of the replica's backlog gauge, and drops the copy when the replica has taken none of
     * the bytes written to its connection for {@code stallNanos} (a replica that stopped reading: zero window).
     */
    void refreshLag(long nowNanos, long stallNanos) {
        updateGauge();
        if (done || !connected) {
            return;
        }
        long delivered = written - outboundBytes();
        if (delivered > lastDelivered || outboundBytes() == 0) {
            lastDelivered = delivered;
            progressNanos = nowNanos;
        } else if (nowNanos - progressNanos >= stallNanos) {
            stats.stalled.increment();
            logSparse(stats.stalled.sum(), "replica took no byte for " + stallNanos / 1_000_000_000 + " s ("
                + Units.formatSize(outboundBytes()) + " waiting): copy dropped");
            damage("replica stopped reading");
        }
    }

    private void updateGauge() {
        long p = done ? 0 : pendingBytes();
        if (p != accountedBacklog) {
            stats.backlogBytes.add(p - accountedBacklog);
            accountedBacklog = p;
        }
    }

    private long outboundBytes() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    void clientFin() {
        if (done || finRequested) {
            return;
        }
        finRequested = true;
        held.openUp();
        pump();
        checkCaughtUp();
    }

    /**
     * Session order: once the replica has every byte (FIN requested, nothing pending) and answered as much as the
     * primary (compared services only), sessions waiting for this one may go before the replica closes.
     */
    private void checkCaughtUp() {
        if (finRequested && !done && check != null && session.primaryEnded()
                && check.replicaTotal() >= session.primaryTotal() && held.isEmpty() && pendingBytes() == 0) {
            order.caughtUp();
        }
    }

    void answer(ByteBuf buf) {
        stats.bytesAnswered.add(buf.readableBytes());
        answeredBytes += buf.readableBytes();
        if (session.progress != null && !done) {
            session.progress.progress(target.index(), answeredBytes);
        }
        if (check != null && !done) {
            check.replicaAnswer(buf);
            checkCaughtUp();
        }
        if (buf.isReadable()) {
            held.replicaAnswered();
            if (!held.isEmpty()) {
                pump();
                flush();
            }
        }
    }

    void primaryBlock(int crc) {
        if (check != null && !done) {
            check.primaryBlock(crc);
        }
    }

    void answersEnded() {
        answersEnded = true;
        tryFinish();
    }

    void channelClosed() {
        answersEnded = true;
        tryFinish();
    }

    void failed(Throwable cause) {
        if (done) {
            return;
        }
        if (Channels.isClosed(cause)) {
            stats.lost.increment(); // bytes written after the replica closed its connection
            logSparse(stats.lost.sum(), "replica closed the connection before all bytes were sent");
            damage("write after close");
            return;
        }
        if (Channels.isPeerFailure(cause)) {
            // an established connection reset by the replica: this copy is lost, but the replica answered, so it is
            // not marked down (a dead replica is detected by the next session's connect; marking it down here made
            // e.g. iperf3 replicas, which reset their data streams at test end, skip the following sessions)
            stats.lost.increment();
            logSparse(stats.lost.sum(), "connection failed: " + cause.getMessage());
        } else {
            LOG.error("{}: replica {} handler error", session.service.name(), target.label(), cause);
        }
        damage("connection failed");
    }

    /**
     * The front side closed the session: a FIN for the replica too (after its bytes), or a reset, also sent after
     * the bytes already queued for the replica (the primary received them before the reset too).
     */
    void frontClosed(boolean reset) {
        if (done) {
            return;
        }
        if (reset) {
            if (check != null) {
                stats.uncompared.increment();
            }
            resetAfterFlush = true;
            pump();
            finish();
            if (channel != null && !connected) {
                Channels.reset(channel);
            }
            return;
        }
        clientFin();
        tryFinish();
    }

    /** Middlebox shutdown: resets the connection at once, dropping what is still queued. */
    void abort() {
        if (done) {
            return;
        }
        finish();
        if (channel != null) {
            Channels.reset(channel);
        }
    }

    /** Both answer streams ended and the front is done: compare and finish. */
    void tryFinish() {
        checkCaughtUp();
        if (done || !session.frontClosed() || !answersEnded) {
            return;
        }
        if (check != null && !session.primaryEnded()) {
            stats.uncompared.increment();
        } else if (check != null) {
            boolean same = check.finish(session.primaryTotal(), session.primaryPartial());
            stats.compared.increment();
            if (!same) {
                stats.divergent.increment();
                LOG.warn("{}: replica {} diverged in session {} at answer byte {} (primary {} B, replica {} B)",
                    session.service.name(), target.label(), session.id, check.divergentAt(),
                    session.primaryTotal(), check.replicaTotal());
            }
        }
        target.health().completed();
        finish();
    }

    /**
     * The session has been closed on the front for a while and this copy is still open.
     *
     * @return true to be asked again later
     */
    boolean graceExpired() {
        if (done) {
            return false;
        }
        if (connected && channel.isActive() && pendingBytes() > 0) {
            return true;
        }
        if (!graceUsed) {
            graceUsed = true;
            return true;
        }
        LOG.debug("{}: replica {} kept session {} open after the primary ended; closing", session.service.name(),
            target.label(), session.id);
        if (check != null) {
            stats.uncompared.increment();
        }
        finish();
        return false;
    }

    /** Marks the copy damaged (counted), resets its connection and releases what it still holds. */
    void damage(String why) {
        if (done) {
            return;
        }
        damaged = true;
        stats.damaged.increment();
        LOG.debug("{}: replica {} copy of session {} damaged: {}", session.service.name(), target.label(), session.id,
            why);
        finish();
        if (channel != null) {
            Channels.reset(channel);
        }
    }

    /** Lockstep: this replica held the client's answers too long. */
    void lockstepDrop() {
        if (done) {
            return;
        }
        stats.lagging.increment();
        target.health().overflowed();
        damage("lockstep: answers too slow");
    }

    boolean isDamaged() {
        return damaged;
    }

    boolean isDone() {
        return done;
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        order.finished();
        held.releaseAll();
        updateGauge();
        if (channel != null && connected && channel.isOpen() && !damaged) {
            if (resetAfterFlush) {
                Channels.resetOnFlush(channel);
            } else {
                Channels.closeOnFlush(channel);
            }
        }
        if (session.progress != null) {
            session.progress.gone(target.index());
        }
        session.copyDone();
    }

    private void logSparse(long count, String what) {
        if (LogLimit.sparse(count)) {
            LOG.warn("{}: replica {} session {}: {} (total {})", session.service.name(), target.label(), session.id,
                what, count);
        }
    }
}
