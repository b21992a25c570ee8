package io.ncp.middlebox.replica;

import io.ncp.middlebox.config.Units;
import io.ncp.middlebox.core.Channels;
import io.ncp.middlebox.core.ReplicaTarget;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.digest.DigestComparator;
import io.ncp.middlebox.stats.ReplicaStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's copy of one session, owned by the replica side's event loop (every method runs there).
 *
 * <p>Bytes are sent in order while the copy is healthy; before the connection is up they wait in {@code queue}
 * (retained duplicates owned by this copy). Pending bytes (queue + channel outbound buffer) are bounded by the
 * service's replicaBacklog: an overflow, a lost connection or a ring gap marks the copy damaged, resets its
 * connection and stops it for good (nothing is ever replayed across a hole). Answers are digested and compared with
 * the primary's when both streams have ended.
 */
final class ReplicaCopy {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCopy.class);

    private final ReplicaSession session;
    private final ReplicaTarget target;
    private final ReplicaStats stats;
    private final long backlogLimit;
    private final AnswerFilter filter;
    private final BlockDigester digester;
    private final DigestComparator comparator;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private Channel channel;
    private boolean connected;
    private long queuedBytes;
    private long accountedBacklog;
    private boolean finRequested;
    private boolean answersEnded;
    private boolean damaged;
    private boolean done;
    private boolean dirty;
    private boolean graceUsed;

    ReplicaCopy(ReplicaSession session, ReplicaTarget target, AnswerFilter filter) {
        this.session = session;
        this.target = target;
        this.stats = target.stats();
        this.backlogLimit = session.service.config().replicaBacklog();
        this.filter = filter;
        this.comparator = filter == null ? null : new DigestComparator();
        this.digester = filter == null ? null : new BlockDigester((index, crc) -> comparator.replicaBlock(crc));
    }

    /** Connects (or skips the replica while it is down and in backoff: counted as missed). */
    void start(long nowNanos) {
        if (!target.health().shouldAttempt(nowNanos)) {
            stats.missed.increment();
            finish();
            return;
        }
        ReplicaSide side = session.side;
        ChannelFuture f = side.connector().bootstrap(side.loop(), target.config(), new ReplicaAnswerHandler(this))
            .connect(target.config().address().toAddress());
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
            if (Channels.sparse(stats.connectFailures.sum())) {
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
        while (!queue.isEmpty()) {
            channel.write(queue.poll(), channel.voidPromise());
        }
        queuedBytes = 0;
        channel.flush();
        if (finRequested) {
            Channels.shutdownOutputAfterFlush(channel);
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
        if (pendingBytes() + n > backlogLimit) {
            stats.lagging.increment();
            target.health().overflowed();
            logSparse(stats.lagging.sum(), "backlog over " + Units.formatSize(backlogLimit)
                + ": lagging, copy dropped");
            damage("backlog overflow");
            return;
        }
        ByteBuf dup = buf.retainedDuplicate();
        stats.bytesSent.add(n);
        if (!connected) {
            queue.add(dup);
            queuedBytes += n;
            return;
        }
        channel.write(dup, channel.voidPromise());
        if (!dirty) {
            dirty = true;
            session.side.markDirty(this);
        }
    }

    /** Flushes what {@link #send} wrote during the current ring batch. */
    void flush() {
        dirty = false;
        if (connected && !done) {
            channel.flush();
        }
    }

    long pendingBytes() {
        long p = queuedBytes;
        if (connected) {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            if (out != null) {
                p += out.totalPendingWriteBytes();
            }
        }
        return p;
    }

    /** Updates this copy's share of the replica's backlog gauge. */
    void refreshLag() {
        long p = done ? 0 : pendingBytes();
        if (p != accountedBacklog) {
            stats.backlogBytes.add(p - accountedBacklog);
            accountedBacklog = p;
        }
    }

    void clientFin() {
        if (done || finRequested) {
            return;
        }
        finRequested = true;
        if (connected) {
            Channels.shutdownOutputAfterFlush(channel);
        }
    }

    void answer(ByteBuf buf) {
        stats.bytesAnswered.add(buf.readableBytes());
        if (digester != null && !done) {
            filter.feed(buf, digester);
        }
    }

    void primaryBlock(int crc) {
        if (comparator != null && !done) {
            comparator.primaryBlock(crc);
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
        if (Channels.isPeerFailure(cause)) {
            stats.lost.increment();
            target.health().failed(System.nanoTime());
            logSparse(stats.lost.sum(), "connection failed: " + cause.getMessage());
        } else {
            LOG.error("{}: replica {} handler error", session.service.name(), target.label(), cause);
        }
        damage("connection failed");
    }

    /** The front side closed the session: a FIN for the replica too (after its bytes), or a reset. */
    void frontClosed(boolean reset) {
        if (done) {
            return;
        }
        if (reset) {
            if (channel != null) {
                Channels.reset(channel);
            }
            finish();
            return;
        }
        clientFin();
        tryFinish();
    }

    /** Both answer streams ended and the front is done: compare and finish. */
    void tryFinish() {
        if (done || !session.frontClosed() || !answersEnded) {
            return;
        }
        if (comparator != null && session.primaryEnded()) {
            boolean same = comparator.finish(session.primaryTotal(), session.primaryPartial(), digester.total(),
                digester.partialCrc());
            stats.compared.increment();
            if (!same) {
                stats.divergent.increment();
                LOG.warn("{}: replica {} diverged in session {} at answer byte {} (primary {} B, replica {} B)",
                    session.service.name(), target.label(), session.id, comparator.divergentAt(),
                    session.primaryTotal(), digester.total());
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
        if (channel != null) {
            Channels.reset(channel);
        }
        finish();
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
        while (!queue.isEmpty()) {
            queue.poll().release();
        }
        queuedBytes = 0;
        refreshLag();
        if (channel != null && channel.isOpen() && !damaged) {
            Channels.closeOnFlush(channel);
        }
        session.copyDone();
    }

    private void logSparse(long count, String what) {
        if (Channels.sparse(count)) {
            LOG.warn("{}: replica {} session {}: {} (total {})", session.service.name(), target.label(), session.id,
                what, count);
        }
    }
}
