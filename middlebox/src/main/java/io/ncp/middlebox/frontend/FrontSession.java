package io.ncp.middlebox.frontend;

import io.ncp.middlebox.core.Channels;
import io.ncp.middlebox.core.ServiceRuntime;
import io.ncp.middlebox.core.Shard;
import io.ncp.middlebox.digest.AnswerFilter;
import io.ncp.middlebox.digest.BlockDigester;
import io.ncp.middlebox.ring.EventType;
import io.ncp.middlebox.ring.ShardRing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Front-side state of one client session; owned by the shard's front event loop (every method runs there). Decides
 * what the replica side hears about the session, through the shard's ring, in order: SESSION_OPEN (only once the
 * primary connected), DATA..., CLIENT_FIN, PRIMARY_DIGEST..., PRIMARY_END, SESSION_CLOSE. Session order: the open
 * carries how many sessions had ended before it; SESSION_ENDED (before SESSION_CLOSE) numbers this session's end,
 * which comes with the client's FIN or close or the primary's end, whichever is first.
 */
final class FrontSession {

    private static final Logger LOG = LoggerFactory.getLogger(FrontSession.class);

    final long id;
    final ServiceRuntime service;
    final Channel client;
    Channel primary;
    private final ShardRing ring;
    private boolean replicated;
    private boolean damaged;
    private AnswerFilter filter;
    private BlockDigester digester;
    private boolean primaryEnded;
    private boolean clientClosed;
    private boolean primaryClosed;
    private boolean reset;
    /** The session's end was numbered (or needs no number). */
    private boolean ended;
    /** Non-null for replicated sessions of lockstep services. */
    LockstepGate gate;

    FrontSession(Shard shard, ServiceRuntime service, Channel client) {
        this.id = shard.newSessionId();
        this.ring = shard.ring();
        this.service = service;
        this.client = client;
    }

    /** The primary connected: shows the session to the replicas (if the ring has room). */
    void opened(Channel primaryChannel) {
        this.primary = primaryChannel;
        service.stats().sessions.increment();
        if (service.replicas().isEmpty()) {
            return;
        }
        LockstepGate g = service.config().lockstep() ? new LockstepGate(this, client, service.replicas().size()) : null;
        if (!ring.tryPublishOpen(id, service, g, service.endedSessions())) {
            service.stats().ringMissed.increment();
            LOG.warn("{}: ring full, session {} not replicated", service.name(), id);
            return;
        }
        replicated = true;
        gate = g;
        filter = AnswerFilter.forMode(service.config().compare());
        if (filter != null) {
            digester = new BlockDigester((index, crc) -> ring.publishControl(EventType.PRIMARY_DIGEST, id, index, crc));
        }
    }

    /** Client bytes about to be written to the primary: hands a retained duplicate to the ring. Caller keeps buf. */
    void replicate(ByteBuf buf) {
        if (!replicated || damaged) {
            return;
        }
        ByteBuf dup = buf.retainedDuplicate();
        if (!ring.tryPublishData(id, dup)) {
            dup.release();
            damaged = true;
            service.stats().ringFull.increment();
            if (Channels.sparse(service.stats().ringFull.sum())) {
                LOG.warn("{}: ring full, replica copies of session {} damaged (total {})", service.name(), id,
                    service.stats().ringFull.sum());
            }
            ring.publishControl(EventType.DAMAGED, id, 0, 0);
        }
    }

    /** Primary answer bytes on their way to the client: digested for comparison. Caller keeps buf. */
    void primaryAnswer(ByteBuf buf) {
        if (digester != null && !primaryEnded && !damaged) {
            filter.feed(buf, digester);
        }
    }

    void clientFin() {
        if (replicated && !damaged) {
            ring.publishControl(EventType.CLIENT_FIN, id, 0, 0);
        }
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

    /** The primary's answer stream ended (FIN, close or reset); idempotent. */
    void primaryEnded() {
        if (primaryEnded) {
            return;
        }
        primaryEnded = true;
        ended();
        if (replicated) {
            long total = digester != null ? digester.total() : 0;
            int crc = digester != null ? digester.partialCrc() : 0;
            ring.publishControl(EventType.PRIMARY_END, id, total, crc);
        }
    }

    /** Reads the primary while the client can take more and (lockstep) not too much is held back. */
    void updatePrimaryRead() {
        if (primary != null) {
            primary.config().setAutoRead(client.isWritable() && (gate == null || !gate.holdingTooMuch()));
        }
    }

    /** Runs {@code action} once every primary answer byte went to the client (lockstep may still hold some). */
    void afterAnswers(Runnable action) {
        if (gate == null) {
            action.run();
        } else {
            gate.whenDrained(action);
        }
    }

    /** Lockstep: replica {@code index} held answers too long; tell the replica side to drop its copy. */
    void lockstepDrop(int index) {
        service.stats().lockstepDrops.increment();
        if (Channels.sparse(service.stats().lockstepDrops.sum())) {
            LOG.warn("{}: lockstep: replica {} held session {}'s answers too long; dropped from the session (total {})",
                service.name(), service.replicas().get(index).label(), id, service.stats().lockstepDrops.sum());
        }
        ring.publishControl(EventType.LOCKSTEP_DROP, id, index, 0);
    }

    /** The client is gone: lockstep releases what it held. */
    void closeGate() {
        if (gate != null) {
            gate.close();
        }
    }

    void markReset() {
        if (!reset) {
            reset = true;
            service.stats().resets.increment();
        }
    }

    boolean isReset() {
        return reset;
    }

    void clientClosed() {
        if (!clientClosed) {
            clientClosed = true;
            ended();
            maybeClose();
        }
    }

    void primaryClosed() {
        if (!primaryClosed) {
            primaryClosed = true;
            primaryEnded();
            maybeClose();
        }
    }

    /** Whether the primary never connected (the session ends with the client alone). */
    void primaryNeverConnected() {
        primaryClosed();
    }

    private void maybeClose() {
        if (clientClosed && primaryClosed) {
            service.stats().active.decrement();
            if (replicated) {
                ring.publishControl(EventType.SESSION_CLOSE, id, reset ? 1 : 0, 0);
            }
        }
    }
}
