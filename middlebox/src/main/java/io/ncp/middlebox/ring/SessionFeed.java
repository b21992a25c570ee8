package io.ncp.middlebox.ring;

import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.digest.Divergence;
import io.ncp.middlebox.digest.MaskListener;
import io.ncp.middlebox.service.ReplicaTarget;
import io.ncp.middlebox.service.ServiceRuntime;
import io.ncp.middlebox.stats.LogLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer half of one session's conversation with its shard's replica side, shared by both front-ends (socket
 * and capture mirror). Publishes, in order: SESSION_OPEN, DATA..., CLIENT_FIN, PRIMARY_HEAD, PRIMARY_DIGEST...,
 * PRIMARY_END, SESSION_CLOSE; client bytes after a loss (ring full, capture gap) are never published. Session
 * order: the open carries how many sessions of the service had ended before it; SESSION_ENDED (before SESSION_CLOSE)
 * numbers this session's end, which comes with the client's FIN or close or the primary's end, whichever is first.
 *
 * <p>Threading: owned by the ring's producer (the shard's front loop); every method runs there.
 */
public final class SessionFeed {

    /** {@link EventType#DAMAGED} value: the ring (or its byte cap) refused client bytes. */
    public static final long DAMAGE_RING_FULL = 0;
    /** {@link EventType#DAMAGED} value: the capture lost client bytes (a reassembly gap). */
    public static final long DAMAGE_CAPTURE_GAP = 1;

    private static final Logger LOG = LoggerFactory.getLogger(SessionFeed.class);

    private final long id;
    private final ServiceRuntime service;
    private final ShardRing ring;
    private boolean replicated;
    private boolean damaged;
    private boolean answersLost;
    private boolean primaryEnded;
    private boolean ended;
    private boolean closed;
    private AnswerFilter filter;
    private BlockDigester digester;
    private boolean headSent;
    private boolean unreplicated;

    public SessionFeed(long id, ServiceRuntime service, ShardRing ring) {
        this.id = id;
        this.service = service;
        this.ring = ring;
    }

    public long id() {
        return id;
    }

    /**
     * Shows the session to the replicas (a no-op for a service without replicas).
     *
     * @param progress lockstep answer progress sink, or null
     * @return true when the session is replicated; false without replicas or when the ring had no room (counted)
     */
    public boolean open(FrontLink link) {
        return open(service.primary().sessionReplicas(), link);
    }

    /**
     * Shows the session to {@code replicas} (a no-op without replicas).
     *
     * @param link where the replica side reports to the front (indexed like {@code replicas}), or null
     * @return true when the session is replicated; false without replicas or when the ring had no room (counted)
     */
    public boolean open(List<ReplicaTarget> replicas, FrontLink link) {
        if (replicas.isEmpty()) {
            return false;
        }
        if (!ring.tryPublishOpen(id, new SessionOpen(service, replicas, link, service.endedSessions()))) {
            service.stats().ringMissed.increment();
            for (ReplicaTarget r : replicas) {
                r.consistency().stale("missed session " + id + ": the ring was full when it opened");
            }
            if (LogLimit.sparse(service.stats().ringMissed.sum())) {
                LOG.warn("{}: ring full, session {} not replicated (total {})", service.name(), id,
                    service.stats().ringMissed.sum());
            }
            return false;
        }
        replicated = true;
        for (ReplicaTarget r : replicas) {
            r.stats().included.increment();
        }
        filter = io.ncp.middlebox.auth.AuthFilters.primary(service.config().compare(), service.config().protocol());
        if (filter != null) {
            digester = new BlockDigester(this::primaryDigest);
            digester.keepHead(Divergence.HEAD);
        }
        return true;
    }

    /**
     * A block digest of the primary's answers for the replicas. While the ring is full the digests of a session that
     * streams answers would queue without bound, so past {@link ShardRing#MAX_PENDING_CONTROL} queued control events
     * the session's comparison is given up (counted): its copies end uncompared.
     */
    private void primaryDigest(long index, int crc) {
        if (answersLost) {
            return;
        }
        sendHead();
        if (ring.pendingControl() >= ShardRing.MAX_PENDING_CONTROL) {
            answersLost = true;
            service.stats().comparisonsDropped.increment();
            return;
        }
        ring.publishControl(EventType.PRIMARY_DIGEST, id, index, crc);
    }

    /**
     * Sends the primary's first answer bytes once (a copy of at most {@link Divergence#HEAD} bytes per session), so a
     * divergence there is located to the byte; skipped when the ring has no room or control events wait (the
     * divergence is then reported by block).
     */
    private void sendHead() {
        if (headSent || digester == null) {
            return;
        }
        headSent = true;
        byte[] head = digester.head();
        if (head.length > 0) {
            ByteBuf buf = Unpooled.wrappedBuffer(head);
            if (!ring.tryPublishBytes(EventType.PRIMARY_HEAD, id, buf)) {
                buf.release();
            }
        }
    }

    /** Where the primary answer stream's masked fields are reported (after a successful {@link #open}). */
    public void maskListener(MaskListener listener) {
        if (digester != null) {
            digester.maskListener(listener);
        }
    }

    /** Whether client bytes are still wanted (replicated and nothing lost so far): lets callers skip a copy. */
    public boolean wantsClientBytes() {
        return replicated && !damaged && !unreplicated;
    }

    /**
     * Replaces the service's answer filter for this session's primary answers (a request-aware filter); a no-op when
     * answers are not compared.
     */
    public void answerFilter(AnswerFilter f) {
        if (filter != null) {
            filter = f;
        }
    }

    /** Whether {@link #primaryAnswer} feeds the answer filter now (comparison on and not given up). */
    public boolean digesting() {
        return digester != null && !primaryEnded && !damaged && !answersLost;
    }

    /** Replayed request number {@code ordinal} has exchange bits {@code exchange}: told to the copies first. */
    public void expect(long ordinal, int exchange) {
        if (wantsClientBytes()) {
            ring.publishControl(EventType.EXPECT, id, ordinal, exchange);
        }
    }

    /**
     * The session stops being replicated (a request that must not reach the replicas ends it): its copies close
     * without comparison, no later client byte or answer digest is published. Idempotent.
     */
    public void unreplicate() {
        if (replicated && !unreplicated) {
            unreplicated = true;
            answersLost = true;
            ring.publishControl(EventType.UNREPLICATED, id, 0, 0);
        }
    }

    /**
     * Client bytes for the replicas. Takes ownership of {@code data}: published (the ring's consumer releases it) or
     * released here. A refusal (ring full) damages every replica copy of the session.
     */
    public void clientBytes(ByteBuf data) {
        if (!wantsClientBytes()) {
            data.release();
            return;
        }
        if (filter != null) {
            filter.clientBytes(data);
        }
        if (!ring.tryPublishData(id, data)) {
            damaged = true;
            service.stats().ringFull.increment();
            if (LogLimit.sparse(service.stats().ringFull.sum())) {
                LOG.warn("{}: ring full ({}; {} more bytes refused), replica copies of session {} damaged "
                    + "(total {})", service.name(), ring.fullness(), data.readableBytes(), id,
                    service.stats().ringFull.sum());
            }
            data.release();
            ring.publishControl(EventType.DAMAGED, id, DAMAGE_RING_FULL, 0);
        }
    }

    /**
     * The client stream has a hole (bytes the capture lost): every replica copy is damaged and closed, nothing after
     * the hole is published. Idempotent.
     */
    public void clientGap() {
        if (!wantsClientBytes()) {
            return;
        }
        damaged = true;
        ring.publishControl(EventType.DAMAGED, id, DAMAGE_CAPTURE_GAP, 0);
    }

    /** Primary answer bytes: digested for comparison (borrowed: never retained, indices unchanged). */
    public void primaryAnswer(ByteBuf buf) {
        if (digesting()) {
            filter.feed(buf, digester);
            if (digester.headFull()) {
                sendHead();
            }
        }
    }

    /**
     * A resync's snapshot point continues this session over a new connection (PostgreSQL, held idle without server
     * state): publishes {@link EventType#CONTINUE} with its login ({@code startup}, copied: the StartupMessage, then
     * a simple Query per session SET to replay) and where the primary's answer digest stands, so that the replica side
     * can open the new connection and compare its answers from here on.
     *
     * @return true when published, or when the session is not replicated (nothing to continue); false when its
     *         client bytes were lost or the ring had no room
     */
    public boolean continueAt(byte[] startup) {
        if (!replicated || unreplicated) {
            return true;
        }
        if (damaged || startup == null) {
            return false;
        }
        boolean compared = digesting();
        ByteBuf msg = Unpooled.copiedBuffer(startup);
        if (!ring.tryPublishBytes(EventType.CONTINUE, id, msg, compared ? digester.total() : -1,
                compared ? digester.partialCrc() : 0)) {
            msg.release();
            return false;
        }
        return true;
    }

    /** The primary's answers have a hole (capture loss): no comparison for this session (copies end uncompared). */
    public void answersLost() {
        answersLost = true;
    }

    /** The client half-closed: replicas get a FIN after the bytes before it. */
    public void clientFin() {
        if (wantsClientBytes()) {
            ring.publishControl(EventType.CLIENT_FIN, id, 0, 0);
        }
        ended();
    }

    /** The client connection is gone (the session may still wait for the primary's end). */
    public void clientClosed() {
        ended();
    }

    /** The client is done or the primary is: later sessions wait for this one on the replicas. Idempotent. */
    private void ended() {
        if (replicated && !ended) {
            ended = true;
            long number = service.sessionEnded();
            if (number > 0) {
                ring.publishControl(EventType.SESSION_ENDED, id, number, 0);
            }
        }
    }

    /** The primary's answer stream ended (FIN, close, reset or end of capture); idempotent. */
    public void primaryEnded() {
        if (primaryEnded) {
            return;
        }
        primaryEnded = true;
        ended();
        if (replicated && !answersLost) {
            sendHead();
            long total = digester != null ? digester.total() : 0;
            int crc = digester != null ? digester.partialCrc() : 0;
            ring.publishControl(EventType.PRIMARY_END, id, total, crc);
        }
    }

    /** The front side is done with the session; idempotent. */
    public void close(boolean reset) {
        ended();
        if (replicated && !closed) {
            closed = true;
            ring.publishControl(EventType.SESSION_CLOSE, id, reset ? 1 : 0, 0);
        }
    }

    /** Failover: the replica at {@code position} carries the session; its answers come from offset {@code from}. */
    public void takeover(int position, long from) {
        if (replicated) {
            answersLost = true; // the session is no longer compared: its primary changed midway
            ring.publishControl(EventType.TAKEOVER, id, from, position);
        }
    }

    /** Failover services: the client has received {@code offset} answer bytes. */
    public void answersReleased(long offset) {
        if (replicated) {
            ring.publishControl(EventType.ANSWERS_RELEASED, id, offset, 0);
        }
    }

    /** Lockstep: tell the replica side to drop replica {@code index}'s copy. */
    public void lockstepDrop(int index) {
        ring.publishControl(EventType.LOCKSTEP_DROP, id, index, 0);
    }
}
